namespace Dashboard.Server.Kubernetes;

/// <summary>
/// Bounded exponential back-off with jitter: attempt n waits a random time in [d/2, d] where d = min(max, initial·2ⁿ),
/// so that many caches retrying together do not hit a recovering API server in lock step.
/// </summary>
public sealed class RetryBackoff(TimeSpan initial, TimeSpan max, Func<double>? random = null)
{
    private readonly Func<double> _random = random ?? Random.Shared.NextDouble;

    public TimeSpan Initial { get; } = initial;

    public TimeSpan Max { get; } = max;

    /// <summary>The delay before retry number <paramref name="attempt"/> (0 = first retry).</summary>
    public TimeSpan Delay(int attempt)
    {
        var exponent = Math.Clamp(attempt, 0, 30);
        var ceiling = Math.Min(Max.TotalMilliseconds, Initial.TotalMilliseconds * Math.Pow(2, exponent));
        var jittered = ceiling * (0.5 + (0.5 * _random()));
        return TimeSpan.FromMilliseconds(jittered);
    }
}
