using System.Collections.Immutable;
using System.Text.Json;

namespace Dashboard.Server.LoadBalancers;

/// <summary>
/// Structural equality of the ELBv2 records, which hold lists (record equality compares those by reference): two
/// values are the same when they serialise to the same JSON. Used to keep the previous instance of anything unchanged,
/// so consumers can skip work by reference comparison.
/// </summary>
internal static class SameContent
{
    public static bool Equal<T>(T a, T b) where T : class =>
        ReferenceEquals(a, b) || JsonSerializer.SerializeToUtf8Bytes(a).AsSpan().SequenceEqual(JsonSerializer.SerializeToUtf8Bytes(b));

    /// <summary>
    /// <paramref name="fresh"/> with every item equal to one of <paramref name="previous"/> (same key, same content)
    /// replaced by the previous instance; <paramref name="previous"/> itself when nothing changed.
    /// </summary>
    public static ImmutableArray<T> Reuse<T>(ImmutableArray<T> previous, IReadOnlyList<T> fresh, Func<T, string> key)
        where T : class
    {
        var old = previous.IsDefault ? [] : previous.ToDictionary(key, StringComparer.Ordinal);
        var result = fresh.Select(item => old.TryGetValue(key(item), out var existing) && Equal(existing, item) ? existing : item).ToArray();
        return !previous.IsDefault && previous.Length == result.Length && previous.Zip(result).All(p => ReferenceEquals(p.First, p.Second))
            ? previous
            : [.. result];
    }
}
