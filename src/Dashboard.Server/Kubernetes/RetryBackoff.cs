namespace Dashboard.Server.Kubernetes;

/// <summary>
/// The server's one back-off: bounded exponential with jitter. Attempt n waits d ± 20 % (never more than max) where
/// d = min(max, initial·2ⁿ), so that many callers retrying together do not hit a recovering API in lock step.
/// <see cref="Delay"/> is the pure schedule (the Kubernetes watch caches count their own attempts); <see cref="Fail"/>,
/// <see cref="Succeed"/> and <see cref="Until"/> keep one caller's state on top of it (the AWS poller, one per service):
/// each failure doubles the pause, a success ends it.
/// </summary>
public sealed class RetryBackoff(TimeSpan initial, TimeSpan max, Func<double>? random = null)
{
    private readonly Func<double> _random = random ?? Random.Shared.NextDouble;

    public TimeSpan Initial { get; } = initial;

    public TimeSpan Max { get; } = max;

    /// <summary>Failures since the last success.</summary>
    public int ConsecutiveFailures { get; private set; }

    /// <summary>When calls may resume; null when not backing off.</summary>
    public DateTimeOffset? Until { get; private set; }

    /// <summary>The delay before retry number <paramref name="attempt"/> (0 = first retry).</summary>
    public TimeSpan Delay(int attempt)
    {
        var exponent = Math.Clamp(attempt, 0, 30);
        var step = Math.Min(Max.TotalMilliseconds, Initial.TotalMilliseconds * Math.Pow(2, exponent));
        var jittered = step * (0.8 + (0.4 * _random()));
        return TimeSpan.FromMilliseconds(Math.Min(jittered, Max.TotalMilliseconds));
    }

    /// <summary>Whether the pause after the last failure still lasts at <paramref name="now"/>.</summary>
    public bool IsActive(DateTimeOffset now) => Until is { } until && until > now;

    /// <summary>Records a failure at <paramref name="now"/>: the next call waits <see cref="Delay"/> of the failures so far.</summary>
    public void Fail(DateTimeOffset now)
    {
        Until = now + Delay(ConsecutiveFailures);
        ConsecutiveFailures++;
    }

    /// <summary>Records a success: the pause ends and the schedule starts over.</summary>
    public void Succeed()
    {
        ConsecutiveFailures = 0;
        Until = null;
    }
}
