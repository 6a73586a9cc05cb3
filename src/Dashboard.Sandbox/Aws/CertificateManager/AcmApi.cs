using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Dashboard.Sandbox.Aws.CertificateManager;

/// <summary>
/// AWS Certificate Manager (2015-12-08, JSON 1.1, <c>X-Amz-Target: CertificateManager.*</c>) over <see cref="AwsWorld"/>:
/// <c>ListCertificates</c> (status filter, paging) and <c>DescribeCertificate</c>, timestamps in epoch seconds, ACM's
/// error codes (<c>ResourceNotFoundException</c>, <c>InvalidArnException</c>).
/// </summary>
public sealed class AcmApi(AwsWorld world)
{
    public const string TargetPrefix = "CertificateManager";

    public JsonNode Handle(string action, JsonElement body) => action switch
    {
        "ListCertificates" => ListCertificates(body),
        "DescribeCertificate" => DescribeCertificate(body),
        _ => throw new AwsApiException("UnknownOperationException", $"Operation {action} is not emulated; the sandbox serves ListCertificates and DescribeCertificate"),
    };

    private JsonObject ListCertificates(JsonElement body)
    {
        var statuses = body.TryGetProperty("CertificateStatuses", out var s) && s.ValueKind == JsonValueKind.Array
            ? s.EnumerateArray().Select(e => e.GetString() ?? "").ToHashSet(StringComparer.Ordinal)
            : null;
        var max = body.TryGetProperty("MaxItems", out var m) ? m.GetInt32() : 1000;
        if (max is < 1 or > 1000)
        {
            throw new AwsApiException("ValidationException", $"1 validation error detected: Value '{max}' at 'maxItems' failed to satisfy constraint: Member must have value between 1 and 1000");
        }
        var start = body.TryGetProperty("NextToken", out var t) && t.GetString() is { Length: > 0 } token ? Decode(token) : 0;
        var all = world.GetCertificates().Where(c => statuses is null || statuses.Contains(c.Status)).ToList();
        var page = all.Skip(start).Take(max).ToList();
        var result = new JsonObject
        {
            ["CertificateSummaryList"] = new JsonArray([.. page.Select(c => (JsonNode)new JsonObject
            {
                ["CertificateArn"] = c.Arn,
                ["DomainName"] = c.DomainName,
                ["SubjectAlternativeNameSummaries"] = new JsonArray([.. c.SubjectAlternativeNames.Select(n => (JsonNode)JsonValue.Create(n))]),
                ["HasAdditionalSubjectAlternativeNames"] = false,
                ["Status"] = c.Status,
                ["Type"] = c.Type,
                ["KeyAlgorithm"] = c.KeyAlgorithm,
                ["KeyUsages"] = new JsonArray("DIGITAL_SIGNATURE", "KEY_ENCIPHERMENT"),
                ["ExtendedKeyUsages"] = new JsonArray("TLS_WEB_SERVER_AUTHENTICATION", "TLS_WEB_CLIENT_AUTHENTICATION"),
                ["InUse"] = !world.CertificateUsers(c.Arn).IsEmpty,
                ["RenewalEligibility"] = "ELIGIBLE",
                ["NotBefore"] = Epoch(c.NotBefore),
                ["NotAfter"] = Epoch(c.NotAfter),
                ["CreatedAt"] = Epoch(c.CreatedAt),
                ["IssuedAt"] = Epoch(c.NotBefore),
            })]),
        };
        if (start + page.Count < all.Count)
        {
            result["NextToken"] = Convert.ToBase64String(Encoding.UTF8.GetBytes((start + page.Count).ToString(CultureInfo.InvariantCulture)));
        }
        return result;
    }

    private JsonObject DescribeCertificate(JsonElement body)
    {
        var arn = body.TryGetProperty("CertificateArn", out var a) ? a.GetString() : null;
        if (string.IsNullOrEmpty(arn))
        {
            throw new AwsApiException("ValidationException", "1 validation error detected: Value null at 'certificateArn' failed to satisfy constraint: Member must not be null");
        }
        if (!arn.StartsWith("arn:aws:acm:", StringComparison.Ordinal) || !arn.Contains(":certificate/", StringComparison.Ordinal))
        {
            throw new AwsApiException("InvalidArnException", $"String '{arn}' is not a valid ARN");
        }
        var c = world.FindCertificate(arn)
            ?? throw new AwsApiException("ResourceNotFoundException", $"Could not find certificate {arn}.");
        return new JsonObject
        {
            ["Certificate"] = new JsonObject
            {
                ["CertificateArn"] = c.Arn,
                ["DomainName"] = c.DomainName,
                ["SubjectAlternativeNames"] = new JsonArray([.. c.SubjectAlternativeNames.Select(n => (JsonNode)JsonValue.Create(n))]),
                ["DomainValidationOptions"] = new JsonArray([.. c.SubjectAlternativeNames.Select(n => (JsonNode)new JsonObject
                {
                    ["DomainName"] = n,
                    ["ValidationDomain"] = n,
                    ["ValidationStatus"] = "SUCCESS",
                    ["ValidationMethod"] = "DNS",
                })]),
                ["Serial"] = c.Serial,
                ["Subject"] = "CN=" + c.DomainName,
                ["Issuer"] = "Amazon",
                ["CreatedAt"] = Epoch(c.CreatedAt),
                ["IssuedAt"] = Epoch(c.NotBefore),
                ["Status"] = c.Status,
                ["NotBefore"] = Epoch(c.NotBefore),
                ["NotAfter"] = Epoch(c.NotAfter),
                ["KeyAlgorithm"] = c.KeyAlgorithm,
                ["SignatureAlgorithm"] = "SHA256WITHRSA",
                ["InUseBy"] = new JsonArray([.. world.CertificateUsers(c.Arn).Select(u => (JsonNode)JsonValue.Create(u))]),
                ["Type"] = c.Type,
                ["RenewalEligibility"] = "ELIGIBLE",
                ["Options"] = new JsonObject { ["CertificateTransparencyLoggingPreference"] = "ENABLED" },
            },
        };
    }

    private static double Epoch(DateTimeOffset time) => time.ToUnixTimeMilliseconds() / 1000.0;

    private static int Decode(string token)
    {
        try
        {
            return int.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(token)), NumberStyles.None, CultureInfo.InvariantCulture);
        }
        catch (FormatException)
        {
            throw new AwsApiException("InvalidArgsException", "The NextToken is not valid");
        }
    }
}
