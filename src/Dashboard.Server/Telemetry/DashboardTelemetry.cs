using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Dashboard.Server.Telemetry;

/// <summary>
/// The dashboard's own instruments (meter and activity source <see cref="Name"/>): what an operator watches to see what
/// the dashboard itself is doing. Names follow the OpenTelemetry conventions (dotted, lower case, unit in the
/// instrument, not the name). AWS requests are counted by <c>dashboard.aws.requests</c> (meter <c>Dashboard.Aws</c>).
/// </summary>
public sealed class DashboardTelemetry : IDisposable
{
    public const string Name = "Dashboard";

    private readonly Meter _meter;

    public DashboardTelemetry(IMeterFactory meterFactory)
    {
        _meter = meterFactory.Create(Name);
        PollDuration = _meter.CreateHistogram<double>("dashboard.aws.poll.duration", unit: "s",
            description: "Duration of one AWS polling round on the leader (every due read of the round).");
        Publications = _meter.CreateCounter<long>("dashboard.state.publications", unit: "{document}",
            description: "Documents the leader wrote to the state store (aws-snapshot, cost-explorer).");
        Loads = _meter.CreateCounter<long>("dashboard.state.loads", unit: "{document}",
            description: "Published documents a replica loaded from the state store.");
        PublishLag = _meter.CreateHistogram<double>("dashboard.state.publish.lag", unit: "s",
            description: "Time from the leader's write of a document to a follower serving it.");
    }

    /// <summary>Spans of the dashboard's own work: a polling round, a publication.</summary>
    public static ActivitySource Source { get; } = new(Name);

    public Histogram<double> PollDuration { get; }
    public Counter<long> Publications { get; }
    public Counter<long> Loads { get; }
    public Histogram<double> PublishLag { get; }

    /// <summary>An observable gauge read at each collection (feed subscribers, leader state, ...).</summary>
    public void Observe(string name, string unit, string description, Func<IEnumerable<Measurement<long>>> observe) =>
        _meter.CreateObservableGauge(name, observe, unit, description);

    public void Dispose() => _meter.Dispose();
}
