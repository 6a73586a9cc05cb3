using System.Collections.Immutable;
using System.Globalization;

namespace Dashboard.Server.Inventory;

/// <summary>
/// Parsers for the value formats AWS load-balancer annotations use: "k=v,k=v" (also across lines, as the seed writes
/// them), comma lists, integers and booleans. Hand-written: the formats are the controller's own, no package reads them.
/// </summary>
public static class AnnotationValues
{
    private static readonly char[] ListSeparators = [',', '\n', '\r'];

    public static string? Get(IDictionary<string, string>? annotations, string key) =>
        annotations is not null && annotations.TryGetValue(key, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    /// <summary>The first annotation of <paramref name="keys"/> that is set.</summary>
    public static string? First(IDictionary<string, string>? annotations, params ReadOnlySpan<string> keys)
    {
        foreach (var key in keys)
        {
            if (Get(annotations, key) is { } value)
            {
                return value;
            }
        }
        return null;
    }

    /// <summary>"a=1, b=2" or one pair per line → {a: 1, b: 2}; entries without '=' are ignored.</summary>
    public static ImmutableDictionary<string, string> KeyValues(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return ImmutableDictionary<string, string>.Empty;
        }
        var builder = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (var entry in value.Split(ListSeparators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = entry.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                builder[entry[..equals].Trim()] = entry[(equals + 1)..].Trim();
            }
        }
        return builder.ToImmutable();
    }

    /// <summary>"a, b,c" → [a, b, c].</summary>
    public static ImmutableArray<string> List(string? value) =>
        string.IsNullOrWhiteSpace(value)
            ? []
            : [.. value.Split(ListSeparators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    public static int? Int(string? value) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var result) ? result : null;

    public static bool? Bool(string? value) =>
        bool.TryParse(value, out var result) ? result : null;
}
