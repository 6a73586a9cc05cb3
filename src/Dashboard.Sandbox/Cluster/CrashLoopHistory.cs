namespace Dashboard.Sandbox.Cluster;

/// <summary>
/// Where a container that has crashed since it first started stands now, by the kubelet's restart back-off: each run
/// lasts <see cref="Run"/>, then the kubelet waits 10 s, doubling after every restart up to 5 minutes, before starting
/// it again. A pod crash-looping for a day has therefore restarted about 24 h / 5 min ≈ 288 times, and its last
/// termination is minutes old, not the day the pod was created.
/// </summary>
internal readonly record struct CrashLoopHistory(long Restarts, DateTimeOffset LastStartedAt, DateTimeOffset LastFinishedAt)
{
    /// <summary>How long the crashing container runs before it exits.</summary>
    public static readonly TimeSpan Run = TimeSpan.FromSeconds(2);

    /// <summary>The kubelet's first back-off and its cap (<c>MaxContainerBackOff</c>).</summary>
    public static readonly TimeSpan InitialBackOff = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan MaxBackOff = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The restarts up to <paramref name="now"/> of a container first started at <paramref name="firstStart"/> that exits
    /// after every run, and the start and end of its last finished run; null when even the first run has not ended.
    /// </summary>
    public static CrashLoopHistory? Since(DateTimeOffset firstStart, DateTimeOffset now)
    {
        var started = firstStart;
        var finished = started + Run;
        if (finished > now)
        {
            return null;
        }
        long restarts = 0;
        var backOff = InitialBackOff;
        // Growing back-offs: a handful of steps before the cap.
        while (backOff < MaxBackOff)
        {
            var nextStart = finished + backOff;
            if (nextStart + Run > now)
            {
                return new CrashLoopHistory(restarts, started, finished);
            }
            started = nextStart;
            finished = started + Run;
            restarts++;
            backOff = backOff * 2 < MaxBackOff ? backOff * 2 : MaxBackOff;
        }
        // Then one restart every cap plus a run.
        var cycle = MaxBackOff + Run;
        var more = (now - finished).Ticks / cycle.Ticks;
        started += TimeSpan.FromTicks(cycle.Ticks * more);
        return new CrashLoopHistory(restarts + more, started, started + Run);
    }
}
