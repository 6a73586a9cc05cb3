using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Xml.Linq;
using Dashboard.Sandbox.Aws.Emulator;

namespace Dashboard.Sandbox.Aws.Elbv2;

/// <summary>
/// The ELBv2 (2015-12-01) Query protocol over <see cref="AwsWorld"/>: reads the form parameters of one action and
/// returns the children of its <c>{Action}Result</c> element, shaped as AWS shapes them.
/// </summary>
public sealed partial class Elbv2QueryApi(AwsWorld world)
{
    public const string Version = "2015-12-01";
    public static readonly XNamespace Ns = "http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/";
    private const int MaxPageSize = 400;

    public static readonly ImmutableHashSet<string> Actions =
    [
        "DescribeLoadBalancers", "DescribeLoadBalancerAttributes", "DescribeListeners", "DescribeRules",
        "DescribeTargetGroups", "DescribeTargetGroupAttributes", "DescribeTargetHealth", "DescribeTags",
        "DescribeSSLPolicies", "DescribeListenerCertificates", "DescribeListenerAttributes",
        "ModifyTargetGroup", "ModifyTargetGroupAttributes",
    ];

    /// <summary>Page size when the request names none (AWS: 400). Lower it to exercise NextMarker paging.</summary>
    public int DefaultPageSize { get; set; } = MaxPageSize;

    public IEnumerable<XElement> Handle(string action, QueryParameters parameters) => action switch
    {
        "DescribeLoadBalancers" => DescribeLoadBalancers(parameters),
        "DescribeLoadBalancerAttributes" => [AttributesElement([.. world.GetLoadBalancer(LoadBalancerArn(parameters.Required("LoadBalancerArn"))).Attributes])],
        "DescribeListeners" => DescribeListeners(parameters),
        "DescribeRules" => DescribeRules(parameters),
        "DescribeTargetGroups" => DescribeTargetGroups(parameters),
        "DescribeTargetGroupAttributes" => [AttributesElement([.. world.GetTargetGroup(TargetGroupArn(parameters.Required("TargetGroupArn"))).Attributes])],
        "DescribeTargetHealth" => DescribeTargetHealth(parameters),
        "DescribeTags" => DescribeTags(parameters),
        "DescribeSSLPolicies" => DescribeSslPolicies(parameters),
        "DescribeListenerCertificates" => DescribeListenerCertificates(parameters),
        "DescribeListenerAttributes" => [AttributesElement(ListenerAttributes.Of(GetListener(parameters.Required("ListenerArn"))))],
        "ModifyTargetGroup" => ModifyTargetGroup(parameters),
        "ModifyTargetGroupAttributes" => ModifyTargetGroupAttributes(parameters),
        _ => throw new AwsApiException("InvalidAction", $"Could not find operation {action} for version {Version}"),
    };

    private IEnumerable<XElement> DescribeLoadBalancers(QueryParameters parameters)
    {
        var arns = parameters.List("LoadBalancerArns");
        var names = parameters.List("Names");
        if (arns.Count > 0 && names.Count > 0)
        {
            throw AwsApiException.Validation("Load balancer names and load balancer ARNs cannot be specified at the same time");
        }
        if (names.Count > 20 || arns.Count > 20)
        {
            throw AwsApiException.Validation("1 validation error detected: at most 20 load balancer names or ARNs can be specified");
        }
        IReadOnlyList<LoadBalancer> selected = world.GetLoadBalancers();
        if (arns.Count > 0)
        {
            var wanted = arns.Select(LoadBalancerArn).ToList();
            selected = RequireAll(selected, wanted, lb => lb.Arn, "LoadBalancerNotFound", AwsWorld.LoadBalancersNotFound);
        }
        else if (names.Count > 0)
        {
            selected = RequireNamed(selected, names, lb => lb.Name, "LoadBalancerNotFound", "Load balancers");
        }
        var (page, next) = Page(selected, parameters);
        return [new XElement(Ns + "LoadBalancers", page.Select(LoadBalancerElement)), .. NextMarker(next)];
    }

    private IEnumerable<XElement> DescribeListeners(QueryParameters parameters)
    {
        var loadBalancerArn = parameters["LoadBalancerArn"];
        var listenerArns = parameters.List("ListenerArns");
        IReadOnlyList<Listener> selected;
        if (listenerArns.Count > 0)
        {
            selected = [.. listenerArns.Select(ListenerArn).Select(arn =>
                world.FindListener(arn) ?? throw new AwsApiException("ListenerNotFound", AwsWorld.ListenersNotFound))];
        }
        else if (loadBalancerArn is not null)
        {
            selected = world.GetListeners(LoadBalancerArn(loadBalancerArn));
        }
        else
        {
            throw AwsApiException.Validation("You must specify either listener ARNs or a load balancer ARN");
        }
        var (page, next) = Page(selected, parameters);
        return [new XElement(Ns + "Listeners", page.Select(ListenerElement)), .. NextMarker(next)];
    }

    private IEnumerable<XElement> DescribeRules(QueryParameters parameters)
    {
        var listenerArn = parameters["ListenerArn"];
        var ruleArns = parameters.List("RuleArns");
        IReadOnlyList<ListenerRule> selected;
        if (ruleArns.Count > 0)
        {
            selected = [.. ruleArns.Select(arn => AwsArns.IsListenerRuleArn(arn) ? arn : throw AwsApiException.Validation($"'{arn}' is not a valid listener rule ARN"))
                .Select(arn => world.FindRule(arn) ?? throw new AwsApiException("RuleNotFound", AwsWorld.RulesNotFound))];
        }
        else if (listenerArn is not null)
        {
            selected = world.GetRules(ListenerArn(listenerArn));
        }
        else
        {
            throw AwsApiException.Validation("You must specify either listener rule ARNs or a listener ARN");
        }
        var (page, next) = Page(selected, parameters);
        return [new XElement(Ns + "Rules", page.Select(RuleElement)), .. NextMarker(next)];
    }

    private IEnumerable<XElement> DescribeTargetGroups(QueryParameters parameters)
    {
        var loadBalancerArn = parameters["LoadBalancerArn"];
        var arns = parameters.List("TargetGroupArns");
        var names = parameters.List("Names");
        if (new[] { loadBalancerArn is not null, arns.Count > 0, names.Count > 0 }.Count(b => b) > 1)
        {
            throw AwsApiException.Validation("Only one of load balancer ARN, target group ARNs or target group names can be specified");
        }
        IReadOnlyList<TargetGroup> selected;
        if (loadBalancerArn is not null)
        {
            selected = world.GetTargetGroupsOf(world.GetLoadBalancer(LoadBalancerArn(loadBalancerArn)).Arn);
        }
        else if (arns.Count > 0)
        {
            selected = RequireAll(world.GetTargetGroups(), [.. arns.Select(TargetGroupArn)], tg => tg.Arn, "TargetGroupNotFound", "One or more target groups not found");
        }
        else if (names.Count > 0)
        {
            selected = RequireNamed(world.GetTargetGroups(), names, tg => tg.Name, "TargetGroupNotFound", "Target groups");
        }
        else
        {
            selected = world.GetTargetGroups();
        }
        var (page, next) = Page(selected, parameters);
        return [new XElement(Ns + "TargetGroups", page.Select(TargetGroupElement)), .. NextMarker(next)];
    }

    private IEnumerable<XElement> DescribeTargetHealth(QueryParameters parameters)
    {
        var targetGroup = world.GetTargetGroup(TargetGroupArn(parameters.Required("TargetGroupArn")));
        var registered = world.GetTargets(targetGroup.Arn);
        var asked = parameters.Structures("Targets");
        var descriptions = new List<XElement>();
        if (asked.Count == 0)
        {
            descriptions.AddRange(registered.Select(t => TargetHealthElement(targetGroup, t.Id, t.Port, t.AvailabilityZone, t.Health)));
        }
        foreach (var fields in asked)
        {
            var id = fields.GetValueOrDefault("Id") ?? throw AwsApiException.Validation("1 validation error detected: Value null at 'targets.member.id' failed to satisfy constraint: Member must not be null");
            var port = fields.TryGetValue("Port", out var portText) ? int.Parse(portText, CultureInfo.InvariantCulture) : (int?)null;
            var matches = registered.Where(t => t.Id == id && (port is null || t.Port == port)).ToList();
            if (matches.Count == 0)
            {
                var notRegistered = new TargetHealth(TargetHealthState.Unused, "Target.NotRegistered", "Target is not registered to the target group", DateTimeOffset.MinValue);
                descriptions.Add(TargetHealthElement(targetGroup, id, port ?? targetGroup.Port, fields.GetValueOrDefault("AvailabilityZone"), notRegistered));
            }
            descriptions.AddRange(matches.Select(t => TargetHealthElement(targetGroup, t.Id, t.Port, t.AvailabilityZone, t.Health)));
        }
        return [new XElement(Ns + "TargetHealthDescriptions", descriptions)];
    }

    private IEnumerable<XElement> DescribeTags(QueryParameters parameters)
    {
        var arns = parameters.List("ResourceArns");
        if (arns.Count == 0)
        {
            throw AwsApiException.Validation("1 validation error detected: Value null at 'resourceArns' failed to satisfy constraint: Member must not be null");
        }
        if (arns.Count > 20)
        {
            throw AwsApiException.Validation($"1 validation error detected: Value '[{string.Join(", ", arns)}]' at 'resourceArns' failed to satisfy constraint: Member must have length less than or equal to 20");
        }
        var descriptions = arns.Select(arn =>
        {
            var tags = TagsOf(arn);
            return new XElement(Ns + "member",
                new XElement(Ns + "ResourceArn", arn),
                new XElement(Ns + "Tags", tags.Select(t => new XElement(Ns + "member", new XElement(Ns + "Key", t.Key), new XElement(Ns + "Value", t.Value)))));
        }).ToList();
        return [new XElement(Ns + "TagDescriptions", descriptions)];
    }

    private IEnumerable<XElement> DescribeSslPolicies(QueryParameters parameters)
    {
        var names = parameters.List("Names");
        var type = parameters["LoadBalancerType"];
        if (type is not (null or "application" or "network" or "gateway"))
        {
            throw AwsApiException.Validation($"1 validation error detected: Value '{type}' at 'loadBalancerType' failed to satisfy constraint: Member must satisfy enum value set: [application, network, gateway]");
        }
        IReadOnlyList<SslPolicy> selected = SslPolicies.All;
        if (names.Count > 0)
        {
            var missing = names.Where(n => SslPolicies.Find(n) is null).ToList();
            if (missing.Count > 0)
            {
                throw new AwsApiException("SSLPolicyNotFound", $"SSL policy '{missing[0]}' not found");
            }
            selected = [.. names.Distinct(StringComparer.Ordinal).Select(n => SslPolicies.Find(n)!)];
        }
        if (type is not null)
        {
            selected = [.. selected.Where(p => p.SupportedLoadBalancerTypes.Contains(type))];
        }
        var (page, next) = Page(selected, parameters);
        return [new XElement(Ns + "SslPolicies", page.Select(SslPolicyElement)), .. NextMarker(next)];
    }

    private IEnumerable<XElement> DescribeListenerCertificates(QueryParameters parameters)
    {
        var listener = GetListener(parameters.Required("ListenerArn"));
        var (page, next) = Page(listener.Certificates, parameters);
        return [new XElement(Ns + "Certificates", page.Select(c => new XElement(Ns + "member",
            new XElement(Ns + "CertificateArn", c.CertificateArn),
            new XElement(Ns + "IsDefault", c.IsDefault ? "true" : "false")))), .. NextMarker(next)];
    }

    private IEnumerable<XElement> ModifyTargetGroup(QueryParameters parameters)
    {
        var arn = TargetGroupArn(parameters.Required("TargetGroupArn"));
        var current = world.GetTargetGroup(arn).HealthCheck;
        var healthCheck = current with
        {
            Enabled = parameters.Bool("HealthCheckEnabled") ?? current.Enabled,
            Protocol = parameters["HealthCheckProtocol"] ?? current.Protocol,
            Port = parameters["HealthCheckPort"] ?? current.Port,
            Path = parameters["HealthCheckPath"] ?? current.Path,
            IntervalSeconds = parameters.Int("HealthCheckIntervalSeconds", 5, 300) ?? current.IntervalSeconds,
            TimeoutSeconds = parameters.Int("HealthCheckTimeoutSeconds", 2, 120) ?? current.TimeoutSeconds,
            HealthyThresholdCount = parameters.Int("HealthyThresholdCount", 2, 10) ?? current.HealthyThresholdCount,
            UnhealthyThresholdCount = parameters.Int("UnhealthyThresholdCount", 2, 10) ?? current.UnhealthyThresholdCount,
            Matcher = parameters["Matcher.HttpCode"] ?? current.Matcher,
        };
        if (healthCheck.Protocol is not ("HTTP" or "HTTPS" or "TCP"))
        {
            throw AwsApiException.Validation($"Health check protocol '{healthCheck.Protocol}' must be one of [HTTP, HTTPS, TCP]");
        }
        var updated = world.ModifyTargetGroup(arn, healthCheck);
        return [new XElement(Ns + "TargetGroups", TargetGroupElement(updated))];
    }

    private IEnumerable<XElement> ModifyTargetGroupAttributes(QueryParameters parameters)
    {
        var arn = TargetGroupArn(parameters.Required("TargetGroupArn"));
        var attributes = parameters.Structures("Attributes")
            .Select(f => KeyValuePair.Create(
                f.GetValueOrDefault("Key") ?? throw AwsApiException.Validation("Every attribute needs a Key (Attributes.member.N.Key)"),
                f.GetValueOrDefault("Value") ?? ""))
            .ToList();
        if (attributes.Count == 0)
        {
            throw AwsApiException.Validation("1 validation error detected: Value null at 'attributes' failed to satisfy constraint: Member must not be null");
        }
        var updated = world.ModifyTargetGroupAttributes(arn, attributes);
        return [AttributesElement([.. updated.Attributes])];
    }

    // ---- helpers -----------------------------------------------------------------------------------------------

    private ImmutableSortedDictionary<string, string> TagsOf(string arn) =>
        AwsArns.IsTaggableArn(arn) ? world.GetTags(arn) : throw AwsApiException.Validation($"'{arn}' is not a valid resource ARN");

    private Listener GetListener(string arn) =>
        world.FindListener(ListenerArn(arn)) ?? throw new AwsApiException("ListenerNotFound", AwsWorld.ListenersNotFound);

    private static string LoadBalancerArn(string arn) =>
        AwsArns.IsLoadBalancerArn(arn) ? arn : throw AwsApiException.Validation($"'{arn}' is not a valid load balancer ARN");

    private static string TargetGroupArn(string arn) =>
        AwsArns.IsTargetGroupArn(arn) ? arn : throw AwsApiException.Validation($"'{arn}' is not a valid target group ARN");

    private static string ListenerArn(string arn) =>
        AwsArns.IsListenerArn(arn) ? arn : throw AwsApiException.Validation($"'{arn}' is not a valid listener ARN");

    private static List<T> RequireAll<T>(IReadOnlyList<T> items, IReadOnlyList<string> wanted, Func<T, string> key, string code, string message)
    {
        var byKey = items.ToDictionary(key, StringComparer.Ordinal);
        return [.. wanted.Distinct(StringComparer.Ordinal).Select(k => byKey.TryGetValue(k, out var item) ? item : throw new AwsApiException(code, message))];
    }

    /// <summary>Lookups by name: AWS names the missing ones (<c>Load balancers '[a, b]' not found</c>).</summary>
    private static List<T> RequireNamed<T>(IReadOnlyList<T> items, IReadOnlyList<string> wanted, Func<T, string> key, string code, string noun)
    {
        var byKey = items.ToDictionary(key, StringComparer.Ordinal);
        var missing = wanted.Distinct(StringComparer.Ordinal).Where(k => !byKey.ContainsKey(k)).ToList();
        return missing.Count > 0
            ? throw new AwsApiException(code, $"{noun} '[{string.Join(", ", missing)}]' not found")
            : [.. wanted.Distinct(StringComparer.Ordinal).Select(k => byKey[k])];
    }

    private (IReadOnlyList<T> Page, string? NextMarker) Page<T>(IReadOnlyList<T> items, QueryParameters parameters)
    {
        var pageSize = parameters.Int("PageSize", 1, MaxPageSize) ?? DefaultPageSize;
        var offset = 0;
        if (parameters["Marker"] is { } marker)
        {
            offset = DecodeMarker(marker);
        }
        var page = items.Skip(offset).Take(pageSize).ToList();
        var next = offset + page.Count < items.Count ? EncodeMarker(offset + page.Count) : null;
        return (page, next);
    }

    private static IEnumerable<XElement> NextMarker(string? next) => next is null ? [] : [new XElement(Ns + "NextMarker", next)];

    private static string EncodeMarker(int offset) => Convert.ToBase64String(Encoding.UTF8.GetBytes("elbv2-offset:" + offset.ToString(CultureInfo.InvariantCulture)));

    private static int DecodeMarker(string marker)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(marker));
            if (text.StartsWith("elbv2-offset:", StringComparison.Ordinal) &&
                int.TryParse(text["elbv2-offset:".Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var offset))
            {
                return offset;
            }
        }
        catch (FormatException)
        {
            // falls through to the validation error below
        }
        throw AwsApiException.Validation($"Invalid marker '{marker}': pass the NextMarker of the previous page unchanged");
    }

    private static string StateCode(LoadBalancerStateCode state) => state switch
    {
        LoadBalancerStateCode.Provisioning => "provisioning",
        LoadBalancerStateCode.Active => "active",
        LoadBalancerStateCode.ActiveImpaired => "active_impaired",
        _ => "failed",
    };

    internal static string Timestamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
