using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Primitives;

namespace Dashboard.Sandbox.Aws.Emulator;

/// <summary>The parsed <c>Authorization</c> header of a SigV4-signed request.</summary>
public sealed record SigV4Authorization(
    string AccessKeyId, string Date, string Region, string Service, IReadOnlyList<string> SignedHeaders, string Signature)
{
    public string Scope => $"{Date}/{Region}/{Service}/aws4_request";
}

/// <summary>
/// Checks AWS Signature Version 4 on incoming requests by recomputing the canonical request and the signature with
/// the caller's secret. Hand-written: AWSSDK.Core signs requests but offers no server-side verifier.
/// The sandbox's rule for secrets is simple and documented in docs/sandbox.md: the secret access key of every access
/// key id is the access key id itself (so <c>sandbox</c>/<c>sandbox</c> and <c>test</c>/<c>test</c> both work).
/// </summary>
public static class SigV4Verifier
{
    public const string Algorithm = "AWS4-HMAC-SHA256";

    /// <summary>The secret the sandbox expects for an access key id.</summary>
    public static string SecretFor(string accessKeyId) => accessKeyId;

    /// <summary>Parses <c>AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…</c>; null when absent or malformed.</summary>
    public static SigV4Authorization? Parse(string? header)
    {
        if (string.IsNullOrEmpty(header) || !header.StartsWith(Algorithm + " ", StringComparison.Ordinal))
        {
            return null;
        }
        var parts = header[(Algorithm.Length + 1)..]
            .Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .Where(p => p.Length == 2)
            .ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
        if (!parts.TryGetValue("Credential", out var credential) || !parts.TryGetValue("SignedHeaders", out var signedHeaders) ||
            !parts.TryGetValue("Signature", out var signature))
        {
            return null;
        }
        var scope = credential.Split('/');
        if (scope.Length != 5 || scope[4] != "aws4_request")
        {
            return null;
        }
        return new SigV4Authorization(scope[0], scope[1], scope[2], scope[3], signedHeaders.Split(';'), signature);
    }

    /// <summary>Whether the signature matches the one computed from the request with the key's secret.</summary>
    public static bool Verify(HttpRequest request, ReadOnlySpan<byte> body, SigV4Authorization authorization)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(authorization);
        var amzDate = request.Headers["X-Amz-Date"].ToString();
        if (amzDate.Length == 0)
        {
            return false;
        }
        var canonicalRequest = CanonicalRequest(request, body, authorization.SignedHeaders);
        var stringToSign = string.Join('\n', Algorithm, amzDate, authorization.Scope, Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest))));
        var key = SigningKey(SecretFor(authorization.AccessKeyId), authorization.Date, authorization.Region, authorization.Service);
        var expected = Hex(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(stringToSign)));
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(authorization.Signature));
    }

    internal static string CanonicalRequest(HttpRequest request, ReadOnlySpan<byte> body, IReadOnlyList<string> signedHeaders)
    {
        var builder = new StringBuilder();
        builder.Append(request.Method.ToUpperInvariant()).Append('\n');
        builder.Append(CanonicalPath(request.PathBase + request.Path)).Append('\n');
        builder.Append(CanonicalQuery(request.QueryString.Value)).Append('\n');
        foreach (var name in signedHeaders)
        {
            var values = name == "host" ? new StringValues(request.Host.Value) : request.Headers[name];
            builder.Append(name).Append(':').Append(string.Join(',', values.Select(v => CollapseSpaces(v ?? "")))).Append('\n');
        }
        builder.Append('\n').Append(string.Join(';', signedHeaders)).Append('\n');
        var payloadHash = request.Headers["X-Amz-Content-Sha256"].ToString();
        builder.Append(payloadHash.Length == 64 ? payloadHash : Hex(SHA256.HashData(body)));
        return builder.ToString();
    }

    private static byte[] SigningKey(string secret, string date, string region, string service)
    {
        var key = HMACSHA256.HashData(Encoding.UTF8.GetBytes("AWS4" + secret), Encoding.UTF8.GetBytes(date));
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(region));
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(service));
        return HMACSHA256.HashData(key, "aws4_request"u8.ToArray());
    }

    private static string CanonicalPath(PathString path)
    {
        var raw = path.HasValue ? path.Value! : "/";
        var segments = raw.Split('/').Select(s => Uri.EscapeDataString(s));
        return string.Join('/', segments);
    }

    private static string CanonicalQuery(string? query)
    {
        if (string.IsNullOrEmpty(query) || query == "?")
        {
            return "";
        }
        var pairs = query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .Select(p => (Key: Encode(Uri.UnescapeDataString(p[0])), Value: Encode(p.Length > 1 ? Uri.UnescapeDataString(p[1]) : "")))
            .OrderBy(p => p.Key, StringComparer.Ordinal).ThenBy(p => p.Value, StringComparer.Ordinal);
        return string.Join('&', pairs.Select(p => p.Key + "=" + p.Value));
    }

    private static string Encode(string value) => Uri.EscapeDataString(value);

    private static string CollapseSpaces(string value) => string.Join(' ', value.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries));

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}
