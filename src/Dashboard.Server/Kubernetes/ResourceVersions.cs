using System.Globalization;

namespace Dashboard.Server.Kubernetes;

/// <summary>
/// Ordering of resourceVersions. They are opaque strings by contract, but every real API server (etcd revisions) and the
/// sandbox use integers; when both parse they are compared numerically, otherwise only equality is known — the rule
/// Headlamp's list/watch merge uses.
/// </summary>
public static class ResourceVersions
{
    /// <summary>True when <paramref name="candidate"/> should replace <paramref name="current"/>.</summary>
    public static bool IsNewer(string? candidate, string? current)
    {
        if (TryParse(candidate, out var c) && TryParse(current, out var k))
        {
            return c > k;
        }
        return !string.Equals(candidate, current, StringComparison.Ordinal);
    }

    /// <summary>True only when both parse and <paramref name="candidate"/> is strictly older.</summary>
    public static bool IsOlder(string? candidate, string? current) =>
        TryParse(candidate, out var c) && TryParse(current, out var k) && c < k;

    private static bool TryParse(string? value, out ulong result) =>
        ulong.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out result);
}
