using Dashboard.Client.Model;

namespace Dashboard.Server.Costs;

/// <summary>
/// One cached part of the cost report: read when its time has come, kept for <c>ttl</c>; after a failure the last good
/// value stays (marked stale, with the reason) and the read is tried again after <c>retryAfterFailure</c> — never on every
/// viewer's request. A failure that means "this source cannot answer here" (<c>isUnavailable</c>) marks the part
/// unavailable instead of stale. Not thread-safe: <see cref="CostService"/> serialises refreshes.
/// </summary>
public sealed partial class CachedPart<T>(string key, string displayName, TimeProvider time, Func<Exception, bool>? isUnavailable = null) where T : class
{
    private DateTimeOffset? _nextAttemptAt;

    public string Key { get; } = key;
    public string DisplayName { get; } = displayName;
    public T? Value { get; private set; }
    public DateTimeOffset? AsOf { get; private set; }
    public CostSourceState State { get; private set; } = CostSourceState.Pending;
    public string? Message { get; private set; }

    /// <summary>Whether the next <see cref="RefreshAsync"/> would read the source.</summary>
    public bool IsDue => _nextAttemptAt is null || time.GetUtcNow() >= _nextAttemptAt;

    /// <summary>Reads the source if the cached value has expired; true when a read was attempted.</summary>
    public async Task<bool> RefreshAsync(Func<CancellationToken, Task<T>> read, TimeSpan ttl, TimeSpan retryAfterFailure, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(read);
        if (!IsDue)
        {
            return false;
        }
        try
        {
            var value = await read(cancellationToken);
            Value = value;
            AsOf = time.GetUtcNow();
            State = CostSourceState.Live;
            Message = null;
            _nextAttemptAt = AsOf + ttl;
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var unavailable = isUnavailable?.Invoke(exception) == true;
            State = unavailable ? CostSourceState.Unavailable : CostSourceState.Stale;
            Message = exception.Message;
            if (unavailable)
            {
                Value = null;
                AsOf = time.GetUtcNow();
            }
            // An unavailable source will not answer sooner: ask again only when a good value would have expired.
            _nextAttemptAt = time.GetUtcNow() + (unavailable ? ttl : retryAfterFailure);
        }
        return true;
    }

    /// <summary>Marks the part as not applicable now, with the reason; its next read is after <paramref name="ttl"/>.</summary>
    public void MarkUnavailable(string reason, TimeSpan ttl)
    {
        Value = null;
        State = CostSourceState.Unavailable;
        Message = reason;
        AsOf = time.GetUtcNow();
        _nextAttemptAt = AsOf + ttl;
    }

    public CostSourceInfo Info => new()
    {
        Key = Key,
        DisplayName = DisplayName,
        State = State,
        AsOf = AsOf,
        Message = Message,
        NextRefreshAt = _nextAttemptAt,
    };
}
