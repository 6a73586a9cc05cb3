using Dashboard.Benchmarks;
using Dashboard.Client.Feed;
using Dashboard.Client.Model;
using Dashboard.Server.LoadBalancers;
using Dashboard.Server.Topology;
using Dashboard.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dashboard.Server.Tests.Topology;

public sealed class TopologyFeedTests
{
    private static readonly TimeSpan Bound = Patience.Eventually;
    private static readonly Dictionary<string, string> IpNlb = new() { ["service.beta.kubernetes.io/aws-load-balancer-type"] = "external" };

    private sealed class NoDns : IDnsLookup
    {
        public Task<DnsAnswer> LookupAsync(string host, CancellationToken cancellationToken) =>
            Task.FromResult(DnsAnswer.Unavailable(host, "offline in tests", K8s.Now));
    }

    private static (AwsSnapshot Snapshot, string HealthyTg, string OtherTg) TwoBalancers(string secondTargetState)
    {
        var aws = new AwsFixture();
        var a = aws.Group(aws.Balancer("k8s-mlops-a-1234567890"), "k8s-mlops-a-tg");
        var b = aws.Group(aws.Balancer("k8s-mlops-b-1234567890"), "k8s-mlops-b-tg");
        aws.Target(a, "10.0.1.10", 8080).Target(b, "10.0.2.10", 8080, secondTargetState, secondTargetState == "healthy" ? null : "Target.Timeout");
        return (aws.Build(), a.TargetGroupArn, b.TargetGroupArn);
    }

    private static KubernetesSnapshot Services(string aTg, string bTg) => new()
    {
        Services = [K8s.Service("mlops", "a", IpNlb), K8s.Service("mlops", "b", IpNlb)],
        TargetGroupBindings = [K8s.Binding("mlops", aTg, "a"), K8s.Binding("mlops", bTg, "b")],
    };

    private static TopologyFeed Feed(AwsSnapshotStore aws, Func<KubernetesSnapshot> k8s) =>
        new(k8s, aws, new NoDns(), null, new TopologyOptions(), K8s.Cluster, TimeProvider.System, NullLogger.Instance);

    [Fact]
    public void Diff_upserts_only_new_or_changed_items_and_deletes_vanished_ones()
    {
        var prints = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var first = new ChecklistItem("a", "A", CheckState.Pass, "ok");
        Assert.Equal(2, TopologyFeed.Diff(prints, [("a", first), ("b", first with { Code = "b" })]).Count);

        var changes = TopologyFeed.Diff(prints, [("a", first with { Reason = "ok" }), ("c", first with { Code = "c" })]);

        Assert.Equal([(FeedChangeKind.Upsert, "c"), (FeedChangeKind.Delete, "b")], changes.Select(c => (c.Kind, c.Key)));
    }

    [Fact]
    public async Task A_recompute_publishes_only_the_balancer_whose_health_changed_and_the_triage_item_it_adds()
    {
        var (before, aTg, bTg) = TwoBalancers("healthy");
        var holder = new AwsSnapshotStore();
        holder.Publish(before);
        using var feed = Feed(holder, () => Services(aTg, bTg));
        feed.Recompute();
        using var cts = new CancellationTokenSource(Bound);
        var balancers = feed.LoadBalancers.Subscribe(cts.Token);
        var triage = feed.Triage.Subscribe(cts.Token);
        Assert.Equal(2, balancers.Snapshot.Length);
        Assert.Empty(triage.Snapshot);

        holder.Publish(TwoBalancers("unhealthy").Snapshot);
        feed.Recompute();

        var batch = await FirstBatchAsync(balancers.Changes, cts.Token);
        var change = Assert.Single(batch);
        Assert.Equal(FeedChangeKind.Upsert, change.Kind);
        Assert.Equal("k8s-mlops-b-1234567890", change.Item!.Name);
        Assert.Equal(0, change.Item.HealthyTargets);
        var added = Assert.Single(await FirstBatchAsync(triage.Changes, cts.Token));
        Assert.Equal($"{bTg}|10.0.2.10:8080", added.Key);
        Assert.Equal(TriageSeverity.Outage, added.Item!.Severity);
    }

    [Fact]
    public async Task An_open_endpoint_marks_its_target_groups_viewed_until_it_is_closed()
    {
        var (snapshot, aTg, bTg) = TwoBalancers("healthy");
        var holder = new AwsSnapshotStore();
        holder.Publish(snapshot);
        using var feed = Feed(holder, () => Services(aTg, bTg));
        feed.Recompute();
        using var page = new CancellationTokenSource(Bound);

        var subscription = feed.Endpoint(new ObjectRef(ObjectKind.Service, "mlops", "a")).Subscribe(page.Token);

        var endpoint = Assert.Single(subscription.Snapshot);
        Assert.Equal("k8s-mlops-a-1234567890", Assert.Single(endpoint.LoadBalancers).Name);
        Assert.Equal([aTg], holder.ViewedTargetGroups.AsEnumerable());
        await page.CancelAsync();
        Assert.Empty(holder.ViewedTargetGroups);
    }

    [Fact]
    public async Task An_endpoint_subscription_receives_a_replacement_when_its_endpoint_changes()
    {
        var (snapshot, aTg, bTg) = TwoBalancers("healthy");
        var holder = new AwsSnapshotStore();
        holder.Publish(snapshot);
        using var feed = Feed(holder, () => Services(aTg, bTg));
        feed.Recompute();
        using var cts = new CancellationTokenSource(Bound);
        var subscription = feed.Endpoint(new ObjectRef(ObjectKind.Service, "mlops", "b")).Subscribe(cts.Token);

        holder.Publish(TwoBalancers("unhealthy").Snapshot);
        feed.Recompute();

        var replaced = Assert.Single(await FirstBatchAsync(subscription.Changes, cts.Token));
        Assert.Equal("Service/mlops/b", replaced.Key);
        Assert.Equal(CheckState.Fail, replaced.Item!.Checklist.Single(c => c.Code == "health").State);
        Assert.Equal("SecurityGroup", Assert.Single(replaced.Item.Diagnoses).Code);
    }

    /// <summary>Answers each name only when the test says so (continuations run inline, so effects are done on return).</summary>
    private sealed class HeldDns : IDnsLookup
    {
        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, TaskCompletionSource<DnsAnswer>> _asked = new(StringComparer.Ordinal);

        public IReadOnlyCollection<string> Asked => [.. _asked.Keys.Order(StringComparer.Ordinal)];

        public Task<DnsAnswer> LookupAsync(string host, CancellationToken cancellationToken) =>
            _asked.GetOrAdd(host, _ => new TaskCompletionSource<DnsAnswer>()).Task;

        public void Answer(string host) =>
            _asked[host].SetResult(new DnsAnswer(host, DnsOutcome.NotFound, [], [], "NXDOMAIN", K8s.Now));
    }

    [Fact]
    public async Task Dns_answers_are_gathered_into_one_recompute_per_window_and_the_last_one_recomputes_at_once()
    {
        var (snapshot, aTg, bTg) = TwoBalancers("healthy");
        var holder = new AwsSnapshotStore();
        holder.Publish(snapshot);
        var dns = new HeldDns();
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(K8s.Now);
        var withDomain = new Dictionary<string, string>(IpNlb) { [EndpointChecklist.ExternalDnsHostnameAnnotation] = "api.example.com" };
        var k8s = new KubernetesSnapshot
        {
            Services = [K8s.Service("mlops", "a", withDomain), K8s.Service("mlops", "b", IpNlb)],
            TargetGroupBindings = [K8s.Binding("mlops", aTg, "a"), K8s.Binding("mlops", bTg, "b")],
        };
        using var feed = new TopologyFeed(() => k8s, holder, dns, null, new TopologyOptions(), K8s.Cluster, time, NullLogger.Instance);
        feed.Recompute();
        feed.TakeInvalidation();
        var hosts = dns.Asked.ToList();
        Assert.Equal(2, hosts.Count);

        dns.Answer(hosts[0]);
        Assert.False(feed.TakeInvalidation(), "an answer while another name is pending waits for the window");
        time.Advance(TopologyFeed.DnsBatchWindow);
        await WaitUntilAsync(feed.TakeInvalidation);

        dns.Answer(hosts[1]);
        Assert.True(feed.TakeInvalidation(), "the last pending answer recomputes at once");
    }

    [Theory]
    [InlineData(new[] { SourceState.Live, SourceState.Live }, true)]
    [InlineData(new[] { SourceState.Live, SourceState.Syncing }, false)]
    [InlineData(new[] { SourceState.Stale, SourceState.Syncing }, true)]
    public void The_join_waits_for_every_kind_first_list_unless_a_kind_failed(SourceState[] states, bool settled) =>
        Assert.Equal(settled, TopologyFeed.FirstSyncSettled(states));

    [Fact]
    public async Task While_the_first_sync_runs_requests_are_skipped_and_the_join_runs_once_it_settles()
    {
        var (snapshot, aTg, bTg) = TwoBalancers("healthy");
        var holder = new AwsSnapshotStore();
        holder.Publish(snapshot);
        var settled = false;
        using var feed = new TopologyFeed(() => Services(aTg, bTg), holder, new NoDns(), null, new TopologyOptions(), K8s.Cluster, TimeProvider.System, NullLogger.Instance)
        {
            Settled = () => Volatile.Read(ref settled),
        };
        await feed.StartAsync(CancellationToken.None);
        try
        {
            await WaitUntilAsync(() => feed.SkippedWhileSyncing >= 1);
            Assert.Equal(0, feed.Recomputes);

            Volatile.Write(ref settled, true);
            feed.Invalidate();
            await WaitUntilAsync(() => feed.Recomputes == 1);
        }
        finally
        {
            await feed.StopAsync(CancellationToken.None);
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(Bound);
        while (!condition())
        {
            await Task.Delay(10, timeout.Token);
        }
    }

    private static async Task<IReadOnlyList<FeedChange<T>>> FirstBatchAsync<T>(IAsyncEnumerable<IReadOnlyList<FeedChange<T>>> changes, CancellationToken cancellationToken)
    {
        await using var enumerator = changes.GetAsyncEnumerator(cancellationToken);
        Assert.True(await enumerator.MoveNextAsync(), "the feed ended without a batch");
        return enumerator.Current;
    }
}

public sealed class TopologyBenchmarkTests
{
    [Fact]
    public void The_benchmark_world_joins_every_target_group_and_reports_a_time()
    {
        var result = TopologyBenchmark.Measure(targetGroups: 20, targets: 200, runs: 1);

        Assert.Equal((20, 20, 10), (result.LoadBalancers, result.Endpoints, result.TriageItems));
        Assert.True(result.Median > TimeSpan.Zero);
    }
}
