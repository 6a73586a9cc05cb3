using Dashboard.Client.Model;

namespace Dashboard.Server.Feed;

/// <summary>One part of a data source (a watched kind, an AWS call, a part of the cost report) as its combined status reads it.</summary>
/// <param name="State">The part's own state.</param>
/// <param name="LastGoodAt">When the part last had good data; null when never.</param>
/// <param name="Message">Why the part is stale.</param>
/// <param name="NextRetryAt">When a stale part is tried again.</param>
public sealed record SourcePart(SourceState State, DateTimeOffset? LastGoodAt, string? Message = null, DateTimeOffset? NextRetryAt = null);

/// <summary>The one way source states combine, for every source that has parts (Kubernetes, AWS polling, AWS cost). Pure.</summary>
public static class SourceStates
{
    /// <summary>
    /// Stale while any part fails (its message is the first failing part's, the retry the earliest), else Syncing while
    /// any part has not been read, else Live. LastGoodAt is the oldest part's last good moment: null while any part has
    /// none, since the source as a whole has then never been good.
    /// </summary>
    /// <param name="key">The source's key, e.g. <c>kubernetes</c>.</param>
    /// <param name="displayName">The source's name as the pages show it.</param>
    /// <param name="parts">The parts, the one whose message should be shown first.</param>
    /// <param name="partsName">What the parts are, for "(and 2 more kinds failing)".</param>
    public static SourceStatus Combine(string key, string displayName, IReadOnlyList<SourcePart> parts, string partsName)
    {
        ArgumentNullException.ThrowIfNull(parts);
        var stale = parts.Where(p => p.State == SourceState.Stale).ToList();
        var state = stale.Count > 0 ? SourceState.Stale
            : parts.Any(p => p.State == SourceState.Syncing) ? SourceState.Syncing
            : SourceState.Live;
        return new SourceStatus
        {
            Key = key,
            DisplayName = displayName,
            State = state,
            LastGoodAt = parts.Count > 0 && parts.All(p => p.LastGoodAt.HasValue) ? parts.Min(p => p.LastGoodAt) : null,
            Message = stale.Count == 0 ? null : stale[0].Message + (stale.Count > 1 ? $" (and {stale.Count - 1} more {partsName} failing)" : ""),
            NextRetryAt = stale.Count == 0 ? null : stale.Min(p => p.NextRetryAt),
        };
    }
}
