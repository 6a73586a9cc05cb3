using Dashboard.Client.Model;
using Dashboard.Server.Aws;
using Dashboard.Server.Aws.CloudWatch;
using Dashboard.Server.Aws.ElasticLoadBalancing;
using Dashboard.Server.Feed;
using Dashboard.Server.Kubernetes;
using Microsoft.Extensions.Options;

namespace Dashboard.Server.LoadBalancers;

/// <summary>
/// The AWS poll loop's work, one round per <see cref="PollAsync"/>: list balancers and target groups every
/// configuration interval; ask CloudWatch once a metrics interval which quiet groups' host counts moved; then run the
/// due reads in priority order (unhealthy &gt; new &gt; viewed &gt; changed &gt; sweep) while the ELBv2 budget lasts;
/// publish the snapshot if anything changed, and the "aws" source status. Failures back off per service and leave the
/// last known data in place. One instance per server; rounds must not overlap (the hosted loop runs them in turn).
/// </summary>
public sealed partial class AwsPoller
{
    public const string SourceKey = "aws";
    public const string SourceDisplayName = "AWS";

    private static readonly HashSet<string> NotFoundCodes = new(StringComparer.Ordinal)
    {
        "TargetGroupNotFound", "LoadBalancerNotFound", "ListenerNotFound", "RuleNotFound",
    };

    private readonly IElasticLoadBalancingClient _elb;
    private readonly ICloudWatchClient _cloudWatch;
    private readonly AwsSnapshotStore _store;
    private readonly AwsCallStatistics _statistics;
    private readonly SourceStatusRegistry _sources;
    private readonly AwsPollingOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<AwsPoller> _logger;
    private readonly Dictionary<string, Failure> _failures = new(StringComparer.Ordinal);
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _hintedTargets = new();
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _changedGroups = new();
    /// <summary>Groups read fast after a change, until when (owned by the poll loop).</summary>
    private readonly Dictionary<string, DateTimeOffset> _watchedAfterChange = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _lastSuccess = new(StringComparer.Ordinal);
    private DateTimeOffset? _listedAt;
    private DateTimeOffset? _metricsAt;
    private DateTimeOffset? _usageAt;
    private BalancerUsage? _usage;
    private bool _relist;
    private bool _synced;
    private long _publishedConfigurationVersion;
    private DateTimeOffset? _publishedListedAt;
    private SourceStatus? _publishedStatus;

    public AwsPoller(
        IElasticLoadBalancingClient elb,
        ICloudWatchClient cloudWatch,
        AwsSnapshotStore store,
        AwsCallStatistics statistics,
        SourceStatusRegistry sources,
        IOptions<AwsPollingOptions> options,
        TimeProvider time,
        ILogger<AwsPoller> logger,
        Security.AwsSecurityReader? securityReader = null)
    {
        _securityReader = securityReader;
        _elb = elb;
        _cloudWatch = cloudWatch;
        _store = store;
        _statistics = statistics;
        _sources = sources;
        _options = options.Value;
        _time = time;
        _logger = logger;
        var random = new Random();
        Configuration = new LoadBalancerConfiguration(_options, random);
        Health = new TargetHealthTracker(_options, random);
        Budget = new CallBudget(_options.MaxElbCallsPerMinute, _options.ElbBurst, time);
        SweepBudget = new CallBudget(_options.SweepElbCallsPerMinute, Math.Min(_options.ElbBurst, _options.SweepElbCallsPerMinute), time);
        ElbBackoff = new RetryBackoff(_options.BackoffInitialDelay, _options.BackoffMaxDelay, random.NextDouble);
        CloudWatchBackoff = new RetryBackoff(_options.BackoffInitialDelay, _options.BackoffMaxDelay, random.NextDouble);
    }

    public LoadBalancerConfiguration Configuration { get; }
    public TargetHealthTracker Health { get; }

    /// <summary>The ELBv2 ceiling (<see cref="AwsPollingOptions.MaxElbCallsPerMinute"/>).</summary>
    public CallBudget Budget { get; }

    /// <summary>The sweeps' share of it (<see cref="AwsPollingOptions.SweepElbCallsPerMinute"/>).</summary>
    public CallBudget SweepBudget { get; }

    public RetryBackoff ElbBackoff { get; }
    public RetryBackoff CloudWatchBackoff { get; }

    /// <summary>Reads that were due at the end of the last round but left for later (budget or back-off).</summary>
    public int PendingReads { get; private set; }

    /// <summary>True once everything known has been read at least once (the status then leaves Syncing).</summary>
    public bool Synced => _synced;

    /// <summary>
    /// A hint from Kubernetes that these targets (pod IPs, instance ids) probably changed health — a pod's or node's
    /// readiness flipped. Their groups are read in the next round, ahead of CloudWatch's minute. Thread-safe.
    /// </summary>
    public void HintTargetsChanged(IEnumerable<string> targetIds)
    {
        foreach (var id in targetIds)
        {
            _hintedTargets.Enqueue(id);
        }
    }

    /// <summary>
    /// A hint that the Kubernetes objects behind these target groups just changed (annotations or spec): each is read at
    /// the fast interval for <see cref="AwsPollingOptions.ChangeWatchWindow"/>, as if a page had it open. Thread-safe.
    /// </summary>
    public void WatchAfterChange(IEnumerable<string> targetGroupArns)
    {
        if (_options.ChangeWatchWindow <= TimeSpan.Zero)
        {
            return;
        }
        foreach (var arn in targetGroupArns)
        {
            _changedGroups.Enqueue(arn);
        }
    }

    /// <summary>Groups read fast because their objects changed a moment ago (a copy; read it from the poll loop or a test).</summary>
    internal IReadOnlyCollection<string> WatchedAfterChange => [.. _watchedAfterChange.Keys];

    /// <summary>The viewed groups plus those in their change window; the window's expired entries are dropped.</summary>
    private IReadOnlySet<string> FastGroups(IReadOnlySet<string> viewed, DateTimeOffset now)
    {
        while (_changedGroups.TryDequeue(out var arn))
        {
            _watchedAfterChange[arn] = now + _options.ChangeWatchWindow;
        }
        foreach (var arn in _watchedAfterChange.Where(w => w.Value <= now).Select(w => w.Key).ToList())
        {
            _watchedAfterChange.Remove(arn);
        }
        return _watchedAfterChange.Count == 0 ? viewed : viewed.Union(_watchedAfterChange.Keys).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Runs one round: everything due now that the budget and back-off allow.</summary>
    public async Task PollAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var viewed = FastGroups(_store.ViewedTargetGroups, now);
        if (!_hintedTargets.IsEmpty)
        {
            var hinted = new HashSet<string>(StringComparer.Ordinal);
            while (_hintedTargets.TryDequeue(out var id))
            {
                hinted.Add(id);
            }
            Health.SuspectTargets(hinted, now);
        }
        if ((_listedAt is null || _relist || now >= _listedAt + _options.ConfigurationInterval) && CanCallElb(now))
        {
            await ListAsync(cancellationToken);
        }
        if (_listedAt is not null && (_metricsAt is null || now >= _metricsAt + _options.MetricsInterval) && !CloudWatchBackoff.IsActive(now))
        {
            await ReadHealthCountsAsync(viewed, cancellationToken);
        }
        await RunDueReadsAsync(viewed, cancellationToken);
        await ReadSecurityIfDueAsync(cancellationToken);
        now = _time.GetUtcNow();
        if (_listedAt is not null && _options.UsageInterval is { } usageInterval && UsageDue(now, usageInterval) && !CloudWatchBackoff.IsActive(now))
        {
            await ReadUsageAsync(cancellationToken);
        }
        Publish();
    }

    /// <summary>Publishes the status before the first round (Syncing), or why polling is off.</summary>
    public void PublishInitialStatus(string? disabledReason = null)
    {
        if (disabledReason is null && _sources.Get(SourceKey) is { } restored)
        {
            // A snapshot restored from the state store came with its status (stale, saying where from): it stands
            // until this poller's first round says otherwise.
            _publishedStatus = restored;
            return;
        }
        _publishedStatus = new SourceStatus
        {
            Key = SourceKey,
            DisplayName = SourceDisplayName,
            State = disabledReason is null ? SourceState.Syncing : SourceState.Stale,
            Message = disabledReason,
        };
        _sources.Publish(_publishedStatus);
    }

    // ---- the rounds' parts ---------------------------------------------------------------------------------------

    private async Task ListAsync(CancellationToken cancellationToken)
    {
        await CallElbAsync("DescribeLoadBalancers", PollPriority.Changed, async () =>
        {
            var loadBalancers = await _elb.DescribeLoadBalancersAsync(cancellationToken: cancellationToken);
            var targetGroups = await _elb.DescribeTargetGroupsAsync(cancellationToken: cancellationToken);
            var now = _time.GetUtcNow();
            Configuration.ApplyListing(loadBalancers, targetGroups, now);
            Health.Sync(targetGroups.Select(tg => tg.TargetGroupArn), now);
            _listedAt = now;
            _relist = false;
        });
    }

    private async Task ReadHealthCountsAsync(IReadOnlySet<string> viewed, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var balancers = Configuration.LoadBalancers.ToDictionary(lb => lb.LoadBalancerArn, StringComparer.Ordinal);
        var groups = Configuration.TargetGroups.ToDictionary(tg => tg.TargetGroupArn, StringComparer.Ordinal);
        var watched = new List<WatchedTargetGroup>();
        foreach (var arn in Health.GroupsToWatch(viewed))
        {
            if (groups.TryGetValue(arn, out var group)
                && group.LoadBalancerArns.Select(balancers.GetValueOrDefault).FirstOrDefault(lb => lb is not null) is { } balancer
                && HealthCountMetrics.Watch(group, balancer) is { } watch)
            {
                watched.Add(watch);
            }
        }
        _metricsAt = now;
        if (watched.Count == 0)
        {
            return;
        }
        var end = DateTimeOffset.FromUnixTimeSeconds((now.ToUnixTimeSeconds() / HealthCountMetrics.PeriodSeconds * HealthCountMetrics.PeriodSeconds) + HealthCountMetrics.PeriodSeconds);
        try
        {
            var response = await _cloudWatch.GetMetricDataAsync(HealthCountMetrics.Queries(watched), end - HealthCountMetrics.Lookback, end, cancellationToken: cancellationToken);
            var readAt = _time.GetUtcNow();
            var triggered = 0;
            foreach (var (arn, reading) in HealthCountMetrics.Readings(watched, response))
            {
                triggered += Health.ApplyReading(arn, reading, readAt) ? 1 : 0;
            }
            Succeeded("CloudWatch", "GetMetricData", CloudWatchBackoff);
            if (triggered > 0)
            {
                LogHealthCountsMoved(_logger, triggered, watched.Count);
            }
        }
        catch (Exception exception) when (exception is AwsServiceException or AwsCredentialsException)
        {
            _metricsAt = null;
            Failed("CloudWatch", "GetMetricData", exception, CloudWatchBackoff);
        }
    }

    /// <summary>
    /// Usage is read every usage interval, and sooner (at most once a metrics interval) when the listing shows a balancer,
    /// or a target group of a balancer with several, that the last read did not cover: a new balancer is priced and a new
    /// Ingress group member gets its share within a minute, not a quarter of an hour.
    /// </summary>
    private bool UsageDue(DateTimeOffset now, TimeSpan usageInterval)
    {
        if (_usageAt is not { } at || _usage is not { } usage || now >= at + usageInterval)
        {
            return true;
        }
        if (now < at + _options.MetricsInterval)
        {
            return false;
        }
        var groups = Configuration.TargetGroups.SelectMany(tg => tg.LoadBalancerArns.Select(lb => (Balancer: lb, Group: tg.TargetGroupArn)))
            .ToLookup(p => p.Balancer, p => p.Group, StringComparer.Ordinal);
        return Configuration.LoadBalancers.Any(lb => lb.Type is "application" or "network"
            && (!usage.LcuHours.ContainsKey(lb.LoadBalancerArn)
                || (lb.Type == "application" && groups[lb.LoadBalancerArn].Count() > 1 && groups[lb.LoadBalancerArn].Any(g => !usage.TargetGroupRequests.ContainsKey(g)))));
    }

    private async Task ReadUsageAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        _usageAt = now;
        try
        {
            _usage = await BalancerUsageReader.ReadAsync(_cloudWatch, Configuration.LoadBalancers, Configuration.TargetGroups, now, _options.UsageRecentWindow, cancellationToken);
            Succeeded("CloudWatch", "GetMetricData (usage)", CloudWatchBackoff);
        }
        catch (Exception exception) when (exception is AwsServiceException or AwsCredentialsException)
        {
            // The last usage read stays in the snapshot; the next attempt follows the back-off.
            _usageAt = null;
            Failed("CloudWatch", "GetMetricData (usage)", exception, CloudWatchBackoff);
        }
    }

    private async Task RunDueReadsAsync(IReadOnlySet<string> viewed, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var work = new List<Work>();
        foreach (var (arn, priority, due) in Health.DueReads(now, viewed))
        {
            work.Add(new Work(priority, due, WorkKind.TargetHealth, [arn]));
        }
        foreach (var (kind, priority, due, arns) in Configuration.Due(now))
        {
            work.Add(new Work(priority, due, kind switch
            {
                ConfigurationDetail.Tags => WorkKind.Tags,
                ConfigurationDetail.Listeners => WorkKind.Listeners,
                ConfigurationDetail.LoadBalancerAttributes => WorkKind.LoadBalancerAttributes,
                _ => WorkKind.TargetGroupAttributes,
            }, arns));
        }
        work.Sort(static (a, b) => (a.Priority, a.Due, a.Kind).CompareTo((b.Priority, b.Due, b.Kind)));
        var done = 0;
        foreach (var item in work)
        {
            if (!CanCallElb(_time.GetUtcNow()) || (item.Priority == PollPriority.Sweep && !SweepBudget.CanSpend))
            {
                break;
            }
            if (!await RunAsync(item, cancellationToken))
            {
                break;
            }
            done++;
        }
        // Due reads the budget or a back-off left for later rounds (dashboard.aws.poll.queue_depth).
        PendingReads = work.Count - done;
    }

    private Task<bool> RunAsync(Work item, CancellationToken cancellationToken)
    {
        var arn = item.Arns[0];
        return item.Kind switch
        {
            WorkKind.TargetHealth => CallElbAsync("DescribeTargetHealth", item.Priority, async () =>
            {
                var descriptions = await _elb.DescribeTargetHealthAsync(arn, cancellationToken: cancellationToken);
                Health.Record(arn, descriptions, _time.GetUtcNow());
            }, notFound: () =>
            {
                Health.Forget(arn);
                Configuration.ForgetTargetGroup(arn);
            }),
            WorkKind.Listeners => CallElbAsync("DescribeListeners", item.Priority, async () =>
            {
                var listeners = await _elb.DescribeListenersAsync(loadBalancerArn: arn, cancellationToken: cancellationToken);
                var rules = new Dictionary<string, IReadOnlyList<ListenerRule>>(StringComparer.Ordinal);
                // Only Application Load Balancer listeners have rules; an NLB's listener forwards by its default action.
                if (Configuration.LoadBalancers.FirstOrDefault(lb => lb.LoadBalancerArn == arn)?.Type == "application")
                {
                    foreach (var listener in listeners)
                    {
                        rules[listener.ListenerArn] = await _elb.DescribeRulesAsync(listenerArn: listener.ListenerArn, cancellationToken: cancellationToken);
                    }
                }
                Configuration.ApplyListeners(arn, listeners, rules, _time.GetUtcNow());
            }, notFound: () => Configuration.ForgetLoadBalancer(arn)),
            WorkKind.LoadBalancerAttributes => CallElbAsync("DescribeLoadBalancerAttributes", item.Priority, async () =>
            {
                var attributes = await _elb.DescribeLoadBalancerAttributesAsync(arn, cancellationToken);
                Configuration.ApplyLoadBalancerAttributes(arn, attributes, _time.GetUtcNow());
            }, notFound: () => Configuration.ForgetLoadBalancer(arn)),
            WorkKind.TargetGroupAttributes => CallElbAsync("DescribeTargetGroupAttributes", item.Priority, async () =>
            {
                var attributes = await _elb.DescribeTargetGroupAttributesAsync(arn, cancellationToken);
                Configuration.ApplyTargetGroupAttributes(arn, attributes, _time.GetUtcNow());
            }, notFound: () =>
            {
                Health.Forget(arn);
                Configuration.ForgetTargetGroup(arn);
            }),
            _ => CallElbAsync("DescribeTags", item.Priority, async () =>
            {
                var tags = await _elb.DescribeTagsAsync(item.Arns, cancellationToken);
                Configuration.ApplyTags(item.Arns, tags, _time.GetUtcNow());
            }),
        };
    }

    /// <summary>
    /// Runs ELBv2 calls, charges the budget what they cost, and records the outcome. A resource AWS says is gone is
    /// dropped (and the listing repeated); any other failure backs ELBv2 off. Returns false when the round should stop.
    /// </summary>
    private async Task<bool> CallElbAsync(string action, PollPriority priority, Func<Task> call, Action? notFound = null)
    {
        var before = _statistics.ElasticLoadBalancingCalls;
        try
        {
            await call();
            Succeeded("ElasticLoadBalancing", action, ElbBackoff);
            return true;
        }
        catch (AwsServiceException exception) when (exception.ErrorCode is { } code && NotFoundCodes.Contains(code))
        {
            notFound?.Invoke();
            _relist = true;
            Succeeded("ElasticLoadBalancing", action, ElbBackoff);
            return true;
        }
        catch (Exception exception) when (exception is AwsServiceException or AwsCredentialsException)
        {
            Failed("ElasticLoadBalancing", action, exception, ElbBackoff);
            return false;
        }
        finally
        {
            // Paged and per-listener calls cost more than one; without the metering handler, count one per read.
            var cost = Math.Max(1, _statistics.ElasticLoadBalancingCalls - before);
            Budget.Charge(cost);
            if (priority == PollPriority.Sweep)
            {
                SweepBudget.Charge(cost);
            }
        }
    }

    private bool CanCallElb(DateTimeOffset now) => !ElbBackoff.IsActive(now) && Budget.CanSpend;

    private enum WorkKind
    {
        TargetHealth,
        Tags,
        Listeners,
        LoadBalancerAttributes,
        TargetGroupAttributes,
    }

    private readonly record struct Work(PollPriority Priority, DateTimeOffset Due, WorkKind Kind, IReadOnlyList<string> Arns);

    private sealed record Failure(string Message, DateTimeOffset At, DateTimeOffset? LastSuccess, RetryBackoff Backoff);

    [LoggerMessage(Level = LogLevel.Warning, Message = "AWS polling: {Reason}. Showing the last known data; next attempt at {RetryAt:O}")]
    private static partial void LogFailed(ILogger logger, string reason, DateTimeOffset retryAt);

    [LoggerMessage(Level = LogLevel.Information, Message = "AWS polling recovered")]
    private static partial void LogRecovered(ILogger logger);

    [LoggerMessage(Level = LogLevel.Debug, Message = "CloudWatch host counts moved for {Triggered} of {Watched} target groups; reading their health now")]
    private static partial void LogHealthCountsMoved(ILogger logger, int triggered, int watched);
}
