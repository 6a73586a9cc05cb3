using System.Collections.Immutable;
using Dashboard.Server.Aws.ElasticLoadBalancing;
using Dashboard.Server.LoadBalancers;
using Sim = Dashboard.Sandbox.Aws;

namespace Dashboard.Benchmarks;

/// <summary>What <see cref="AwsPollingBenchmark"/> builds and how long it runs.</summary>
public sealed record AwsPollingBenchmarkSettings
{
    public int TargetGroups { get; init; } = 500;
    public int TargetsPerGroup { get; init; } = 10;

    /// <summary>Target groups behind each ALB (one rule each).</summary>
    public int TargetGroupsPerLoadBalancer { get; init; } = 2;

    /// <summary>Simulated time measured after the first full read.</summary>
    public TimeSpan SteadyState { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Leases on the same <see cref="ViewedTargetGroups"/> groups (pages open on one endpoint).</summary>
    public int Viewers { get; init; } = 1;
    public int ViewedTargetGroups { get; init; } = 3;

    /// <summary>A random target turns unhealthy this often on average during the steady state (every fourth in a viewed group)...</summary>
    public TimeSpan FailureEvery { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>...and healthy again this much later (longer than a CloudWatch cycle, so every failure can be seen).</summary>
    public TimeSpan FailureDuration { get; init; } = TimeSpan.FromSeconds(90);

    /// <summary>Configuration overrides, e.g. <c>Dashboard:Aws:Polling:SweepInterval</c>; the defaults otherwise.</summary>
    public IReadOnlyDictionary<string, string?> Configuration { get; init; } = ImmutableDictionary<string, string?>.Empty;

    public int Seed { get; init; } = 42;

    /// <summary>
    /// Whether each failure is accompanied by the pod's readiness flipping, as when the readiness probe and the health
    /// check share a path: the poller then gets the Kubernetes hint (<see cref="AwsPoller.HintTargetsChanged"/>).
    /// </summary>
    public bool ReadinessHints { get; init; }

    /// <summary>
    /// Whether each failure follows a change to its Service or Ingress (say a new health-check path) by
    /// <see cref="ChangeLead"/>, the poller being told of the change (<see cref="AwsPoller.WatchAfterChange"/>): a failure
    /// only AWS sees, in a group nobody has open, as such failures usually start.
    /// </summary>
    public bool ChangeHints { get; init; }

    /// <summary>From the change to the first failed target: a health check's UnhealthyThreshold × interval (2 × 15 s).</summary>
    public TimeSpan ChangeLead { get; init; } = TimeSpan.FromSeconds(30);
}

/// <summary>Figures of one <see cref="AwsPollingBenchmark"/> run, in simulated time.</summary>
public sealed record AwsPollingBenchmarkResult
{
    public required AwsPollingBenchmarkSettings Settings { get; init; }
    public required int LoadBalancers { get; init; }
    public required TimeSpan InitialSync { get; init; }
    public required long InitialSyncElbCalls { get; init; }
    public required double ElbCallsPerMinute { get; init; }
    public required ImmutableSortedDictionary<string, double> ElbCallsPerMinuteByAction { get; init; }
    public required double CloudWatchCallsPerMinute { get; init; }
    public required long Throttled { get; init; }

    /// <summary>From a target turning unhealthy in AWS to the snapshot showing it, groups nobody views (CloudWatch path).</summary>
    public required LatencySummary Unviewed { get; init; }

    /// <summary>The same for groups open in a page (fast path).</summary>
    public required LatencySummary Viewed { get; init; }
}

/// <summary>Detection latencies of one kind of group; <see cref="Missed"/> were not seen before they recovered or the run ended.</summary>
public sealed record LatencySummary(int Count, int Missed, TimeSpan P50, TimeSpan P99, TimeSpan Max)
{
    public static LatencySummary Of(IReadOnlyList<TimeSpan> samples, int missed)
    {
        if (samples.Count == 0)
        {
            return new LatencySummary(0, missed, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero);
        }
        var sorted = samples.Order().ToList();
        TimeSpan Percentile(double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
        return new LatencySummary(sorted.Count, missed, Percentile(0.50), Percentile(0.99), sorted[^1]);
    }
}

/// <summary>
/// The pollers at scale, in simulated time: a world of ALBs with <see cref="AwsPollingBenchmarkSettings.TargetGroups"/>
/// target groups and their targets on the sandbox emulator; the real clients and poller run one round per simulated
/// second until the first full read, then for the steady state while targets fail and recover at random. Reports ELBv2
/// and CloudWatch calls per minute and how long an unhealthy target took to show in the snapshot. Invoked by
/// <c>tests/Dashboard.Benchmarks</c> (<c>aws-polling</c>), which supplies the clock.
/// </summary>
public static class AwsPollingBenchmark
{
    public static async Task<AwsPollingBenchmarkResult> RunAsync(
        AwsPollingBenchmarkSettings settings, TimeProvider clock, Action<TimeSpan> advance, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        await using var aws = await SimulatedAwsPolling.StartAsync(clock, advance, settings.Configuration, settings.Seed, cancellationToken);
        var groups = BuildWorld(aws.World, settings);
        var random = new Random(settings.Seed);
        var viewed = groups.Take(settings.ViewedTargetGroups).ToList();
        var leases = Enumerable.Range(0, settings.Viewers).Select(_ => aws.Store.MarkViewed(viewed.Select(g => g.Arn))).ToList();

        var syncStarted = clock.GetUtcNow();
        await aws.RunUntilAsync(() => aws.Poller.Synced, TimeSpan.FromHours(2), cancellationToken);
        var initialSync = clock.GetUtcNow() - syncStarted;
        var syncCalls = aws.Statistics.ElasticLoadBalancingCalls;

        var before = aws.Statistics.Snapshot();
        var failures = new List<Failure>();
        var pending = new List<(Sim.TargetGroup Group, string TargetId, int Port, bool Viewed, DateTimeOffset At)>();
        void Fail(Sim.TargetGroup group, string targetId, int port, bool inViewed, DateTimeOffset at)
        {
            aws.World.SetTargetHealth(group.Arn, targetId, port, Sim.TargetHealthState.Unhealthy, "Target.Timeout", "Request timed out");
            if (settings.ReadinessHints)
            {
                aws.Poller.HintTargetsChanged([targetId]);
            }
            failures.Add(new Failure(group, targetId, port, inViewed, at));
        }
        var latencies = (Viewed: new List<TimeSpan>(), Unviewed: new List<TimeSpan>());
        var missed = (Viewed: 0, Unviewed: 0);
        var nextFailureAt = clock.GetUtcNow() + settings.FailureEvery;
        var end = clock.GetUtcNow() + settings.SteadyState;
        while (clock.GetUtcNow() < end)
        {
            var now = clock.GetUtcNow();
            // Failures at random moments (on average every FailureEvery), none so late that it could not be seen.
            if (now >= nextFailureAt && now + settings.FailureDuration < end)
            {
                nextFailureAt = now + (settings.FailureEvery * (0.5 + random.NextDouble()));
                var inViewed = failures.Count % 4 == 3 && viewed.Count > 0;
                var pool = inViewed ? viewed : groups.Skip(viewed.Count).ToList();
                var group = pool[random.Next(pool.Count)];
                var target = aws.World.GetTargets(group.Arn)[random.Next(settings.TargetsPerGroup)];
                if (target.Health.State == Sim.TargetHealthState.Healthy && failures.All(f => f.Seen is not null || f.Group.Arn != group.Arn)
                    && pending.All(p => p.Group.Arn != group.Arn))
                {
                    if (settings.ChangeHints)
                    {
                        aws.Poller.WatchAfterChange([group.Arn]);
                        pending.Add((group, target.Id, target.Port, inViewed, now + settings.ChangeLead));
                    }
                    else
                    {
                        Fail(group, target.Id, target.Port, inViewed, now);
                    }
                }
            }
            foreach (var due in pending.Where(p => p.At <= now).ToList())
            {
                pending.Remove(due);
                Fail(due.Group, due.TargetId, due.Port, due.Viewed, now);
            }
            foreach (var failure in failures.Where(f => f.Recovered is null && now - f.At >= settings.FailureDuration))
            {
                aws.World.SetTargetHealth(failure.Group.Arn, failure.TargetId, failure.Port, Sim.TargetHealthState.Healthy);
                failure.Recovered = now;
                if (failure.Seen is null)
                {
                    missed = failure.Viewed ? (missed.Viewed + 1, missed.Unviewed) : (missed.Viewed, missed.Unviewed + 1);
                }
            }
            await aws.StepAsync(AwsPollingHostedService.Tick, cancellationToken: cancellationToken);
            var snapshot = aws.Store.Current;
            foreach (var failure in failures.Where(f => f.Seen is null && f.Recovered is null))
            {
                var shown = snapshot.TargetHealth.GetValueOrDefault(failure.Group.Arn)?.Targets
                    .Any(t => t.Description.Target.Id == failure.TargetId && t.Description.TargetHealth.State == TargetHealthState.Unhealthy) == true;
                if (shown)
                {
                    failure.Seen = clock.GetUtcNow();
                    (failure.Viewed ? latencies.Viewed : latencies.Unviewed).Add(failure.Seen.Value - failure.At);
                }
            }
        }
        missed = (missed.Viewed + failures.Count(f => f.Viewed && f.Seen is null && f.Recovered is null),
            missed.Unviewed + failures.Count(f => !f.Viewed && f.Seen is null && f.Recovered is null));
        leases.ForEach(lease => lease.Dispose());

        var after = aws.Statistics.Snapshot();
        var minutes = settings.SteadyState.TotalMinutes;
        return new AwsPollingBenchmarkResult
        {
            Settings = settings,
            LoadBalancers = aws.World.GetLoadBalancers().Length,
            InitialSync = initialSync,
            InitialSyncElbCalls = syncCalls,
            ElbCallsPerMinute = (after.ElasticLoadBalancing - before.ElasticLoadBalancing) / minutes,
            ElbCallsPerMinuteByAction = after.ByAction
                .Where(a => a.Key.StartsWith("ElasticLoadBalancing:", StringComparison.Ordinal))
                .ToImmutableSortedDictionary(a => a.Key["ElasticLoadBalancing:".Length..], a => (a.Value - before.ByAction.GetValueOrDefault(a.Key)) / minutes, StringComparer.Ordinal),
            CloudWatchCallsPerMinute = (after.CloudWatch - before.CloudWatch) / minutes,
            Throttled = after.Throttled - before.Throttled,
            Unviewed = LatencySummary.Of(latencies.Unviewed, missed.Unviewed),
            Viewed = LatencySummary.Of(latencies.Viewed, missed.Viewed),
        };
    }

    /// <summary>ALBs with one HTTP listener, a rule per target group, and healthy ip targets; returns the groups.</summary>
    public static IReadOnlyList<Sim.TargetGroup> BuildWorld(Sim.AwsWorld world, AwsPollingBenchmarkSettings settings)
    {
        ArgumentNullException.ThrowIfNull(world);
        ArgumentNullException.ThrowIfNull(settings);
        var groups = new List<Sim.TargetGroup>(settings.TargetGroups);
        Sim.Listener? listener = null;
        for (var i = 0; i < settings.TargetGroups; i++)
        {
            if (i % settings.TargetGroupsPerLoadBalancer == 0)
            {
                var alb = world.CreateLoadBalancer(new Sim.LoadBalancerSpec
                {
                    Name = $"k8s-bench-alb{i / settings.TargetGroupsPerLoadBalancer:D4}",
                    Type = Sim.LoadBalancerType.Application,
                    State = Sim.LoadBalancerStateCode.Active,
                    Tags = ImmutableDictionary<string, string>.Empty.Add("elbv2.k8s.aws/cluster", world.ClusterName),
                });
                listener = world.CreateListener(alb.Arn, new Sim.ListenerSpec { Port = 80, Protocol = "HTTP", DefaultActions = [Sim.RuleAction.Fixed("404")] });
            }
            var group = world.CreateTargetGroup(new Sim.TargetGroupSpec { Name = $"k8s-bench-tg{i:D4}", Protocol = "HTTP", Port = 8080 });
            world.CreateRule(listener!.Arn, 1 + (i % settings.TargetGroupsPerLoadBalancer), [Sim.RuleCondition.PathPattern($"/svc{i}/*")], [Sim.RuleAction.Forward(group.Arn)]);
            var targets = Enumerable.Range(0, settings.TargetsPerGroup).Select(t => new Sim.TargetDescription($"10.{i / 250}.{i % 250}.{t + 10}", 8080, "us-east-1a")).ToList();
            world.RegisterTargets(group.Arn, targets);
            foreach (var target in targets)
            {
                world.SetTargetHealth(group.Arn, target.Id, target.Port, Sim.TargetHealthState.Healthy);
            }
            groups.Add(group);
        }
        return groups;
    }

    private sealed class Failure(Sim.TargetGroup group, string targetId, int port, bool viewed, DateTimeOffset at)
    {
        public Sim.TargetGroup Group { get; } = group;
        public string TargetId { get; } = targetId;
        public int Port { get; } = port;
        public bool Viewed { get; } = viewed;
        public DateTimeOffset At { get; } = at;
        public DateTimeOffset? Seen { get; set; }
        public DateTimeOffset? Recovered { get; set; }
    }
}
