using Dashboard.Client.Model;
using Dashboard.Server.Incidents;

namespace Dashboard.Server.Tests.Incidents;

public sealed class IncidentTrackerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 3, 9, 0, 0, TimeSpan.Zero);
    private static readonly ObjectRef Payments = new(ObjectKind.Service, "payments", "payments-api");
    private static readonly ObjectRef Shop = new(ObjectKind.Ingress, "shop", "web");

    internal static TriageItem Item(ObjectRef endpoint, string ip, TriageSeverity severity, string code, DateTimeOffset since, string state = "unhealthy") => new()
    {
        Endpoint = endpoint,
        Severity = severity,
        LoadBalancerName = $"k8s-{endpoint.Namespace}-lb",
        TargetGroupArn = $"arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/k8s-{endpoint.Name}/0123456789abcdef",
        TargetGroupName = $"k8s-{endpoint.Name}",
        Target = new TargetView { Id = ip, Port = 8080, State = state, Reason = "Target.ResponseCodeMismatch", Since = since },
        Diagnosis = new Diagnosis(code, $"{code} on {ip}", [], "fix it"),
    };

    [Fact]
    public void An_incident_opens_at_the_earliest_time_in_state_gathers_what_it_sees_and_clears_when_the_endpoint_is_clean()
    {
        var tracker = new IncidentTracker([]);

        var opened = Assert.Single(tracker.Apply([Item(Payments, "10.0.1.5", TriageSeverity.Degraded, "ReadinessProbeFailing", T0.AddSeconds(-40))], T0, "replica-a"));
        var worse = tracker.Apply(
        [
            Item(Payments, "10.0.1.5", TriageSeverity.Outage, "ReadinessProbeFailing", T0.AddSeconds(-40)),
            Item(Payments, "10.0.1.6", TriageSeverity.Outage, "ResponseCodeMismatch", T0.AddSeconds(5)),
        ], T0.AddSeconds(10), "replica-a");
        var cleared = Assert.Single(tracker.Apply([], T0.AddSeconds(60), "replica-a"));

        Assert.Equal(T0.AddSeconds(-40), opened.StartedAt);
        Assert.True(opened.Open);
        Assert.Equal(TriageSeverity.Degraded, opened.Severity);
        var updated = Assert.Single(worse);
        Assert.Equal(opened.Id, updated.Id);
        Assert.Equal(TriageSeverity.Outage, updated.Severity);
        Assert.Equal("ReadinessProbeFailing on 10.0.1.5", updated.Summary);
        Assert.Equal(["ReadinessProbeFailing", "ResponseCodeMismatch"], updated.Causes.Select(c => c.Code));
        Assert.Equal(["10.0.1.5", "10.0.1.6"], updated.Targets.Select(t => t.Id));
        Assert.Equal(2, updated.PeakItems);
        Assert.Equal(opened.Id, cleared.Id);
        Assert.Equal(T0.AddSeconds(60), cleared.ClearedAt);
        Assert.Equal(TimeSpan.FromSeconds(100), cleared.Duration(T0.AddHours(1)));
        Assert.False(cleared.ClearedWhileUnwatched);
        Assert.Empty(tracker.Open);
    }

    [Fact]
    public void Notices_open_nothing_and_an_unchanged_incident_is_written_again_only_at_the_heartbeat()
    {
        var tracker = new IncidentTracker([]);
        Assert.Empty(tracker.Apply([Item(Shop, "10.0.2.1", TriageSeverity.Notice, "DeregistrationInProgress", T0, "draining")], T0, "a"));

        var item = Item(Payments, "10.0.1.5", TriageSeverity.Degraded, "PodNotReady", T0);
        Assert.Single(tracker.Apply([item], T0, "a"));
        Assert.Empty(tracker.Apply([item], T0.AddSeconds(5), "a"));
        var beat = Assert.Single(tracker.Apply([item], T0 + IncidentTracker.Heartbeat, "a"));
        Assert.Equal(T0 + IncidentTracker.Heartbeat, beat.LastSeenAt);
    }

    [Fact]
    public void A_new_leader_continues_the_open_incident_it_finds_in_the_store_instead_of_opening_another()
    {
        var first = new IncidentTracker([]);
        var open = Assert.Single(first.Apply([Item(Payments, "10.0.1.5", TriageSeverity.Outage, "PodCrashLooping", T0)], T0, "replica-a"));

        // replica-a dies; replica-b starts from what replica-a wrote.
        var second = new IncidentTracker([open]);
        Assert.Empty(second.Apply([Item(Payments, "10.0.1.5", TriageSeverity.Outage, "PodCrashLooping", T0)], T0.AddSeconds(20), "replica-b"));
        var cleared = Assert.Single(second.Apply([], T0.AddSeconds(40), "replica-b"));

        Assert.Equal(open.Id, cleared.Id);
        Assert.Equal(("replica-a", "replica-b"), (cleared.OpenedBy, cleared.ClearedBy));
        Assert.Equal(T0, cleared.StartedAt);
    }

    [Fact]
    public void An_incident_cleared_long_after_it_was_last_seen_says_it_cleared_while_nobody_watched()
    {
        var open = Assert.Single(new IncidentTracker([]).Apply([Item(Payments, "10.0.1.5", TriageSeverity.Outage, "PodCrashLooping", T0)], T0, "a"));

        // Every replica was down for ten minutes; the endpoint recovered meanwhile.
        var cleared = Assert.Single(new IncidentTracker([open]).Apply([], T0.AddMinutes(10), "b"));

        Assert.True(cleared.ClearedWhileUnwatched);
        Assert.Equal(T0, cleared.LastSeenAt);
    }

    [Fact]
    public void The_next_incident_of_an_endpoint_never_starts_before_the_previous_one_cleared()
    {
        var tracker = new IncidentTracker([]);
        tracker.Apply([Item(Payments, "10.0.1.5", TriageSeverity.Outage, "PodCrashLooping", T0)], T0, "a");
        tracker.Apply([], T0.AddMinutes(1), "a");

        // A target that has been draining (a notice) since before the clear turns into a real problem.
        var next = Assert.Single(tracker.Apply([Item(Payments, "10.0.1.7", TriageSeverity.Degraded, "PodNotReadyDeregistered", T0.AddSeconds(30))], T0.AddMinutes(2), "a"));

        Assert.Equal(T0.AddMinutes(1), next.StartedAt);
    }

    [Fact]
    public void Pruning_keeps_open_incidents_and_the_latest_cleared_ones_within_the_bounds()
    {
        var tracker = new IncidentTracker([]);
        var history = new List<EndpointIncident>();
        for (var i = 0; i < 5; i++)
        {
            var at = T0.AddHours(i);
            history.AddRange(tracker.Apply([Item(Payments, "10.0.1.5", TriageSeverity.Outage, "PodCrashLooping", at)], at, "a"));
            history.AddRange(tracker.Apply([], at.AddMinutes(5), "a"));
        }
        var open = tracker.Apply([Item(Shop, "10.0.2.1", TriageSeverity.Degraded, "PodNotReady", T0.AddDays(-60))], T0.AddDays(1), "a");
        var latest = history.Where(i => !i.Open).GroupBy(i => i.Id).Select(g => g.Last()).Concat(open).ToList();

        var drop = IncidentTracker.Prune(latest, T0.AddDays(1), TimeSpan.FromDays(30), perEndpoint: 3, total: 100);
        var expired = IncidentTracker.Prune(latest, T0.AddDays(40), TimeSpan.FromDays(30), perEndpoint: 3, total: 100);

        Assert.Equal(2, drop.Count);
        Assert.DoesNotContain(open[0].Id, drop);
        Assert.All(drop, id => Assert.True(latest.Single(i => i.Id == id).StartedAt < T0.AddHours(2)));
        Assert.Equal(5, expired.Count);
    }
}
