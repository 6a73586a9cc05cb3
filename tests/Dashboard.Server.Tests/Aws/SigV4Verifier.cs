using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Dashboard.Server.Tests.Aws;

/// <summary>
/// Recomputes an AWS Signature Version 4 on the receiving side, independently of AWSSDK.Core, from the request
/// exactly as the server saw it (the algorithm of the AWS General Reference, "Create a signed AWS API request").
/// </summary>
internal static partial class SigV4Verifier
{
    public sealed record ParsedAuthorization(string AccessKey, string Date, string Region, string Service, IReadOnlyList<string> SignedHeaders, string Signature);

    public static ParsedAuthorization Parse(string authorization)
    {
        var match = AuthorizationPattern().Match(authorization);
        Assert.True(match.Success, $"Authorization header has not the SigV4 shape: {authorization}");
        return new ParsedAuthorization(
            match.Groups["key"].Value,
            match.Groups["date"].Value,
            match.Groups["region"].Value,
            match.Groups["service"].Value,
            match.Groups["signed"].Value.Split(';'),
            match.Groups["signature"].Value);
    }

    /// <summary>The signature the request should carry if signed with <paramref name="secretKey"/>.</summary>
    public static string ExpectedSignature(RecordedRequest request, string secretKey)
    {
        var authorization = Parse(request.Header("Authorization") ?? throw new InvalidOperationException("unsigned request"));
        var amzDate = request.Header("X-Amz-Date") ?? throw new InvalidOperationException("no X-Amz-Date");
        var canonicalHeaders = string.Concat(authorization.SignedHeaders.Select(name =>
            $"{name}:{CollapseSpaces(request.Header(name) ?? string.Empty)}\n"));
        var canonicalRequest = string.Join('\n',
            request.Method,
            request.Path,
            request.Query.TrimStart('?'),
            canonicalHeaders,
            string.Join(';', authorization.SignedHeaders),
            Hex(SHA256.HashData(request.Body)));
        var scope = $"{authorization.Date}/{authorization.Region}/{authorization.Service}/aws4_request";
        var stringToSign = $"AWS4-HMAC-SHA256\n{amzDate}\n{scope}\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest)))}";
        var key = Hmac(Encoding.UTF8.GetBytes("AWS4" + secretKey), authorization.Date);
        key = Hmac(key, authorization.Region);
        key = Hmac(key, authorization.Service);
        key = Hmac(key, "aws4_request");
        return Hex(Hmac(key, stringToSign));
    }

    public static DateTimeOffset SignedAt(RecordedRequest request) =>
        DateTimeOffset.ParseExact(request.Header("X-Amz-Date")!, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    private static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);

    private static string CollapseSpaces(string value) => SpacesPattern().Replace(value.Trim(), " ");

    [GeneratedRegex(@"^AWS4-HMAC-SHA256 Credential=(?<key>[^/]+)/(?<date>\d{8})/(?<region>[a-z0-9-]+)/(?<service>[a-z0-9-]+)/aws4_request, ?SignedHeaders=(?<signed>[a-z0-9;-]+), ?Signature=(?<signature>[0-9a-f]{64})$")]
    private static partial Regex AuthorizationPattern();

    [GeneratedRegex(@"\s+")]
    private static partial Regex SpacesPattern();
}
