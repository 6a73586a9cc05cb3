namespace Dashboard.Sandbox.Cluster;

/// <summary>Timings of the simulated kubelet (configuration section <c>Sandbox:Cluster</c>).</summary>
public sealed class SandboxClusterOptions
{
    /// <summary>How long a pod's readiness takes to follow a change of its health annotation.</summary>
    public TimeSpan ReadinessDelay { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>How often a failing probe is counted again on the pod's <c>Unhealthy</c> event.</summary>
    public TimeSpan ProbeInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often a crash-looping or liveness-failing container restarts.</summary>
    public TimeSpan RestartInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a deleted pod's containers take to exit after SIGTERM (the pod shows Terminating meanwhile), unless the
    /// pod's <c>sandbox.endpoint-dashboard.dev/shutdown-seconds</c> annotation says otherwise; never longer than its grace period.
    /// </summary>
    public TimeSpan ShutdownDelay { get; set; } = TimeSpan.FromSeconds(2);
}
