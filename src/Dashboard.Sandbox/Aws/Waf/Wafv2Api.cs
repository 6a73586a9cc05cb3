using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Dashboard.Sandbox.Aws.Waf;

/// <summary>
/// AWS WAFv2 (2019-07-29, JSON 1.1, <c>X-Amz-Target: AWSWAF_20190729.*</c>) over <see cref="AwsWorld"/>:
/// <c>GetWebACLForResource</c> (an empty object when nothing is associated, as WAF answers) and <c>ListWebACLs</c>
/// (REGIONAL scope, <c>Limit</c>/<c>NextMarker</c> paging), with WAF's error codes.
/// </summary>
public sealed class Wafv2Api(AwsWorld world)
{
    public const string TargetPrefix = "AWSWAF_20190729";

    public JsonNode Handle(string action, JsonElement body) => action switch
    {
        "GetWebACLForResource" => GetWebAclForResource(body),
        "ListWebACLs" => ListWebAcls(body),
        _ => throw new AwsApiException("UnknownOperationException", $"Operation {action} is not emulated; the sandbox serves GetWebACLForResource and ListWebACLs"),
    };

    private JsonObject GetWebAclForResource(JsonElement body)
    {
        var arn = body.TryGetProperty("ResourceArn", out var a) ? a.GetString() : null;
        if (string.IsNullOrEmpty(arn) || !arn.StartsWith("arn:aws:", StringComparison.Ordinal))
        {
            throw new AwsApiException("WAFInvalidParameterException", "Error reason: The parameter contains formatting that isn't valid., field: RESOURCE_ARN, parameter: " + (arn ?? "null"));
        }
        if (arn.Contains(":elasticloadbalancing:", StringComparison.Ordinal) && world.FindLoadBalancer(arn) is null)
        {
            throw new AwsApiException("WAFNonexistentItemException", "AWS WAF couldn’t perform the operation because your resource doesn’t exist.");
        }
        var acl = world.WebAclFor(arn);
        return acl is null ? new JsonObject() : new JsonObject { ["WebACL"] = Describe(acl) };
    }

    private JsonObject ListWebAcls(JsonElement body)
    {
        var scope = body.TryGetProperty("Scope", out var s) ? s.GetString() : null;
        if (scope is not ("REGIONAL" or "CLOUDFRONT"))
        {
            throw new AwsApiException("WAFInvalidParameterException", "Error reason: The scope is not valid., field: SCOPE_VALUE, parameter: " + (scope ?? "null"));
        }
        var limit = body.TryGetProperty("Limit", out var l) ? l.GetInt32() : 100;
        if (limit is < 1 or > 100)
        {
            throw new AwsApiException("WAFInvalidParameterException", "Error reason: The limit is not valid., field: LIMIT, parameter: " + limit.ToString(CultureInfo.InvariantCulture));
        }
        var start = body.TryGetProperty("NextMarker", out var m) && m.GetString() is { Length: > 0 } marker
            ? int.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(marker)), CultureInfo.InvariantCulture)
            : 0;
        var all = scope == "REGIONAL" ? world.GetWebAcls() : [];
        var page = all.Skip(start).Take(limit).ToList();
        var result = new JsonObject
        {
            ["WebACLs"] = new JsonArray([.. page.Select(a => (JsonNode)new JsonObject
            {
                ["Name"] = a.Name,
                ["Id"] = a.Id,
                ["Description"] = a.Description,
                ["LockToken"] = a.LockToken,
                ["ARN"] = a.Arn,
            })]),
        };
        if (start + page.Count < all.Length)
        {
            result["NextMarker"] = Convert.ToBase64String(Encoding.UTF8.GetBytes((start + page.Count).ToString(CultureInfo.InvariantCulture)));
        }
        return result;
    }

    private static JsonObject Describe(WebAcl acl) => new()
    {
        ["Name"] = acl.Name,
        ["Id"] = acl.Id,
        ["ARN"] = acl.Arn,
        ["Description"] = acl.Description,
        ["DefaultAction"] = new JsonObject { [acl.DefaultAction] = new JsonObject() },
        ["Rules"] = new JsonArray([.. acl.Rules.Select(r => (JsonNode)new JsonObject
        {
            ["Name"] = r.Name,
            ["Priority"] = r.Priority,
            ["Statement"] = Statement(r.Statement),
            [r.Action.StartsWith("None", StringComparison.Ordinal) ? "OverrideAction" : "Action"] = r.Action.StartsWith("None", StringComparison.Ordinal)
                ? new JsonObject { ["None"] = new JsonObject() }
                : new JsonObject { [r.Action] = new JsonObject() },
            ["VisibilityConfig"] = Visibility(r.Name),
        })]),
        ["VisibilityConfig"] = Visibility(acl.Name),
        ["Capacity"] = 700,
        ["ManagedByFirewallManager"] = false,
        ["LabelNamespace"] = $"awswaf:{acl.Arn.Split(':')[4]}:webacl:{acl.Name}:",
    };

    /// <summary>The two statement kinds the scenario uses, rebuilt in WAF's JSON.</summary>
    private static JsonObject Statement(string text)
    {
        var parts = text.Split(' ');
        if (parts[0] == "RateBasedStatement")
        {
            var values = parts.Skip(1).Select(p => p.Split('=')).ToDictionary(p => p[0], p => p[1]);
            return new JsonObject { ["RateBasedStatement"] = new JsonObject { ["Limit"] = int.Parse(values["Limit"], CultureInfo.InvariantCulture), ["AggregateKeyType"] = values["AggregateKeyType"] } };
        }
        var vendorAndName = parts[1].Split('/');
        return new JsonObject { ["ManagedRuleGroupStatement"] = new JsonObject { ["VendorName"] = vendorAndName[0], ["Name"] = vendorAndName[1] } };
    }

    private static JsonObject Visibility(string metric) => new()
    {
        ["SampledRequestsEnabled"] = true,
        ["CloudWatchMetricsEnabled"] = true,
        ["MetricName"] = metric,
    };
}
