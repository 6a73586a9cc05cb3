using System.Collections.Immutable;
using Dashboard.Client.Feed;
using Dashboard.Client.Model;
using Dashboard.Client.Tests.Support;
using static Dashboard.Client.Tests.Support.TopologyObjects;
using Dashboard.Testing;

namespace Dashboard.Client.Tests.Endpoints;

public class TopologyFormatTests
{
    [Theory]
    [InlineData("redirect to HTTPS:443 (301)", "HTTP:80 → HTTPS:443")]
    [InlineData("Redirect https : 8443", "HTTP:80 → HTTPS:8443")]
    [InlineData("forward k8s-mlops-retailfo-7c1d2e3f4a", "HTTP:80")]
    [InlineData("fixed-response 404", "HTTP:80")]
    public void A_listener_shows_where_a_redirect_sends_traffic(string defaultAction, string expected)
    {
        Assert.Equal(expected, TopologyFormat.Listener(new ListenerView("arn", "HTTP", 80, null, defaultAction, [])));
    }

    [Fact]
    public void Listeners_are_summarised_by_port()
    {
        var lb = ShopAlb();
        Assert.Equal("HTTP:80 → HTTPS:443, HTTPS:443", TopologyFormat.ListenersSummary(lb.Listeners.Reverse()));
    }

    [Theory]
    [InlineData("healthy", "health-ok")]
    [InlineData("unhealthy", "health-bad")]
    [InlineData("unavailable", "health-bad")]
    [InlineData("unhealthy.draining", "health-bad")]
    [InlineData("draining", "health-warn")]
    [InlineData("initial", "health-warn")]
    [InlineData("unused", "health-idle")]
    public void Target_states_have_health_colours(string state, string expected)
    {
        Assert.Equal(expected, TopologyFormat.HealthClass(state));
    }

    [Theory]
    [InlineData(3, 3, "health-ok")]
    [InlineData(1, 3, "health-warn")]
    [InlineData(0, 3, "health-bad")]
    [InlineData(0, 0, "health-idle")]
    public void Target_sets_have_health_colours(int healthy, int total, string expected)
    {
        Assert.Equal(expected, TopologyFormat.HealthClass(healthy, total));
    }

    [Theory]
    [InlineData(0, 3, 0, "health-warn")]
    [InlineData(0, 3, 1, "health-bad")]
    [InlineData(1, 3, 2, "health-warn")]
    [InlineData(3, 3, 0, "health-ok")]
    [InlineData(0, 0, 0, "health-idle")]
    public void No_healthy_target_is_red_only_when_some_are_unhealthy(int healthy, int total, int unhealthy, string expected)
    {
        Assert.Equal(expected, TopologyFormat.HealthClass(healthy, total, unhealthy));
    }

    [Fact]
    public void A_balancer_or_group_whose_targets_are_all_initial_is_amber_and_red_once_one_is_unhealthy()
    {
        var starting = ShopAlb(Target("10.0.1.5", "initial", "Elb.RegistrationInProgress"), Target("10.0.2.7", "initial"), Target("10.0.2.8", "draining"));
        Assert.Equal(0, TopologyFormat.UnhealthyCount(starting));
        Assert.Equal("health-warn", TopologyFormat.HealthClass(starting));
        Assert.Equal("health-warn", TopologyFormat.HealthClass(starting.TargetGroups[0]));

        var failing = ShopAlb(Target("10.0.1.5", "initial"), Target("10.0.2.7", "unhealthy", "Target.Timeout"));
        Assert.Equal(1, TopologyFormat.UnhealthyCount(failing));
        Assert.Equal("health-bad", TopologyFormat.HealthClass(failing));
        Assert.Equal("health-bad", TopologyFormat.HealthClass(failing.TargetGroups[0]));
    }

    [Fact]
    public void A_balancer_without_listed_targets_falls_back_to_its_counts()
    {
        Assert.Equal("health-bad", TopologyFormat.HealthClass(Balancer("nlb", healthy: 0, total: 3)));
        Assert.Equal("health-warn", TopologyFormat.HealthClass(Balancer("nlb", healthy: 1, total: 3)));
        Assert.Equal("health-idle", TopologyFormat.HealthClass(Balancer("nlb", healthy: 0, total: 0)));
    }

    [Fact]
    public void Own_evidence_is_what_the_shown_diagnosis_lacks_with_the_lines_naming_the_pod_first()
    {
        var reference = new Diagnosis("c", "t", ["in this state since 11:50", "Health check path /healthz", "Pod pod-a answers 500"], "fix");
        var other = new Diagnosis("c", "t", ["in this state since 11:52", "Health check path /healthz", "Pod pod-b answers 500"], "fix");
        var target = Target("10.0.1.6", "unhealthy", pod: "pod-b");

        Assert.True(TopologyFormat.SameDiagnosis(reference, other));
        Assert.False(TopologyFormat.SameDiagnosis(reference, other with { Code = "d" }));
        Assert.False(TopologyFormat.SameDiagnosis(reference, other with { Title = "u" }));
        Assert.Equal(["Pod pod-b answers 500", "in this state since 11:52"], TopologyFormat.OwnEvidence(reference, other, target));
        Assert.Empty(TopologyFormat.OwnEvidence(reference, reference, target));
    }

    [Fact]
    public void Time_in_state_is_an_age_or_a_dash_when_never_seen_changing()
    {
        Assert.Equal("7m", TopologyFormat.TimeInState(Target("10.0.1.5", "unhealthy"), Objects.Now));
        Assert.Equal("—", TopologyFormat.TimeInState(Target("10.0.1.5", "unhealthy") with { Since = null }, Objects.Now));
    }

    [Fact]
    public void Health_check_reads_as_one_sentence_and_counts_are_per_target_group()
    {
        Assert.Equal("TCP on 8080 every 30s, timeout 10s, 3↑ 3↓", TopologyFormat.HealthCheck(new HealthCheckView("TCP", null, "8080", 30, 10, 3, 3, null)));
        var group = ForecastTargetGroup(Target("10.0.1.5", "unhealthy"), Target("10.0.2.7", "healthy"), Target("10.0.2.8", "draining"));
        Assert.Equal((1, 3), TopologyFormat.Counts(group));
        Assert.Equal(33, TopologyFormat.HealthyPercent(1, 3));
    }

    [Fact]
    public void Endpoint_urls_round_trip_their_kind()
    {
        Assert.Equal("endpoints/service/mlops/retail-forecast-nlb", TopologyUrls.Endpoint(ForecastNlbService));
        Assert.True(TopologyUrls.TryParseKind("Ingress", out var kind));
        Assert.Equal(ObjectKind.Ingress, kind);
        Assert.False(TopologyUrls.TryParseKind("pod", out _));
        Assert.Equal("ingresses?selected=mlops/retail-forecast", TopologyUrls.ObjectDetail(ForecastIngress));
    }

    [Fact]
    public async Task The_derived_summary_sums_targets_keeps_the_oldest_read_and_follows_changes()
    {
        var changes = System.Threading.Channels.Channel.CreateUnbounded<IReadOnlyList<FeedChange<LoadBalancerViewModel>>>();
        var a = Balancer("a", healthy: 2, total: 3, asOf: Objects.Now.AddSeconds(-10));
        var b = Balancer("b", healthy: 5, total: 5, asOf: Objects.Now.AddSeconds(-50));
        using var cts = new CancellationTokenSource(Patience.Eventually);

        var summary = TargetHealthSummary.Derive(new FeedSubscription<LoadBalancerViewModel>([a, b], changes.Reader.ReadAllAsync(cts.Token)));

        var first = Assert.Single(summary.Snapshot);
        Assert.Equal((8, 7, 2, Objects.Now.AddSeconds(-50)), (first.TotalTargets, first.HealthyTargets, first.LoadBalancers, first.AsOf!.Value));

        changes.Writer.TryWrite([FeedChange<LoadBalancerViewModel>.Delete(b.Key), FeedChange<LoadBalancerViewModel>.Upsert(a.Key, a with { HealthyTargets = 3 })]);
        await using var reader = summary.Changes.GetAsyncEnumerator(cts.Token);
        Assert.True(await reader.MoveNextAsync());
        var next = Assert.Single(reader.Current);
        Assert.Equal(TargetHealthSummary.SingletonKey, next.Key);
        Assert.Equal((3, 3, 1, Objects.Now.AddSeconds(-10)), (next.Item!.TotalTargets, next.Item.HealthyTargets, next.Item.LoadBalancers, next.Item.AsOf!.Value));
        Assert.Equal(TargetHealthSummary.Empty.TotalTargets, TargetHealthSummary.From(ImmutableArray<LoadBalancerViewModel>.Empty).TotalTargets);
    }
}
