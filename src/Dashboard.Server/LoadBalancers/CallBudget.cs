namespace Dashboard.Server.LoadBalancers;

/// <summary>
/// A token bucket: <see cref="PerMinute"/> tokens a minute up to <see cref="Capacity"/>. Work starts only while a
/// token is left and is charged what it actually cost afterwards (a paged call may cost several), so the bucket can
/// go briefly into debt; the rate over any window stays within capacity + rate × window.
/// </summary>
public sealed class CallBudget
{
    private readonly TimeProvider _time;
    private double _tokens;
    private DateTimeOffset _refilledAt;

    public CallBudget(double perMinute, int capacity, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(perMinute);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        PerMinute = perMinute;
        Capacity = capacity;
        _time = time;
        _tokens = capacity;
        _refilledAt = time.GetUtcNow();
    }

    public double PerMinute { get; }
    public int Capacity { get; }

    /// <summary>Tokens now (negative while in debt).</summary>
    public double Tokens
    {
        get
        {
            Refill();
            return _tokens;
        }
    }

    /// <summary>True when at least one call may start.</summary>
    public bool CanSpend => Tokens >= 1;

    /// <summary>Takes <paramref name="calls"/> tokens, into debt if need be.</summary>
    public void Charge(double calls)
    {
        Refill();
        _tokens -= calls;
    }

    private void Refill()
    {
        var now = _time.GetUtcNow();
        var elapsed = now - _refilledAt;
        if (elapsed > TimeSpan.Zero)
        {
            _tokens = Math.Min(Capacity, _tokens + (elapsed.TotalMinutes * PerMinute));
            _refilledAt = now;
        }
    }
}
