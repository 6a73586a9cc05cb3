using System.Collections.Immutable;
using Dashboard.Client.Model;
using Dashboard.Server.Aws;
using Dashboard.Server.Aws.CloudWatch;
using Dashboard.Server.Aws.CostExplorer;
using Dashboard.Server.Aws.ElasticLoadBalancing;
using Dashboard.Server.Inventory;
using Dashboard.Server.Kubernetes;
using Microsoft.Extensions.Options;

namespace Dashboard.Server.Costs;

/// <summary>Where the server runs: the region priced, and the sandbox's cluster name in sandbox mode.</summary>
public sealed record CostEnvironment(string? Region, string? SandboxClusterName);

/// <summary>
/// The server's one cost report, shared by every viewer. Each part is cached on its own clock — balancers ~10 min, usage
/// ~15 min, Cost Explorer hours — so viewers never cause AWS calls, and Cost Explorer's USD 0.01 a request stays bounded.
/// A failing part keeps its last good value, marked stale; the state of all parts is published as source
/// <see cref="SourceKey"/>.
/// </summary>
public sealed partial class CostService : IDisposable
{
    public const string SourceKey = SourceStatusBoard.CostSourceKey;

    private static readonly HashSet<string> UnavailableCodes = new(StringComparer.Ordinal)
    {
        "DataUnavailableException", "AccessDeniedException", "AccessDenied", "OptInRequired", "ValidationException", "UnauthorizedOperation",
    };

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly IElasticLoadBalancingClient _elb;
    private readonly ICloudWatchClient _cloudWatch;
    private readonly ICostExplorerClient _costExplorer;
    private readonly KubernetesInventory _inventory;
    private readonly SourceStatusRegistry _sources;
    private readonly CostOptions _options;
    private readonly CostEnvironment _environment;
    private readonly TimeProvider _time;
    private readonly ILogger<CostService> _logger;
    private readonly CachedPart<BalancerList> _balancers;
    private readonly CachedPart<BalancerUsage> _usage;
    private readonly CachedPart<CostByClusterTag> _byClusterTag;
    private readonly CachedPart<CostByStackTag> _byStackTag;
    private readonly CachedPart<CostByResource> _byResource;
    private readonly CachedPart<CostForecastFigure> _forecast;
    private volatile CostReport? _report;
    private long _costExplorerRequests;
    private readonly LoadBalancers.AwsCallStatistics _calls;

    public CostService(IElasticLoadBalancingClient elb, ICloudWatchClient cloudWatch, ICostExplorerClient costExplorer, KubernetesInventory inventory,
        SourceStatusRegistry sources, IOptions<CostOptions> options, CostEnvironment environment, LoadBalancers.AwsCallStatistics calls,
        TimeProvider time, ILogger<CostService> logger)
    {
        _calls = calls;
        _elb = elb;
        _cloudWatch = cloudWatch;
        _costExplorer = costExplorer;
        _inventory = inventory;
        _sources = sources;
        _options = options.Value;
        _environment = environment;
        _time = time;
        _logger = logger;
        _balancers = new("balancers", "Load balancers and tags (ELBv2)", time);
        _usage = new("usage", "Usage: ConsumedLCUs and requests (CloudWatch)", time);
        _byClusterTag = new("ce-cluster-tag", "Cost Explorer, monthly by cluster tag", time);
        _byStackTag = new("ce-stack-tag", "Cost Explorer, this month by stack tag", time);
        _byResource = new("ce-resource", "Cost Explorer, per resource (opt-in, 14 days)", time, IsUnavailable);
        _forecast = new("ce-forecast", "Cost Explorer forecast", time, IsUnavailable);
        Publish();
    }

    /// <summary>Cost Explorer requests made since start.</summary>
    public long CostExplorerRequests => Interlocked.Read(ref _costExplorerRequests);

    /// <summary>Raised after each report is built (on the building thread), with the new report.</summary>
    public event Action<CostReport>? ReportBuilt;

    /// <summary>The last report built, without waiting; null before the first.</summary>
    public CostReport? Current => _report;

    public async Task<CostReport> GetReportAsync(CancellationToken cancellationToken) =>
        _report ?? await RefreshAsync(cancellationToken);

    public async Task<CostReport> RefreshAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await RefreshPartsAsync(cancellationToken);
            var report = Build();
            _report = report;
            Publish();
            ReportBuilt?.Invoke(report);
            return report;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task RefreshPartsAsync(CancellationToken cancellationToken)
    {
        var options = _options;
        if (await _balancers.RefreshAsync(async ct => new BalancerList(await BalancerReader.ReadAsync(_elb, ct)), options.BalancerRefresh, options.RetryAfterFailure, cancellationToken))
        {
            LogPart(_balancers);
        }
        var balancers = _balancers.Value?.Balancers ?? [];
        var cluster = ClusterName(balancers);
        var costed = balancers.Where(b => BalancerOwnership.BelongsTo(b, cluster)).ToList();
        if (await _usage.RefreshAsync(ct => UsageReader.ReadAsync(_cloudWatch, costed, _time.GetUtcNow(), options.IdleWindow, ct), options.UsageRefresh, options.RetryAfterFailure, cancellationToken))
        {
            LogPart(_usage);
        }

        var ceTtl = options.CostExplorerRefresh;
        var now = _time.GetUtcNow();
        await RefreshCostExplorerAsync(_byClusterTag, ct => CostExplorerReader.ByClusterTagAsync(_costExplorer, cluster, options.HistoryMonths, now, ct), cancellationToken);
        await RefreshCostExplorerAsync(_byStackTag, ct => CostExplorerReader.ByStackTagAsync(_costExplorer, cluster, now, ct), cancellationToken);
        if (_byResource.IsDue && !options.UseResourceLevelData)
        {
            _byResource.MarkUnavailable($"turned off ({CostOptions.SectionName}:UseResourceLevelData = false); per-balancer figures come from the stack tags", ceTtl);
        }
        else if (_byResource.IsDue && !CostExplorerReader.ResourceDataCoversMonth(now))
        {
            _byResource.MarkUnavailable("the month started more than 14 days ago and per-resource data covers the last 14 days only; per-balancer figures come from the stack tags", ceTtl);
        }
        else
        {
            await RefreshCostExplorerAsync(_byResource, ct => CostExplorerReader.ByResourceAsync(_costExplorer, now, ct), cancellationToken);
        }
        await RefreshCostExplorerAsync(_forecast, ct => CostExplorerReader.ForecastAsync(_costExplorer, now, ct), cancellationToken);
    }

    private async Task RefreshCostExplorerAsync<T>(CachedPart<T> part, Func<CancellationToken, Task<T>> read, CancellationToken cancellationToken) where T : class
    {
        var attempted = await part.RefreshAsync(ct =>
        {
            Interlocked.Increment(ref _costExplorerRequests);
            return read(ct);
        }, _options.CostExplorerRefresh, _options.RetryAfterFailure, cancellationToken);
        if (attempted)
        {
            LogPart(part);
        }
    }

    private CostReport Build()
    {
        var balancers = _balancers.Value?.Balancers ?? [];
        var kubernetes = _sources.Get(KubernetesCaches.SourceKey);
        var cluster = new ClusterObjects(
            kubernetes?.State == SourceState.Live,
            _inventory.Services.Current,
            _inventory.Ingresses.Current);
        var calls = _calls.Snapshot();
        return CostReportBuilder.Build(new CostInputs
        {
            Now = _time.GetUtcNow(),
            ClusterName = ClusterName(balancers),
            Region = _environment.Region,
            Prices = _options.PricesFor(_environment.Region),
            TeamLabel = _options.TeamLabel,
            IdleRequestThreshold = _options.IdleRequestThreshold,
            Balancers = balancers,
            Usage = _usage.Value,
            Cluster = cluster,
            ByClusterTag = _byClusterTag.Value,
            ByStackTag = _byStackTag.Value,
            ByResource = _byResource.Value,
            Forecast = _forecast.Value,
            Sources = [_balancers.Info, _usage.Info, _byClusterTag.Info, _byStackTag.Info, _byResource.Info, _forecast.Info],
            CostExplorerRequests = CostExplorerRequests,
            CostExplorerRequestPrice = _options.CostExplorerRequestPrice,
            CloudWatchMetricsRequested = calls.CloudWatchMetricsRequested,
            CloudWatchMetricsSince = calls.Since,
            CloudWatchPricePerThousandMetrics = _options.CloudWatchPricePerThousandMetrics,
        });
    }

    private string? ClusterName(IReadOnlyList<CostedBalancer> balancers) =>
        !string.IsNullOrWhiteSpace(_options.ClusterName) ? _options.ClusterName
        : _environment.SandboxClusterName ?? BalancerOwnership.InferCluster(balancers);

    /// <summary>Publishes the combined state of the parts as source "aws-cost" (unavailable parts are not failures).</summary>
    private void Publish()
    {
        IReadOnlyList<CostSourceInfo> parts = [_balancers.Info, _usage.Info, _byClusterTag.Info, _byStackTag.Info, _byResource.Info, _forecast.Info];
        var stale = parts.Where(p => p.State == CostSourceState.Stale).ToList();
        var state = stale.Count > 0 ? SourceState.Stale
            : parts.Any(p => p.State == CostSourceState.Pending) ? SourceState.Syncing
            : SourceState.Live;
        var good = parts.Where(p => p.State != CostSourceState.Unavailable).Select(p => p.AsOf).ToList();
        _sources.Publish(new SourceStatus
        {
            Key = SourceKey,
            DisplayName = "AWS cost",
            State = state,
            LastGoodAt = good.Count > 0 && good.All(a => a.HasValue) ? good.Min() : null,
            Message = stale.Count == 0 ? null : $"{stale[0].DisplayName}: {stale[0].Message}" + (stale.Count > 1 ? $" (and {stale.Count - 1} more parts failing)" : ""),
            NextRetryAt = stale.Count == 0 ? null : stale.Min(p => p.NextRefreshAt),
        });
    }

    private void LogPart<T>(CachedPart<T> part) where T : class
    {
        switch (part.State)
        {
            case CostSourceState.Stale:
                LogStale(_logger, part.DisplayName, part.Message);
                break;
            case CostSourceState.Unavailable:
                LogUnavailable(_logger, part.DisplayName, part.Message);
                break;
            default:
                LogRead(_logger, part.DisplayName);
                break;
        }
    }

    private static bool IsUnavailable(Exception exception) =>
        exception is AwsServiceException { ErrorCode: { } code } && UnavailableCodes.Contains(code);

    public void Dispose() => _gate.Dispose();

    /// <summary>The balancers of the region, as one cacheable value.</summary>
    private sealed record BalancerList(ImmutableArray<CostedBalancer> Balancers);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Cost part {Part} read")]
    private static partial void LogRead(ILogger logger, string part);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cost part {Part} failed; showing the last good value: {Reason}")]
    private static partial void LogStale(ILogger logger, string part, string? reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Cost part {Part} is unavailable, falling back: {Reason}")]
    private static partial void LogUnavailable(ILogger logger, string part, string? reason);
}
