using System.Collections.Concurrent;

namespace Dashboard.Server.Authentication.Sessions;

/// <summary>
/// Tells this replica's live circuits that their session was revoked (sign-out, expiry, role change), so they drop the
/// user at once. Other replicas learn it when they next revalidate against the store
/// (<c>Dashboard:Auth:SessionRevalidationInterval</c>).
/// </summary>
public sealed class SessionRevocations
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<Guid, Action>> _watchers = new(StringComparer.Ordinal);

    /// <summary>Calls <paramref name="onRevoked"/> when the session <paramref name="key"/> is revoked; dispose to stop.</summary>
    public IDisposable Watch(string key, Action onRevoked)
    {
        var id = Guid.NewGuid();
        _watchers.GetOrAdd(key, _ => new ConcurrentDictionary<Guid, Action>())[id] = onRevoked;
        return new Subscription(this, key, id);
    }

    /// <summary>The sessions with a watcher on this replica (for tests and diagnostics).</summary>
    public int WatchedSessions => _watchers.Count(pair => !pair.Value.IsEmpty);

    internal void Revoked(string key)
    {
        if (_watchers.TryRemove(key, out var watchers))
        {
            foreach (var watcher in watchers.Values)
            {
                watcher();
            }
        }
    }

    private sealed class Subscription(SessionRevocations owner, string key, Guid id) : IDisposable
    {
        public void Dispose()
        {
            if (owner._watchers.TryGetValue(key, out var watchers))
            {
                watchers.TryRemove(id, out _);
            }
        }
    }
}
