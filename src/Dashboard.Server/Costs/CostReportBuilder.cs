using System.Collections.Immutable;
using Dashboard.Client.Model;
using Dashboard.Server.LoadBalancers;

namespace Dashboard.Server.Costs;

/// <summary>
/// Every part the report is assembled from: the topology's balancers (who owns each, with shares, decided once by the
/// topology join), the AWS snapshot's usage, and the Cost Explorer parts; a part is null when it has never been read.
/// </summary>
public sealed record CostInputs
{
    public required DateTimeOffset Now { get; init; }

    /// <summary>The cluster the topology decided this is; balancers tagged for another cluster are left out.</summary>
    public string? ClusterName { get; init; }
    public string? Region { get; init; }
    public required ElbPrices Prices { get; init; }
    public double IdleRequestThreshold { get; init; } = 10;

    /// <summary>The topology's balancers: owners and shares, tags, creation time, orphan flag.</summary>
    public ImmutableArray<LoadBalancerViewModel> Balancers { get; init; } = [];

    /// <summary>The team label of owner objects that have one, by <see cref="ObjectRef.Key"/>.</summary>
    public ImmutableDictionary<string, string> Teams { get; init; } = ImmutableDictionary<string, string>.Empty;

    /// <summary>The AWS tag key that names a balancer's team when no owner has the label (matched case-insensitively).</summary>
    public string TeamTag { get; init; } = "Team";

    /// <summary>Public IPv4 addresses by balancer ARN (counted from EC2 or estimated); a balancer absent has none.</summary>
    public ImmutableDictionary<string, PublicIpv4Count> PublicIpv4 { get; init; } = ImmutableDictionary<string, PublicIpv4Count>.Empty;
    public BalancerUsage? Usage { get; init; }
    public CostByClusterTag? ByClusterTag { get; init; }
    public CostByStackTag? ByStackTag { get; init; }
    public CostByResource? ByResource { get; init; }
    public CostForecastFigure? Forecast { get; init; }
    public ImmutableArray<CostSourceInfo> Sources { get; init; } = [];
    public long CostExplorerRequests { get; init; }
    public decimal CostExplorerRequestPrice { get; init; } = 0.01m;
    public long CloudWatchMetricsRequested { get; init; }
    public DateTimeOffset? CloudWatchMetricsSince { get; init; }
    public decimal CloudWatchPricePerThousandMetrics { get; init; } = 0.01m;
}

/// <summary>Assembles a <see cref="CostReport"/> from its parts. Pure: the same inputs give the same report.</summary>
public static class CostReportBuilder
{
    public static CostReport Build(CostInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var now = inputs.Now;
        var balancers = inputs.Balancers
            .Where(b => ForCluster(b, inputs.ClusterName))
            .Where(b => b.Type is BalancerTypes.Application or BalancerTypes.Network)
            .Select(b => Balancer(b, inputs))
            .OrderByDescending(b => b.Projected).ThenBy(b => b.Name, StringComparer.Ordinal)
            .ToImmutableArray();

        var months = inputs.ByClusterTag?.Months ?? [];
        var current = DateOnly.FromDateTime(CostEstimator.MonthStart(now).UtcDateTime);
        var attributed = balancers.Where(b => b.CostExplorerMonthToDate is not null).ToList();
        var lastMonthStart = CostEstimator.MonthStart(now).AddMonths(-1);
        var floorBalancers = inputs.Balancers
            .Where(b => ForCluster(b, inputs.ClusterName) && b.Tags.ContainsKey(ControllerTags.Cluster) && b.CreatedAt is { } c && c <= lastMonthStart)
            .Where(b => b.Type is BalancerTypes.Application or BalancerTypes.Network)
            .ToList();
        var lastMonthHours = (int)(CostEstimator.MonthStart(now) - lastMonthStart).TotalHours;
        var notUnderTag = inputs.Balancers.Where(b => ForCluster(b, inputs.ClusterName) && !b.Tags.ContainsKey(ControllerTags.Cluster)).Select(b => b.Arn)
            .ToHashSet(StringComparer.Ordinal);
        var totals = new CostTotals
        {
            MonthToDate = balancers.Sum(b => b.MonthToDate),
            Projected = balancers.Sum(b => b.Projected),
            CostExplorerMonthToDate = attributed.Count == 0 ? null : attributed.Sum(b => b.CostExplorerMonthToDate!.Value),
            CostExplorerEstimate = attributed.Sum(b => b.MonthToDate),
            CostExplorerBalancers = attributed.Count,
            ClusterTagMonthToDate = months.FirstOrDefault(m => m.Month == current)?.Cluster,
            LastMonth = months.FirstOrDefault(m => m.Month == current.AddMonths(-1))?.Cluster,
            Forecast = inputs.Forecast?.Amount,
            IdleProjected = balancers.Where(b => b.Idle).Sum(b => b.Projected),
            OrphanProjected = balancers.Where(b => b.Orphan).Sum(b => b.Projected),
            Balancers = balancers.Length,
            PublicIpv4Addresses = balancers.Sum(b => b.PublicIpv4Addresses),
            PublicIpv4Estimated = balancers.Count(b => b.PublicIpv4Addresses > 0 && !b.PublicIpv4Counted),
            PublicIpv4MonthToDate = balancers.Sum(b => b.PublicIpv4Cost),
            PublicIpv4Projected = balancers.Sum(b => b.PublicIpv4Projected),
            NotUnderClusterTag = balancers.Count(b => notUnderTag.Contains(b.Arn)),
            NotUnderClusterTagMonthToDate = balancers.Where(b => notUnderTag.Contains(b.Arn)).Sum(b => b.MonthToDate),
            LastMonthHourlyFloor = CostEstimator.Round(floorBalancers.Sum(b => lastMonthHours * inputs.Prices.HourFor(b.Type))),
            LastMonthFloorBalancers = floorBalancers.Count,
        };
        return new CostReport
        {
            AsOf = now,
            MonthStart = current,
            ClusterName = inputs.ClusterName,
            Region = inputs.Region,
            Totals = totals,
            Balancers = balancers,
            Namespaces = Namespaces(balancers),
            Months = months,
            Days = inputs.ByStackTag?.Days ?? [],
            Sources = inputs.Sources,
            CostExplorerRequests = inputs.CostExplorerRequests,
            CostExplorerRequestPrice = inputs.CostExplorerRequestPrice,
            CloudWatchMetricsRequested = inputs.CloudWatchMetricsRequested,
            CloudWatchPricePerThousandMetrics = inputs.CloudWatchPricePerThousandMetrics,
            CloudWatchMonthlyProjection = CloudWatchMonthly(inputs),
        };
    }

    /// <summary>Tagged for <paramref name="cluster"/> (either controller's cluster tag); for any cluster when it is unknown.</summary>
    private static bool ForCluster(LoadBalancerViewModel balancer, string? cluster) =>
        balancer.Cluster is not null && (cluster is null || string.Equals(balancer.Cluster, cluster, StringComparison.Ordinal));

    /// <summary>
    /// The metrics this server asked CloudWatch for, at their rate since it started, over a 30-day month; null before a
    /// minute has passed (too short to say).
    /// </summary>
    private static decimal? CloudWatchMonthly(CostInputs inputs)
    {
        if (inputs.CloudWatchMetricsSince is not { } since || inputs.Now - since < TimeSpan.FromMinutes(1))
        {
            return null;
        }
        var perMinute = inputs.CloudWatchMetricsRequested / (decimal)(inputs.Now - since).TotalMinutes;
        return Math.Round(perMinute * 60 * 24 * 30 / 1000 * inputs.CloudWatchPricePerThousandMetrics, 2);
    }

    private static BalancerCost Balancer(LoadBalancerViewModel balancer, CostInputs inputs)
    {
        var lcuHours = inputs.Usage?.LcuHours.GetValueOrDefault(balancer.Arn) ?? 0;
        var estimate = CostEstimator.Estimate(balancer.Type, balancer.CreatedAt, lcuHours, inputs.Prices, inputs.Now);
        double? recent = inputs.Usage is null ? null : inputs.Usage.RecentRequests.GetValueOrDefault(balancer.Arn);
        var idle = CostEstimator.IsIdle(recent, balancer.CreatedAt, inputs.Now, inputs.IdleRequestThreshold);
        var (ceAmount, ceRoute, daily) = CostExplorerFigure(balancer, inputs);
        var orphan = balancer.Flags.HasFlag(LoadBalancerFlags.Orphan);
        var addresses = inputs.PublicIpv4.GetValueOrDefault(balancer.Arn);
        var addressHours = addresses is null ? 0 : addresses.Addresses * estimate.Hours;
        var addressesLeft = addresses is null || estimate.Hours == 0 ? 0 : addresses.Addresses * CostEstimator.RemainingHours(inputs.Now);
        var labelTeam = balancer.Owners.Select(o => inputs.Teams.GetValueOrDefault(o.Object.Key)).FirstOrDefault(t => t is not null);
        var tagTeam = balancer.Tags.FirstOrDefault(t => string.Equals(t.Key, inputs.TeamTag, StringComparison.OrdinalIgnoreCase) && t.Value.Length > 0).Value;
        return new BalancerCost
        {
            Arn = balancer.Arn,
            Name = balancer.Name,
            Type = balancer.Type,
            CreatedTime = balancer.CreatedAt,
            Namespace = balancer.Owners.FirstOrDefault()?.Namespace ?? balancer.TaggedOwner?.Namespace,
            Team = labelTeam ?? tagTeam,
            TeamSource = labelTeam is not null ? "label" : tagTeam is not null ? "tag" : null,
            PublicIpv4Addresses = addresses?.Addresses ?? 0,
            PublicIpv4Counted = addresses?.Counted ?? true,
            PublicIpv4Cost = CostEstimator.Round(addressHours * inputs.Prices.PublicIpv4Hour),
            PublicIpv4Projected = CostEstimator.Round((addressHours + addressesLeft) * inputs.Prices.PublicIpv4Hour),
            Daily = daily,
            Owners = balancer.Owners,
            TaggedOwner = orphan ? balancer.TaggedOwner : null,
            Hours = estimate.Hours,
            LcuHours = Math.Round(lcuHours, 4),
            HourlyCost = estimate.HourlyCost,
            LcuCost = estimate.LcuCost,
            Projected = estimate.Projected,
            CostExplorerMonthToDate = ceAmount,
            CostExplorerRoute = ceRoute,
            RecentRequests = recent,
            Idle = idle,
            Orphan = orphan,
            Fix = Fix(balancer, orphan, idle),
        };
    }

    /// <summary>Per-resource data when it covers the month, else the controller's stack tag; with the same source's days.</summary>
    private static (decimal? Amount, string? Route, ImmutableArray<DailyCost> Days) CostExplorerFigure(LoadBalancerViewModel balancer, CostInputs inputs)
    {
        if (inputs.ByResource?.MonthToDateByArn.TryGetValue(balancer.Arn, out var byResource) == true)
        {
            return (CostEstimator.Round(byResource), "resource", DaysOf(inputs.ByResource.DailyByArn, balancer.Arn));
        }
        if (inputs.ByStackTag is { TagsActivated: true } byTag && StackKey(balancer.Tags) is { } key)
        {
            return (CostEstimator.Round(byTag.MonthToDateByStack.GetValueOrDefault(key)), "tag", DaysOf(byTag.DailyByStack, key));
        }
        return (null, null, []);
    }

    private static ImmutableArray<DailyCost> DaysOf(ImmutableDictionary<string, ImmutableArray<DailyCost>>? days, string key) =>
        days is not null && days.TryGetValue(key, out var found) && !found.IsDefault ? found : [];

    /// <summary>The key Cost Explorer groups a controller balancer under: <c>tagkey$value</c> of its stack tag.</summary>
    public static string? StackKey(IReadOnlyDictionary<string, string> tags)
    {
        ArgumentNullException.ThrowIfNull(tags);
        return tags.TryGetValue(ControllerTags.ServiceStack, out var service) ? $"{ControllerTags.ServiceStack}${service}"
            : tags.TryGetValue(ControllerTags.IngressStack, out var ingress) ? $"{ControllerTags.IngressStack}${ingress}"
            : null;
    }

    private static string? Fix(LoadBalancerViewModel balancer, bool orphan, bool idle)
    {
        if (orphan)
        {
            var former = balancer.TaggedOwner is { } tagged ? $"{tagged.Kind} {tagged.Namespace}/{tagged.Name}"
                : balancer.IngressGroup is { } group ? $"Ingress group {group}"
                : "Its owner";
            return $"{former} no longer exists, yet its balancer is still billed. The AWS Load Balancer Controller " +
                "deletes a balancer when it sees its object deleted: check that the controller runs (kube-system/aws-load-balancer-controller) " +
                "and read its logs for this stack before removing anything by hand.";
        }
        if (idle)
        {
            var owner = balancer.Owners.FirstOrDefault();
            var kind = owner?.Kind == ObjectKind.Ingress ? "ingress" : "service";
            return owner is null
                ? "No requests over the idle window."
                : balancer.Owners.Length > 1
                    ? $"No requests over the idle window. Delete the Ingresses of group {balancer.IngressGroup} that are no longer used; the controller deletes the balancer when the last one goes."
                    : $"No requests over the idle window. If {owner.Kind} {owner.Key} is no longer needed, delete it (kubectl delete {kind} -n {owner.Namespace} {owner.Name}); the controller then deletes the balancer.";
        }
        return null;
    }

    private static ImmutableArray<NamespaceCost> Namespaces(ImmutableArray<BalancerCost> balancers)
    {
        var rows = new List<(string Namespace, decimal MonthToDate, decimal Projected, string Arn)>();
        foreach (var balancer in balancers)
        {
            if (balancer.Owners.IsEmpty)
            {
                rows.Add((balancer.Namespace ?? "(no owner)", balancer.MonthToDate, balancer.Projected, balancer.Arn));
                continue;
            }
            rows.AddRange(balancer.Owners.Select(o => (o.Namespace, balancer.MonthToDateOf(o), balancer.ProjectedOf(o), balancer.Arn)));
        }
        return
        [
            .. rows.GroupBy(r => r.Namespace, StringComparer.Ordinal)
                .Select(g => new NamespaceCost(g.Key, g.Sum(r => r.MonthToDate), g.Sum(r => r.Projected), g.Select(r => r.Arn).Distinct(StringComparer.Ordinal).Count()))
                .OrderByDescending(n => n.Projected).ThenBy(n => n.Namespace, StringComparer.Ordinal),
        ];
    }
}
