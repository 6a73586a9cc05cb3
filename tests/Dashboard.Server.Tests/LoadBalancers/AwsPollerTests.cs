using Dashboard.Benchmarks;
using Dashboard.Client.Model;
using Dashboard.Server.Aws.ElasticLoadBalancing;
using Dashboard.Server.Kubernetes;
using Dashboard.Server.LoadBalancers;
using k8s.Models;
using Sim = Dashboard.Sandbox.Aws;

namespace Dashboard.Server.Tests.LoadBalancers;

/// <summary>
/// The pollers against the sandbox's AWS emulator over HTTP with the real clients, on a simulated clock: what the
/// snapshot holds, how fast which change is seen, and what it costs in calls.
/// </summary>
public sealed class AwsPollerTests
{
    private static readonly TimeSpan SyncLimit = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task The_snapshot_holds_the_balancers_listeners_rules_groups_attributes_tags_and_health_of_the_world()
    {
        await using var aws = await AwsPollingWorld.StartAsync();
        var (alb, listener) = aws.World.AddAlb("k8s-mlops-retailfo-0a1b2c3d4e", ("elbv2.k8s.aws/cluster", "retail-forecast-cluster"));
        var web = aws.World.AddGroup(listener, "k8s-mlops-web-1111111111", 10, targets: 2);
        var api = aws.World.AddGroup(listener, "k8s-mlops-api-2222222222", 20, targets: 1);
        var nlb = aws.World.CreateLoadBalancer(new Sim.LoadBalancerSpec { Name = "k8s-mlops-retailap-5f6a7b8c9d", Type = Sim.LoadBalancerType.Network, State = Sim.LoadBalancerStateCode.Active });
        var tcp = aws.World.CreateTargetGroup(new Sim.TargetGroupSpec { Name = "k8s-mlops-tcp-3333333333", Protocol = "TCP", Port = 5000 });
        aws.World.CreateListener(nlb.Arn, new Sim.ListenerSpec { Port = 5000, Protocol = "TCP", DefaultActions = [Sim.RuleAction.Forward(tcp.Arn)] });
        aws.World.RegisterTargets(tcp.Arn, [new Sim.TargetDescription("10.0.9.9", 5000, "us-east-1b")]);
        aws.World.SetTargetHealth(api.Arn, AwsPollingWorld.TargetIp(20, 0), 8080, Sim.TargetHealthState.Unhealthy, "Target.ResponseCodeMismatch", "Health checks failed with these codes: [500]");

        await aws.RunUntilAsync(() => aws.Poller.Synced, SyncLimit);

        var snapshot = aws.Store.Current;
        Assert.Equal([alb.Arn, nlb.Arn], snapshot.LoadBalancers.Select(lb => lb.LoadBalancerArn).Order());
        Assert.Equal(3, snapshot.TargetGroups.Length);
        var albListener = Assert.Single(snapshot.Listeners[alb.Arn]);
        Assert.Equal(listener.Arn, albListener.ListenerArn);
        Assert.Equal(["10", "20", "default"], snapshot.Rules[listener.Arn].Select(r => r.Priority).Order());
        Assert.Single(snapshot.Listeners[nlb.Arn]);
        Assert.DoesNotContain(snapshot.Listeners[nlb.Arn][0].ListenerArn, snapshot.Rules.Keys);
        Assert.Equal("retail-forecast-cluster", snapshot.Tags[alb.Arn]["elbv2.k8s.aws/cluster"]);
        Assert.Empty(snapshot.Tags[web.Arn]);
        Assert.Equal("false", snapshot.LoadBalancerAttributes[alb.Arn]["deletion_protection.enabled"]);
        Assert.Equal("300", snapshot.TargetGroupAttributes[web.Arn]["deregistration_delay.timeout_seconds"]);
        Assert.NotNull(snapshot.ConfigurationAsOf);
        Assert.Null(snapshot.Usage); // nothing asked for usage: no CloudWatch metrics spent on it

        Assert.Equal([TargetHealthState.Healthy, TargetHealthState.Healthy], snapshot.TargetHealth[web.Arn].Targets.Select(t => t.Description.TargetHealth.State));
        var unhealthy = Assert.Single(snapshot.TargetHealth[api.Arn].Targets);
        Assert.Equal("Target.ResponseCodeMismatch", unhealthy.Description.TargetHealth.Reason);
        Assert.False(unhealthy.ChangeObserved);
        Assert.Equal(TargetHealthState.Initial, Assert.Single(snapshot.TargetHealth[tcp.Arn].Targets).Description.TargetHealth.State);

        var status = aws.Sources.Get(AwsPoller.SourceKey);
        Assert.NotNull(status);
        Assert.Equal((SourceState.Live, "AWS"), (status.State, status.DisplayName));
    }

    [Fact]
    public async Task A_new_listing_keeps_the_instances_of_what_did_not_change()
    {
        await using var aws = await AwsPollingWorld.StartAsync();
        var (first, firstListener) = aws.World.AddAlb("first-alb");
        var (second, _) = aws.World.AddAlb("second-alb");
        aws.World.AddGroup(firstListener, "first-group", 10, targets: 1);
        await aws.RunUntilAsync(() => aws.Poller.Synced, SyncLimit);
        var before = aws.Store.Current;

        aws.World.SetLoadBalancerState(first.Arn, Sim.LoadBalancerStateCode.ActiveImpaired);
        var listedAt = before.ConfigurationAsOf;
        await aws.RunUntilAsync(() => aws.Store.Current.ConfigurationAsOf != listedAt, TimeSpan.FromSeconds(61));
        var after = aws.Store.Current;

        Assert.NotSame(before, after);
        Assert.Equal("active_impaired", after.LoadBalancers.Single(lb => lb.LoadBalancerArn == first.Arn).State?.Code);
        Assert.Same(before.LoadBalancers.Single(lb => lb.LoadBalancerArn == second.Arn), after.LoadBalancers.Single(lb => lb.LoadBalancerArn == second.Arn));
        Assert.True(before.TargetGroups == after.TargetGroups, "the target group array is the same instance");
        Assert.True(before.Listeners[second.Arn] == after.Listeners[second.Arn], "the second balancer's listeners are the same instance");
        Assert.Same(before.Tags, after.Tags);
    }

    [Fact]
    public async Task A_target_turning_unhealthy_in_a_quiet_group_is_seen_within_one_cloudwatch_cycle()
    {
        await using var aws = await AwsPollingWorld.StartAsync();
        var (_, listener) = aws.World.AddAlb("quiet-alb");
        var groups = Enumerable.Range(1, 5).Select(i => aws.World.AddGroup(listener, $"quiet-{i}", i, targets: 3)).ToList();
        await aws.RunUntilAsync(() => aws.Poller.Synced, SyncLimit);
        // Let one CloudWatch cycle pass with nothing to report, so the next one is a full interval away at most.
        await aws.StepAsync(TimeSpan.FromSeconds(70));
        var reads = aws.Statistics.Snapshot().Elb("DescribeTargetHealth");
        var cloudWatch = aws.Statistics.Snapshot().CloudWatch;
        var target = AwsPollingWorld.TargetIp(3, 1);

        aws.World.SetTargetHealth(groups[2].Arn, target, 8080, Sim.TargetHealthState.Unhealthy, "Target.Timeout", "Request timed out");
        var changedAt = aws.Clock.GetUtcNow();
        var took = await aws.RunUntilAsync(
            () => aws.HealthOf(groups[2])!.Targets.Any(t => t.Description.Target.Id == target && t.Description.TargetHealth.State == TargetHealthState.Unhealthy),
            TimeSpan.FromSeconds(65));

        Assert.True(took <= TimeSpan.FromSeconds(61), $"seen after {took}");
        var seen = aws.HealthOf(groups[2])!.Targets.Single(t => t.Description.Target.Id == target);
        Assert.True(seen.ChangeObserved);
        Assert.InRange(seen.Since, changedAt, aws.Clock.GetUtcNow());
        var counts = aws.Statistics.Snapshot();
        Assert.Equal(1, counts.Elb("DescribeTargetHealth") - reads); // only the group CloudWatch pointed at was read
        Assert.Equal(1, counts.CloudWatch - cloudWatch);
        // Unhealthy now, so it is read at the fast interval from here on.
        var asOf = aws.HealthOf(groups[2])!.AsOf;
        await aws.StepAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(asOf + TimeSpan.FromSeconds(10), aws.HealthOf(groups[2])!.AsOf);
    }

    [Fact]
    public async Task A_kubernetes_readiness_hint_reads_the_groups_of_that_target_in_the_next_round_ahead_of_cloudwatch()
    {
        await using var aws = await AwsPollingWorld.StartAsync();
        var (_, listener) = aws.World.AddAlb("hinted-alb");
        var groups = Enumerable.Range(1, 4).Select(i => aws.World.AddGroup(listener, $"hinted-{i}", i, targets: 3)).ToList();
        await aws.RunUntilAsync(() => aws.Poller.Synced, SyncLimit);
        await aws.StepAsync(TimeSpan.FromSeconds(70));
        var reads = aws.Statistics.Snapshot().Elb("DescribeTargetHealth");
        var target = AwsPollingWorld.TargetIp(2, 0);

        aws.World.SetTargetHealth(groups[1].Arn, target, 8080, Sim.TargetHealthState.Unhealthy, "Target.ResponseCodeMismatch", "Health checks failed with these codes: [500]");
        aws.Poller.HintTargetsChanged([target]);
        var took = await aws.RunUntilAsync(
            () => aws.HealthOf(groups[1])!.Targets.Any(t => t.Description.Target.Id == target && t.Description.TargetHealth.State == TargetHealthState.Unhealthy),
            TimeSpan.FromSeconds(65));

        Assert.True(took <= TimeSpan.FromSeconds(2), $"seen after {took}, not in the next round");
        Assert.Equal(1, aws.Statistics.Snapshot().Elb("DescribeTargetHealth") - reads); // only the group holding that target
    }

    [Fact]
    public async Task After_a_change_its_groups_are_read_fast_for_the_window_so_an_aws_only_failure_shows_within_the_fast_interval()
    {
        await using var aws = await AwsPollingWorld.StartAsync();
        var (_, listener) = aws.World.AddAlb("changed-alb");
        var changed = aws.World.AddGroup(listener, "changed", 1, targets: 2);
        var other = aws.World.AddGroup(listener, "other", 2, targets: 2);
        await aws.RunUntilAsync(() => aws.Poller.Synced, SyncLimit);
        await aws.StepAsync(TimeSpan.FromSeconds(70));
        var otherAsOf = aws.HealthOf(other)!.AsOf;

        aws.Poller.WatchAfterChange([changed.Arn]);
        await aws.StepAsync(TimeSpan.FromSeconds(30));
        // The new health-check path fails in AWS only (Kubernetes sees ready pods): no hint, no CloudWatch yet.
        var target = AwsPollingWorld.TargetIp(1, 0);
        aws.World.SetTargetHealth(changed.Arn, target, 8080, Sim.TargetHealthState.Unhealthy, "Target.ResponseCodeMismatch", "Health checks failed with these codes: [404]");
        var took = await aws.RunUntilAsync(
            () => aws.HealthOf(changed)!.Targets.Any(t => t.Description.Target.Id == target && t.Description.TargetHealth.State == TargetHealthState.Unhealthy),
            TimeSpan.FromSeconds(65));

        Assert.True(took <= TimeSpan.FromSeconds(11), $"seen after {took}");
        Assert.Equal(otherAsOf, aws.HealthOf(other)!.AsOf);

        // Healthy again: once the window has passed the group goes back to the CloudWatch path.
        aws.World.SetTargetHealth(changed.Arn, target, 8080, Sim.TargetHealthState.Healthy, null, null);
        await aws.StepAsync(new AwsPollingOptions().ChangeWatchWindow);
        Assert.Empty(aws.Poller.WatchedAfterChange);
    }

    [Fact]
    public void Only_the_controllers_annotations_and_the_spec_count_as_a_change()
    {
        static V1Service Service(string path, string? other = null, int port = 80) => new()
        {
            Metadata = new V1ObjectMeta
            {
                Name = "api",
                NamespaceProperty = "mlops",
                Annotations = new Dictionary<string, string>
                {
                    ["service.beta.kubernetes.io/aws-load-balancer-healthcheck-path"] = path,
                    ["deploy.example.com/revision"] = other ?? "1",
                },
            },
            Spec = new V1ServiceSpec { Type = "LoadBalancer", Ports = [new V1ServicePort { Port = port }] },
        };

        Assert.True(KubernetesHealthHints.ConfigurationChanged(Service("/healthz"), Service("/ready"), s => s.Spec));
        Assert.True(KubernetesHealthHints.ConfigurationChanged(Service("/healthz"), Service("/healthz", port: 8080), s => s.Spec));
        Assert.False(KubernetesHealthHints.ConfigurationChanged(Service("/healthz"), Service("/healthz", other: "2"), s => s.Spec));
        Assert.False(KubernetesHealthHints.ConfigurationChanged(null, Service("/healthz"), s => s.Spec));
    }

    [Theory]
    [InlineData(ResourceChangeKind.Upsert, true, false, true)]
    [InlineData(ResourceChangeKind.Upsert, false, true, true)]
    [InlineData(ResourceChangeKind.Upsert, true, true, false)]
    [InlineData(ResourceChangeKind.Upsert, null, true, false)]
    [InlineData(ResourceChangeKind.Delete, true, null, true)]
    [InlineData(ResourceChangeKind.Delete, false, null, false)]
    public void Only_a_readiness_flip_or_the_loss_of_a_ready_object_is_a_hint(ResourceChangeKind kind, bool? before, bool? after, bool hint) =>
        Assert.Equal(hint, KubernetesHealthHints.ReadinessFlipped(kind, before, after));

    [Fact]
    public void The_instance_id_is_read_from_the_node_provider_id() =>
        Assert.Equal("i-0abc123", KubernetesHealthHints.InstanceId("aws:///us-east-1a/i-0abc123"));

    [Fact]
    public async Task A_viewed_group_is_read_at_the_fast_interval_until_the_lease_ends()
    {
        await using var aws = await AwsPollingWorld.StartAsync();
        var (_, listener) = aws.World.AddAlb("viewed-alb");
        var viewed = aws.World.AddGroup(listener, "viewed", 1, targets: 2);
        var other = aws.World.AddGroup(listener, "other", 2, targets: 2);
        await aws.RunUntilAsync(() => aws.Poller.Synced, SyncLimit);
        var otherAsOf = aws.HealthOf(other)!.AsOf;

        var reads = new HashSet<DateTimeOffset>();
        using (aws.Store.MarkViewed([viewed.Arn]))
        {
            await aws.StepAsync(TimeSpan.FromSeconds(60), () => reads.Add(aws.HealthOf(viewed)!.AsOf));
        }
        Assert.InRange(reads.Count, 6, 7);
        Assert.Equal(otherAsOf, aws.HealthOf(other)!.AsOf);

        var lastRead = aws.HealthOf(viewed)!.AsOf;
        await aws.StepAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(lastRead, aws.HealthOf(viewed)!.AsOf);
    }

    [Fact]
    public async Task Steady_state_calls_are_bounded_and_the_same_for_one_or_fifty_viewers()
    {
        await using var aws = await AwsPollingWorld.StartAsync();
        var (_, listener) = aws.World.AddAlb("steady-alb");
        var groups = Enumerable.Range(1, 30).Select(i => aws.World.AddGroup(listener, $"steady-{i}", i, targets: 2)).ToList();
        var page = groups.Take(5).Select(g => g.Arn).ToList();
        await aws.RunUntilAsync(() => aws.Poller.Synced, SyncLimit);

        using var firstViewer = aws.Store.MarkViewed(page);
        await aws.StepAsync(TimeSpan.FromSeconds(60));
        var oneViewer = await CountElbCallsAsync(aws, TimeSpan.FromMinutes(3));

        var moreViewers = Enumerable.Range(0, 49).Select(_ => aws.Store.MarkViewed(page)).ToList();
        var fiftyViewers = await CountElbCallsAsync(aws, TimeSpan.FromMinutes(3));
        moreViewers.ForEach(lease => lease.Dispose());

        // 3 listings × (DescribeLoadBalancers + DescribeTargetGroups) + 5 viewed groups × 6 reads a minute × 3 minutes.
        Assert.Equal(3 * 2 + (5 * 6 * 3), oneViewer);
        Assert.Equal(oneViewer, fiftyViewers);
    }

    [Fact]
    public async Task Throttling_marks_aws_stale_with_the_reason_keeps_the_snapshot_and_recovers()
    {
        await using var aws = await AwsPollingWorld.StartAsync();
        var (_, listener) = aws.World.AddAlb("throttled-alb");
        var group = aws.World.AddGroup(listener, "throttled", 1, targets: 2);
        await aws.RunUntilAsync(() => aws.Poller.Synced, SyncLimit);
        using var lease = aws.Store.MarkViewed([group.Arn]);
        await aws.StepAsync(TimeSpan.FromSeconds(10));
        var before = aws.Store.Current;
        var callsBefore = aws.Statistics.Snapshot();

        var fault = aws.Faults.Add(new Sim.AwsFaultRule { Kind = Sim.AwsFaultKind.Throttle, Service = "elasticloadbalancing" });
        aws.World.SetTargetHealth(group.Arn, AwsPollingWorld.TargetIp(1, 0), 8080, Sim.TargetHealthState.Unhealthy, "Target.Timeout");
        await aws.StepAsync(TimeSpan.FromSeconds(60));

        var stale = aws.Sources.Get(AwsPoller.SourceKey)!;
        Assert.Equal(SourceState.Stale, stale.State);
        // The latest throttled call is the health read or, when the minute's listing fell due meanwhile, the listing.
        Assert.Matches(@"^AWS is throttling Describe(TargetHealth|LoadBalancers) \(Throttling\)", stale.Message);
        Assert.NotNull(stale.LastGoodAt);
        Assert.True(stale.LastGoodAt <= before.TargetHealth[group.Arn].AsOf);
        Assert.NotNull(stale.NextRetryAt);
        Assert.Same(before, aws.Store.Current);
        var throttled = aws.Statistics.Snapshot();
        // Backing off (5 s, 10 s, 20 s, 20 s): a handful of attempts a minute instead of six reads and a listing.
        Assert.InRange(throttled.ElasticLoadBalancing - callsBefore.ElasticLoadBalancing, 1, 6);
        Assert.True(throttled.Throttled > callsBefore.Throttled);

        aws.Faults.Remove(fault);
        await aws.RunUntilAsync(() => aws.Sources.Get(AwsPoller.SourceKey)!.State == SourceState.Live, TimeSpan.FromSeconds(30));
        Assert.Equal(TargetHealthState.Unhealthy, aws.HealthOf(group)!.Targets[0].Description.TargetHealth.State);
        Assert.NotSame(before, aws.Store.Current);
    }

    [Fact]
    public async Task Server_errors_mark_aws_stale_and_recover()
    {
        await using var aws = await AwsPollingWorld.StartAsync();
        var (_, listener) = aws.World.AddAlb("failing-alb");
        var group = aws.World.AddGroup(listener, "failing", 1, targets: 1);
        await aws.RunUntilAsync(() => aws.Poller.Synced, SyncLimit);
        using var lease = aws.Store.MarkViewed([group.Arn]);
        var fault = aws.Faults.Add(new Sim.AwsFaultRule { Kind = Sim.AwsFaultKind.ServerError, StatusCode = 503, Service = "elasticloadbalancing", Action = "DescribeTargetHealth" });

        await aws.RunUntilAsync(() => aws.Sources.Get(AwsPoller.SourceKey)!.State == SourceState.Stale, TimeSpan.FromSeconds(15));
        var stale = aws.Sources.Get(AwsPoller.SourceKey)!;
        Assert.Equal("AWS Elastic Load Balancing failed DescribeTargetHealth with HTTP 503 ServiceUnavailable", stale.Message);
        var kept = aws.HealthOf(group);
        await aws.StepAsync(TimeSpan.FromSeconds(30));
        Assert.Same(kept, aws.HealthOf(group));

        aws.Faults.Remove(fault);
        await aws.RunUntilAsync(() => aws.Sources.Get(AwsPoller.SourceKey)!.State == SourceState.Live, TimeSpan.FromSeconds(30));
        Assert.True(aws.HealthOf(group)!.AsOf > kept!.AsOf);
    }

    [Fact]
    public async Task The_ceiling_holds_and_unhealthy_groups_are_read_first_when_it_is_short()
    {
        await using var aws = await AwsPollingWorld.StartAsync(new Dictionary<string, string?>
        {
            ["Dashboard:Aws:Polling:MaxElbCallsPerMinute"] = "30",
            ["Dashboard:Aws:Polling:ElbBurst"] = "5",
            ["Dashboard:Aws:Polling:SweepElbCallsPerMinute"] = "10",
        });
        var (_, listener) = aws.World.AddAlb("busy-alb");
        var groups = Enumerable.Range(1, 24).Select(i => aws.World.AddGroup(listener, $"busy-{i}", i, targets: 1)).ToList();
        var unhealthy = groups.Take(3).ToList();
        foreach (var (group, index) in unhealthy.Select((g, i) => (g, i + 1)))
        {
            aws.World.SetTargetHealth(group.Arn, AwsPollingWorld.TargetIp(index, 0), 8080, Sim.TargetHealthState.Unhealthy, "Target.Timeout");
        }
        // Every healthy group is open somewhere: demand is far above 30 calls a minute.
        using var lease = aws.Store.MarkViewed(groups.Skip(3).Select(g => g.Arn));

        var perSecond = new List<long>();
        var worstAge = TimeSpan.Zero;
        var viewedAges = new List<TimeSpan>();
        var last = aws.Statistics.ElasticLoadBalancingCalls;
        await aws.StepAsync(TimeSpan.FromMinutes(6), () =>
        {
            var now = aws.Statistics.ElasticLoadBalancingCalls;
            perSecond.Add(now - last);
            last = now;
            if (perSecond.Count > 180)
            {
                // From the fourth minute on, after every group has been read once.
                var age = unhealthy.Max(g => aws.Clock.GetUtcNow() - aws.HealthOf(g)!.AsOf);
                worstAge = age > worstAge ? age : worstAge;
                viewedAges.Add(groups.Skip(3).Max(g => aws.Clock.GetUtcNow() - aws.HealthOf(g)!.AsOf));
            }
        });

        for (var start = 0; start + 60 <= perSecond.Count; start++)
        {
            var window = perSecond.Skip(start).Take(60).Sum();
            // Rate plus bucket, plus one call of debt (a read is charged what it cost after it ran).
            Assert.True(window <= 30 + 5 + 1, $"{window} ELBv2 calls in the minute starting at second {start}");
        }
        Assert.True(perSecond.Sum() >= 6 * 30 * 0.8, $"the budget is used: {perSecond.Sum()} calls in 6 minutes");
        // The fast interval plus waiting for one token at 30 a minute: unhealthy groups go first...
        Assert.True(worstAge <= TimeSpan.FromSeconds(14), $"unhealthy groups were {worstAge} old at worst");
        // ...while the 21 viewed groups share what is left and fall far behind their 10 s.
        Assert.True(viewedAges.Average(a => a.TotalSeconds) > 30, $"viewed groups were {viewedAges.Average(a => a.TotalSeconds)} s old on average");
    }

    [Fact]
    public async Task A_target_group_created_later_is_read_with_the_listing_that_finds_it_and_a_deleted_one_leaves()
    {
        await using var aws = await AwsPollingWorld.StartAsync();
        var (_, listener) = aws.World.AddAlb("changing-alb");
        var old = aws.World.AddGroup(listener, "old", 1, targets: 1);
        await aws.RunUntilAsync(() => aws.Poller.Synced, SyncLimit);

        var added = aws.World.AddGroup(listener, "added", 2, targets: 2);
        var oldRule = aws.World.GetRules(listener.Arn).Single(r => r.Priority == "1");
        aws.World.DeleteRule(oldRule.Arn);
        aws.World.DeleteTargetGroup(old.Arn);
        await aws.RunUntilAsync(() => aws.Store.Current.TargetGroups.Any(tg => tg.TargetGroupArn == added.Arn), TimeSpan.FromSeconds(61));

        var snapshot = aws.Store.Current;
        Assert.Equal(snapshot.ConfigurationAsOf, snapshot.TargetHealth[added.Arn].AsOf);
        Assert.Equal(2, snapshot.TargetHealth[added.Arn].Targets.Length);
        Assert.DoesNotContain(snapshot.TargetGroups, tg => tg.TargetGroupArn == old.Arn);
        Assert.False(snapshot.TargetHealth.ContainsKey(old.Arn));
        await aws.RunUntilAsync(() => aws.Store.Current.Rules[listener.Arn].Any(r => r.Actions.Any(a => a.TargetGroupArn == added.Arn)), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Usage_joins_the_snapshot_when_asked_for_and_is_read_again_each_usage_interval()
    {
        await using var aws = await AwsPollingWorld.StartAsync(new Dictionary<string, string?> { ["Dashboard:Aws:Polling:UsageInterval"] = "00:15:00" });
        var (alb, listener) = aws.World.AddAlb("k8s-shop-0a1b2c3d4e");
        var web = aws.World.AddGroup(listener, "k8s-shop-web-1111111111", 10, targets: 1);
        var api = aws.World.AddGroup(listener, "k8s-shop-api-2222222222", 20, targets: 1);

        await aws.RunUntilAsync(() => aws.Poller.Synced && aws.Store.Current.Usage is not null, SyncLimit);
        var first = aws.Store.Current.Usage!;

        Assert.True(first.LcuHours.ContainsKey(alb.Arn));
        Assert.True(first.RecentRequests.ContainsKey(alb.Arn));
        // A balancer with several target groups gets their requests, to split it between its owners.
        Assert.Equal([api.Arn, web.Arn], first.TargetGroupRequests.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(TimeSpan.FromDays(7), first.RecentWindow);

        await aws.StepAsync(TimeSpan.FromMinutes(5));
        Assert.Same(first, aws.Store.Current.Usage);
        await aws.RunUntilAsync(() => !ReferenceEquals(first, aws.Store.Current.Usage), TimeSpan.FromMinutes(11));
        Assert.True(aws.Store.Current.Usage!.AsOf >= first.AsOf + TimeSpan.FromMinutes(15));
    }

    [Fact]
    public async Task A_new_balancer_gets_its_usage_read_at_its_first_listing_not_a_usage_interval_later()
    {
        await using var aws = await AwsPollingWorld.StartAsync(new Dictionary<string, string?> { ["Dashboard:Aws:Polling:UsageInterval"] = "00:15:00" });
        aws.World.AddAlb("k8s-first-0a1b2c3d4e");
        await aws.RunUntilAsync(() => aws.Poller.Synced && aws.Store.Current.Usage is not null, SyncLimit);

        var (later, _) = aws.World.AddAlb("k8s-later-5f6a7b8c9d");
        // Listed within the configuration interval (1 min), its usage read at most a metrics interval (1 min) after the last.
        var took = await aws.RunUntilAsync(() => aws.Store.Current.Usage?.LcuHours.ContainsKey(later.Arn) == true, TimeSpan.FromMinutes(15));

        Assert.True(took <= TimeSpan.FromMinutes(2) + TimeSpan.FromSeconds(5), $"usage of the new balancer after {took}");
    }

    private static async Task<long> CountElbCallsAsync(SimulatedAwsPolling aws, TimeSpan duration)
    {
        var before = aws.Statistics.ElasticLoadBalancingCalls;
        await aws.StepAsync(duration);
        return aws.Statistics.ElasticLoadBalancingCalls - before;
    }
}
