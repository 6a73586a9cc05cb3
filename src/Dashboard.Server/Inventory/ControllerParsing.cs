using System.Globalization;
using System.Net;
using System.Text.Json;

namespace Dashboard.Server.Inventory;

/// <summary>
/// The AWS Load Balancer Controller's value parsers (Go's strconv, net.ParseCIDR and encoding/json), answering with the
/// error text the controller's events carry, so a lint can quote what the controller will say. Pure.
/// </summary>
public static class ControllerParsing
{
    /// <summary>Go's strconv.ParseBool: 1, t, T, TRUE, true, True, 0, f, F, FALSE, false, False.</summary>
    public static bool? GoBool(string raw) => raw switch
    {
        "1" or "t" or "T" or "TRUE" or "true" or "True" => true,
        "0" or "f" or "F" or "FALSE" or "false" or "False" => false,
        _ => null,
    };

    /// <summary>The controller's bool annotation error, or null when <paramref name="raw"/> parses.</summary>
    public static string? BoolError(string key, string raw) =>
        GoBool(raw) is null ? $"failed to parse bool annotation, {key}: {raw}: strconv.ParseBool: parsing \"{raw}\": invalid syntax" : null;

    /// <summary>Go's strconv.ParseInt(raw, 10, 32): an optional sign and decimal digits, within int32.</summary>
    public static int? GoInt32(string raw, out string? error, string key)
    {
        error = null;
        var digits = raw.StartsWith('+') || raw.StartsWith('-') ? raw[1..] : raw;
        if (digits.Length == 0 || !digits.All(char.IsAsciiDigit))
        {
            error = $"failed to parse int32 annotation, {key}: {raw}: strconv.ParseInt: parsing \"{raw}\": invalid syntax";
            return null;
        }
        if (!int.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            error = $"failed to parse int32 annotation, {key}: {raw}: strconv.ParseInt: parsing \"{raw}\": value out of range";
            return null;
        }
        return value;
    }

    /// <summary>Go's net.ParseCIDR error text, or null for a valid IPv4 or IPv6 CIDR.</summary>
    public static string? CidrError(string cidr)
    {
        var slash = cidr.IndexOf('/', StringComparison.Ordinal);
        if (slash > 0 && IPAddress.TryParse(cidr[..slash], out var address) && IsPlainAddress(cidr[..slash], address)
            && int.TryParse(cidr[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var bits)
            && bits <= (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128))
        {
            return null;
        }
        return $"invalid CIDR address: {cidr}";
    }

    /// <summary>.NET also accepts "1" or "1.2" as IPv4; Go wants four dotted decimals (or an IPv6 form with ':').</summary>
    private static bool IsPlainAddress(string text, IPAddress address) =>
        address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
            ? text.Contains(':', StringComparison.Ordinal)
            : text.Split('.') is { Length: 4 } parts && parts.All(p => p.Length is > 0 and <= 3 && p.All(char.IsAsciiDigit));

    /// <summary>The controller's stringMap split ("k=v,k=v"); the error when an entry has no '=' or an empty key.</summary>
    public static string? StringMapError(string key, string raw)
    {
        foreach (var entry in raw.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = entry.IndexOf('=', StringComparison.Ordinal);
            if (equals < 0 || entry[..equals].Trim().Length == 0)
            {
                return $"failed to parse stringMap annotation, {key}: {raw}";
            }
        }
        return null;
    }

    /// <summary>
    /// Go's encoding/json error for a document that is not valid JSON (the common cases: empty or cut-off input, a bad
    /// first character, a misspelt literal), or null when it parses.
    /// </summary>
    public static string? JsonError(string raw)
    {
        try
        {
            using var _ = JsonDocument.Parse(raw);
            return null;
        }
        catch (JsonException e)
        {
            var text = raw.TrimStart();
            if (text.Length == 0)
            {
                return "unexpected end of JSON input";
            }
            var first = text[0];
            foreach (var literal in (ReadOnlySpan<string>)["true", "false", "null"])
            {
                if (first != literal[0])
                {
                    continue;
                }
                for (var i = 1; i < literal.Length; i++)
                {
                    if (i >= text.Length)
                    {
                        return "unexpected end of JSON input";
                    }
                    if (text[i] != literal[i])
                    {
                        return $"invalid character '{text[i]}' in literal {literal} (expecting '{literal[i]}')";
                    }
                }
            }
            if (first is not ('{' or '[' or '"' or '-' or (>= '0' and <= '9')))
            {
                return $"invalid character '{first}' looking for beginning of value";
            }
            var position = (int)(e.BytePositionInLine ?? 0);
            return position >= raw.TrimEnd().Length ? "unexpected end of JSON input" : $"invalid JSON at offset {position}";
        }
    }

    /// <summary>Go's fmt %v of a string slice: [a b c].</summary>
    public static string GoList(IEnumerable<string> items) => "[" + string.Join(' ', items) + "]";
}
