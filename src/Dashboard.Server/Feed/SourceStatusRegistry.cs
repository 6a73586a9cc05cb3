using Dashboard.Client.Model;

namespace Dashboard.Server.Feed;

/// <summary>
/// The current <see cref="SourceStatus"/> of every data source, fanned out to subscribers. Any source (Kubernetes here,
/// the AWS pollers later) publishes its own key.
/// </summary>
public sealed class SourceStatusRegistry(TimeProvider time, IEnumerable<ISourceScope>? scopes = null)
{
    private readonly FeedBroadcaster<SourceStatus> _broadcaster = new(time);
    private readonly Dictionary<string, string> _scopes = (scopes ?? []).Where(s => s.Scope is { Length: > 0 })
        .GroupBy(s => s.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last().Scope!, StringComparer.Ordinal);

    public FeedBroadcaster<SourceStatus> Broadcaster => _broadcaster;

    public SourceStatus? Get(string key) => _broadcaster.Current.GetValueOrDefault(key);

    public void Publish(SourceStatus status)
    {
        if (status.Scope is null && _scopes.TryGetValue(status.Key, out var scope))
        {
            status = status with { Scope = scope };
        }
        _broadcaster.Publish([Dashboard.Client.Feed.FeedChange<SourceStatus>.Upsert(status.Key, status)]);
        Changed?.Invoke(status);
    }

    /// <summary>Raised after each publish, on the publisher's thread: handlers must be quick and must not throw.</summary>
    public event Action<SourceStatus>? Changed;
}
