using System.Collections.Immutable;
using Dashboard.Client.Model;
using Dashboard.Server.Aws;
using Dashboard.Server.Aws.CostExplorer;
using Dashboard.Server.Feed;
using Dashboard.Server.LoadBalancers;
using Dashboard.Server.Topology;
using Microsoft.Extensions.Options;

namespace Dashboard.Server.Costs;

/// <summary>Where the server runs: the region priced.</summary>
public sealed record CostEnvironment(string? Region);

/// <summary>
/// The server's one cost report, shared by every viewer. It reads AWS only for Cost Explorer (cached for hours, as each
/// request costs USD 0.01): the balancers, their owners and shares come from the topology join, their creation time and
/// usage from the poller's AWS snapshot, so the Cost page names the same owners as every other page. A failing part
/// keeps its last good value, marked stale; the state of all parts is published as source <see cref="SourceKey"/>.
/// </summary>
public sealed partial class CostService : IDisposable
{
    public const string SourceKey = SourceStatusBoard.CostSourceKey;

    private static readonly HashSet<string> UnavailableCodes = new(StringComparer.Ordinal)
    {
        "DataUnavailableException", "AccessDeniedException", "AccessDenied", "OptInRequired", "ValidationException", "UnauthorizedOperation",
    };

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly TopologyFeed _topology;
    private readonly IAwsSnapshotSource _aws;
    private readonly ICostExplorerClient _costExplorer;
    private readonly SourceStatusRegistry _sources;
    private readonly CostOptions _options;
    private readonly CostEnvironment _environment;
    private readonly TimeProvider _time;
    private readonly ILogger<CostService> _logger;
    private readonly CachedPart<CostByClusterTag> _byClusterTag;
    private readonly CachedPart<CostByStackTag> _byStackTag;
    private readonly CachedPart<CostByResource> _byResource;
    private readonly CachedPart<CostForecastFigure> _forecast;
    private volatile CostReport? _report;
    private long _costExplorerRequests;
    private readonly AwsCallStatistics _calls;

    public CostService(TopologyFeed topology, IAwsSnapshotSource aws, ICostExplorerClient costExplorer, SourceStatusRegistry sources,
        IOptions<CostOptions> options, CostEnvironment environment, AwsCallStatistics calls, TimeProvider time, ILogger<CostService> logger)
    {
        _topology = topology;
        _aws = aws;
        _calls = calls;
        _costExplorer = costExplorer;
        _sources = sources;
        _options = options.Value;
        _environment = environment;
        _time = time;
        _logger = logger;
        _byClusterTag = new("ce-cluster-tag", "Cost Explorer, monthly by cluster tag", time);
        _byStackTag = new("ce-stack-tag", "Cost Explorer, this month by stack tag", time);
        _byResource = new("ce-resource", "Cost Explorer, per resource (opt-in, 14 days)", time, IsUnavailable);
        _forecast = new("ce-forecast", "Cost Explorer forecast", time, IsUnavailable);
        Publish([.. AwsParts(_aws.Current), .. CostExplorerParts]);
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
            // Only the polling leader asks Cost Explorer; the others build from the parts it published (CostService.Sharing.cs).
            if (MayReadCostExplorer())
            {
                await RefreshPartsAsync(cancellationToken);
            }
            var report = Build();
            _report = report;
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
        var cluster = _topology.Current.ClusterName;
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
        var topology = _topology.Current;
        var aws = _aws.Current;
        var calls = _calls.Snapshot();
        ImmutableArray<CostSourceInfo> sources = [.. AwsParts(aws), .. CostExplorerParts];
        var report = CostReportBuilder.Build(new CostInputs
        {
            Now = _time.GetUtcNow(),
            ClusterName = topology.ClusterName,
            Region = _environment.Region,
            Prices = _options.PricesFor(_environment.Region),
            IdleRequestThreshold = _options.IdleRequestThreshold,
            Balancers = topology.LoadBalancers,
            Teams = Teams(topology, _options.TeamLabel),
            TeamTag = _options.TeamTag,
            PublicIpv4 = PublicAddresses(aws),
            Usage = aws.Usage,
            ByClusterTag = _byClusterTag.Value,
            ByStackTag = _byStackTag.Value,
            ByResource = _byResource.Value,
            Forecast = _forecast.Value,
            Sources = sources,
            CostExplorerRequests = CostExplorerRequests,
            CostExplorerRequestPrice = _options.CostExplorerRequestPrice,
            CloudWatchMetricsRequested = calls.CloudWatchMetricsRequested,
            CloudWatchMetricsSince = calls.Since,
            CloudWatchPricePerThousandMetrics = _options.CloudWatchPricePerThousandMetrics,
        });
        Publish(sources);
        return report;
    }

    /// <summary>The team label of every owner object that has one, read from the Kubernetes index the join used.</summary>
    private static ImmutableDictionary<string, string> Teams(EndpointTopology topology, string teamLabel)
    {
        var teams = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        if (topology.Index is not { } index)
        {
            return teams.ToImmutable();
        }
        foreach (var owner in topology.LoadBalancers.SelectMany(b => b.Owners))
        {
            var key = $"{owner.Namespace}/{owner.Name}";
            var labels = owner.Kind == ObjectKind.Service ? index.Services.GetValueOrDefault(key)?.Metadata?.Labels : index.Ingresses.GetValueOrDefault(key)?.Metadata?.Labels;
            if (labels?.TryGetValue(teamLabel, out var team) == true)
            {
                teams[owner.Object.Key] = team;
            }
        }
        return teams.ToImmutable();
    }

    /// <summary>
    /// The public IPv4 addresses of each internet-facing balancer: counted from its EC2 network interfaces once the poller
    /// has read them, else one per Availability Zone (what ELB gives an internet-facing balancer), marked as an estimate.
    /// </summary>
    private static ImmutableDictionary<string, PublicIpv4Count> PublicAddresses(AwsSnapshot aws)
    {
        var counted = aws.Security is { } security && security.Has(LoadBalancers.Security.AwsSecurity.NetworkInterfacesPart)
            ? security.PublicIpv4ByBalancer : null;
        var result = ImmutableDictionary.CreateBuilder<string, PublicIpv4Count>(StringComparer.Ordinal);
        foreach (var lb in aws.LoadBalancers)
        {
            if (counted is not null && counted.TryGetValue(lb.LoadBalancerArn, out var addresses))
            {
                result[lb.LoadBalancerArn] = new PublicIpv4Count(addresses, Counted: true);
            }
            else if (lb.Scheme == "internet-facing")
            {
                result[lb.LoadBalancerArn] = new PublicIpv4Count(Math.Max(1, lb.AvailabilityZones.Count), Counted: false);
            }
        }
        return result.ToImmutable();
    }

    private IEnumerable<CostSourceInfo> CostExplorerParts => [_byClusterTag.Info, _byStackTag.Info, _byResource.Info, _forecast.Info];

    /// <summary>The two parts the report takes from the poller's AWS snapshot, in the poller's state.</summary>
    private IEnumerable<CostSourceInfo> AwsParts(AwsSnapshot aws)
    {
        var polling = _sources.Get(AwsPoller.SourceKey);
        var stale = polling?.State == SourceState.Stale;
        yield return new CostSourceInfo
        {
            Key = "balancers",
            DisplayName = "Load balancers and owners (AWS snapshot, topology)",
            State = stale ? CostSourceState.Stale : aws.ConfigurationAsOf is null ? CostSourceState.Pending : CostSourceState.Live,
            AsOf = aws.ConfigurationAsOf,
            Message = stale ? polling!.Message : null,
        };
        yield return new CostSourceInfo
        {
            Key = "usage",
            DisplayName = "Usage: ConsumedLCUs and requests (CloudWatch)",
            State = stale ? CostSourceState.Stale : aws.Usage?.AsOf is null ? CostSourceState.Pending : CostSourceState.Live,
            AsOf = aws.Usage?.AsOf,
            Message = stale ? polling!.Message : null,
            NextRefreshAt = aws.Usage?.AsOf + _options.UsageRefresh,
        };
        var enis = LoadBalancers.Security.AwsSecurity.NetworkInterfacesPart;
        var error = aws.Security?.Errors.GetValueOrDefault(enis);
        yield return new CostSourceInfo
        {
            Key = "addresses",
            DisplayName = "Public IPv4 addresses (EC2 network interfaces)",
            State = error is not null ? (aws.Security!.Has(enis) ? CostSourceState.Stale : CostSourceState.Unavailable)
                : aws.Security?.Has(enis) == true ? CostSourceState.Live : CostSourceState.Pending,
            AsOf = aws.Security?.AsOf.GetValueOrDefault(enis) is { } at && at != default ? at : null,
            Message = error is null ? null : error + "; estimated as one address per Availability Zone",
        };
    }

    /// <summary>Publishes the combined state of the parts as source "aws-cost" (unavailable parts are not failures).</summary>
    private void Publish(IReadOnlyList<CostSourceInfo> parts) => _sources.Publish(SourceStates.Combine(SourceKey, "AWS cost",
        [
            .. parts.Where(p => p.State != CostSourceState.Unavailable).Select(p => new SourcePart(
                p.State switch { CostSourceState.Stale => SourceState.Stale, CostSourceState.Pending => SourceState.Syncing, _ => SourceState.Live },
                p.AsOf, $"{p.DisplayName}: {p.Message}", p.NextRefreshAt)),
        ], "parts"));

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

    [LoggerMessage(Level = LogLevel.Debug, Message = "Cost part {Part} read")]
    private static partial void LogRead(ILogger logger, string part);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cost part {Part} failed; showing the last good value: {Reason}")]
    private static partial void LogStale(ILogger logger, string part, string? reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Cost part {Part} is unavailable, falling back: {Reason}")]
    private static partial void LogUnavailable(ILogger logger, string part, string? reason);
}
