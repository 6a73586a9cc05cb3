using System.Collections.Immutable;
using Dashboard.Client.Changes;
using Dashboard.Client.Feed;
using Dashboard.Client.Metrics;
using Dashboard.Client.Model;
using Dashboard.Client.SmokeTests;
using Dashboard.Server.Audit;

namespace Dashboard.Server.Metrics;

/// <summary>
/// The markers of a Metrics view (page and <c>GET /api/v1/metrics/charts</c>): the cluster's changes from the endpoint
/// feed the pages already use (<see cref="TimelineMarkers.From"/>: nothing is read from Kubernetes again) and the
/// dashboard's own actions (<see cref="ActionMarkers"/>) — guided changes from the audit trail (<see cref="IAuditStore"/>, the
/// state database) and smoke tests from their kept results (<see cref="ISmokeTests"/>). The endpoint is the one asked for,
/// or else every endpoint that owns the balancer. A failing audit or smoke-test store costs the markers, never the charts.
/// </summary>
public sealed partial class TimelineMarkerSource(IServiceProvider services, ILogger<TimelineMarkerSource> logger)
{
    /// <summary>At most this many audit records are read per endpoint and view.</summary>
    public const int MaxChangesPerEndpoint = 200;

    public async Task<ImmutableArray<TimelineMarker>> ReadAsync(string loadBalancer, ObjectRef? endpoint, DateTimeOffset start, DateTimeOffset end, CancellationToken cancellationToken)
    {
        var feed = services.GetService<IDashboardFeed>();
        var balancer = feed?.LoadBalancers.Snapshot.FirstOrDefault(b => b.Name == loadBalancer);
        var endpoints = endpoint is { } one ? [one] : balancer?.Owners.Select(o => o.Object).Distinct().ToList() ?? [];
        var markers = new List<TimelineMarker>();
        // The cluster's changes: the endpoint's own events when one is asked for, else the balancer's targets' health.
        var endpointView = endpoint is { } e ? feed?.Endpoint(e).Snapshot.FirstOrDefault() : null;
        markers.AddRange(TimelineMarkers.From(endpointView, balancer));
        markers.AddRange(await ActionsAsync(endpoints, start, end, cancellationToken).ConfigureAwait(false));
        return [.. markers.Where(m => m.Time >= start && m.Time <= end).OrderBy(m => m.Time)];
    }

    /// <summary>The dashboard's own actions on <paramref name="endpoints"/> within [start, end].</summary>
    public async Task<IReadOnlyList<TimelineMarker>> ActionsAsync(IReadOnlyCollection<ObjectRef> endpoints, DateTimeOffset start, DateTimeOffset end, CancellationToken cancellationToken)
    {
        var markers = new List<TimelineMarker>();
        var audit = services.GetService<IAuditStore>();
        var smoke = services.GetService<ISmokeTests>();
        foreach (var target in endpoints)
        {
            if (audit is not null)
            {
                try
                {
                    var records = await audit.ListAsync(new AuditQuery { Object = target.ToString(), Since = start, Limit = MaxChangesPerEndpoint }, cancellationToken).ConfigureAwait(false);
                    markers.AddRange(records.Where(r => r.At <= end).Select(ActionMarkers.From).OfType<TimelineMarker>());
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogStoreFailed(logger, "audit trail", target.ToString(), ex);
                }
            }
            if (smoke is not null)
            {
                try
                {
                    var runs = (await smoke.HistoryAsync(target, cancellationToken).ConfigureAwait(false)).ToList();
                    if (smoke.Running(target) is { } running && runs.All(r => r.Id != running.Id))
                    {
                        runs.Add(running);
                    }
                    markers.AddRange(runs.Where(r => r.StartedAt >= start && r.StartedAt <= end).Select(ActionMarkers.From));
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogStoreFailed(logger, "smoke test results", target.ToString(), ex);
                }
            }
        }
        return markers;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Timeline markers: the {Store} of {Endpoint} could not be read")]
    private static partial void LogStoreFailed(ILogger logger, string store, string endpoint, Exception exception);
}
