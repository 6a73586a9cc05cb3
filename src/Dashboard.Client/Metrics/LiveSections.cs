namespace Dashboard.Client.Metrics;

/// <summary>
/// The live Metrics sections each user has open, over all their tabs and circuits: a live section re-reads CloudWatch
/// every minute, and the shared cache makes identical views free but not different ones, so one user cannot keep more than
/// <see cref="PerUser"/> of them live. A section past the cap shows its charts once and says why it does not refresh.
/// Registered as a singleton by the server; without it (tests, other hosts) there is no cap.
/// </summary>
public sealed class LiveSections
{
    /// <summary>Live sections one user may have open at once.</summary>
    public const int PerUser = 8;

    private readonly Dictionary<string, int> _open = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Live sections <paramref name="user"/> has open now.</summary>
    public int Open(string user)
    {
        lock (_open)
        {
            return _open.GetValueOrDefault(user);
        }
    }

    /// <summary>A lease on one live section (dispose it when the section closes or stops being live), or null at the cap.</summary>
    public IDisposable? TryEnter(string user)
    {
        lock (_open)
        {
            var open = _open.GetValueOrDefault(user);
            if (open >= PerUser)
            {
                return null;
            }
            _open[user] = open + 1;
            return new Lease(this, user);
        }
    }

    private void Leave(string user)
    {
        lock (_open)
        {
            if (_open.TryGetValue(user, out var open))
            {
                if (open <= 1)
                {
                    _open.Remove(user);
                }
                else
                {
                    _open[user] = open - 1;
                }
            }
        }
    }

    private sealed class Lease(LiveSections owner, string user) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                owner.Leave(user);
            }
        }
    }
}
