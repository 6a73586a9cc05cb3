namespace Dashboard.Server.LoadBalancers;

/// <summary>
/// Exponential back-off with jitter for one AWS service: each failure doubles the pause (up to a maximum), a success
/// ends it. While it lasts the pollers make no call to that service.
/// </summary>
public sealed class PollingBackoff(TimeSpan initialDelay, TimeSpan maxDelay, Random random)
{
    private int _failures;

    /// <summary>When calls may resume; null when not backing off.</summary>
    public DateTimeOffset? Until { get; private set; }

    public int ConsecutiveFailures => _failures;

    public bool IsActive(DateTimeOffset now) => Until is { } until && until > now;

    public void Fail(DateTimeOffset now)
    {
        _failures++;
        var exponential = initialDelay.TotalMilliseconds * Math.Pow(2, Math.Min(_failures - 1, 20));
        var jittered = exponential * (0.8 + (0.4 * random.NextDouble()));
        Until = now + TimeSpan.FromMilliseconds(Math.Min(jittered, maxDelay.TotalMilliseconds));
    }

    public void Succeed()
    {
        _failures = 0;
        Until = null;
    }
}
