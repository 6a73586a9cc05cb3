using System.Collections.Immutable;
using Dashboard.Client.Model;

namespace Dashboard.Server.Costs;

/// <summary>Every part the report is assembled from; a part is null when it has never been read.</summary>
public sealed record CostInputs
{
    public required DateTimeOffset Now { get; init; }
    public string? ClusterName { get; init; }
    public string? Region { get; init; }
    public required ElbPrices Prices { get; init; }
    public string TeamLabel { get; init; } = "team";
    public double IdleRequestThreshold { get; init; } = 10;
    public ImmutableArray<CostedBalancer> Balancers { get; init; } = [];
    public BalancerUsage? Usage { get; init; }
    public ClusterObjects Cluster { get; init; } = ClusterObjects.Unknown;
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
            .Where(b => BalancerOwnership.BelongsTo(b, inputs.ClusterName))
            .Where(b => b.Type is BalancerTypes.Application or BalancerTypes.Network)
            .Select(b => Balancer(b, inputs))
            .OrderByDescending(b => b.Projected).ThenBy(b => b.Name, StringComparer.Ordinal)
            .ToImmutableArray();

        var months = inputs.ByClusterTag?.Months ?? [];
        var current = DateOnly.FromDateTime(CostEstimator.MonthStart(now).UtcDateTime);
        var attributed = balancers.Where(b => b.CostExplorerMonthToDate is not null).ToList();
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

    private static BalancerCost Balancer(CostedBalancer balancer, CostInputs inputs)
    {
        var ownership = BalancerOwnership.OwnersOf(balancer, inputs.Cluster, inputs.TeamLabel);
        var lcuHours = inputs.Usage?.LcuHours.GetValueOrDefault(balancer.Arn) ?? 0;
        var estimate = CostEstimator.Estimate(balancer.Type, balancer.CreatedTime, lcuHours, inputs.Prices, inputs.Now);
        double? recent = inputs.Usage is null ? null : inputs.Usage.RecentRequests.GetValueOrDefault(balancer.Arn);
        var idle = CostEstimator.IsIdle(recent, balancer.CreatedTime, inputs.Now, inputs.IdleRequestThreshold);
        var shares = Shares(balancer, ownership, inputs.Usage);
        var owners = ownership.Owners.Select((o, i) => new CostOwner
        {
            Kind = o.Kind,
            Namespace = o.Namespace,
            Name = o.Name,
            Exists = o.Exists,
            Share = shares[i],
            MonthToDate = CostEstimator.Round(estimate.MonthToDate * (decimal)shares[i]),
            Projected = CostEstimator.Round(estimate.Projected * (decimal)shares[i]),
        }).ToImmutableArray();
        var (ceAmount, ceRoute) = CostExplorerFigure(balancer, inputs);
        return new BalancerCost
        {
            Arn = balancer.Arn,
            Name = balancer.Name,
            Type = balancer.Type,
            CreatedTime = balancer.CreatedTime,
            Namespace = ownership.Owners.FirstOrDefault()?.Namespace ?? StackNamespace(balancer),
            Team = ownership.Owners.Select(o => o.Team).FirstOrDefault(t => t is not null),
            Owners = owners,
            Hours = estimate.Hours,
            LcuHours = Math.Round(lcuHours, 4),
            HourlyCost = estimate.HourlyCost,
            LcuCost = estimate.LcuCost,
            Projected = estimate.Projected,
            CostExplorerMonthToDate = ceAmount,
            CostExplorerRoute = ceRoute,
            RecentRequests = recent,
            Idle = idle,
            Orphan = ownership.Orphan,
            Fix = Fix(ownership, idle),
        };
    }

    /// <summary>Each owner's share: by target group requests for an Ingress group, else equal (one owner: 1).</summary>
    private static IReadOnlyList<double> Shares(CostedBalancer balancer, BalancerOwners ownership, BalancerUsage? usage)
    {
        if (ownership.Owners.Length <= 1)
        {
            return [.. ownership.Owners.Select(_ => 1.0)];
        }
        var groups = BalancerOwnership.TargetGroupsByOwner(balancer, ownership.Owners);
        var requests = ownership.Owners
            .Select(o => groups[o.Key].Sum(arn => usage?.TargetGroupRequests.GetValueOrDefault(arn) ?? 0))
            .ToList();
        return CostEstimator.SplitByRequests(requests);
    }

    /// <summary>Per-resource data when it covers the month, else the controller's stack tag.</summary>
    private static (decimal? Amount, string? Route) CostExplorerFigure(CostedBalancer balancer, CostInputs inputs)
    {
        if (inputs.ByResource?.MonthToDateByArn.TryGetValue(balancer.Arn, out var byResource) == true)
        {
            return (CostEstimator.Round(byResource), "resource");
        }
        if (inputs.ByStackTag is { TagsActivated: true } byTag && StackKey(balancer) is { } key)
        {
            return (CostEstimator.Round(byTag.MonthToDateByStack.GetValueOrDefault(key)), "tag");
        }
        return (null, null);
    }

    /// <summary>The key Cost Explorer groups a controller balancer under: <c>tagkey$value</c> of its stack tag.</summary>
    public static string? StackKey(CostedBalancer balancer)
    {
        ArgumentNullException.ThrowIfNull(balancer);
        return balancer.Tags.TryGetValue(BalancerOwnership.ServiceStackTag, out var service) ? $"{BalancerOwnership.ServiceStackTag}${service}"
            : balancer.Tags.TryGetValue(BalancerOwnership.IngressStackTag, out var ingress) ? $"{BalancerOwnership.IngressStackTag}${ingress}"
            : null;
    }

    private static string? StackNamespace(CostedBalancer balancer)
    {
        var stack = balancer.Tags.GetValueOrDefault(BalancerOwnership.ServiceStackTag)
            ?? balancer.Tags.GetValueOrDefault(BalancerOwnership.IngressStackTag)
            ?? balancer.Tags.GetValueOrDefault(BalancerOwnership.InTreeServiceTag);
        var slash = stack?.IndexOf('/', StringComparison.Ordinal) ?? -1;
        return slash > 0 ? stack![..slash] : null;
    }

    private static string? Fix(BalancerOwners ownership, bool idle)
    {
        if (ownership.Orphan)
        {
            return $"{ownership.TaggedOwner} no longer exists, yet its balancer is still billed. The AWS Load Balancer Controller " +
                "deletes a balancer when it sees its object deleted: check that the controller runs (kube-system/aws-load-balancer-controller) " +
                "and read its logs for this stack before removing anything by hand.";
        }
        if (idle)
        {
            var owner = ownership.Owners.FirstOrDefault();
            var kind = owner?.Kind == ObjectKind.Ingress ? "ingress" : "service";
            return owner is null
                ? "No requests over the idle window."
                : ownership.Owners.Length > 1
                    ? $"No requests over the idle window. Delete the Ingresses of group {ownership.IngressGroup} that are no longer used; the controller deletes the balancer when the last one goes."
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
            rows.AddRange(balancer.Owners.Select(o => (o.Namespace, o.MonthToDate, o.Projected, balancer.Arn)));
        }
        return
        [
            .. rows.GroupBy(r => r.Namespace, StringComparer.Ordinal)
                .Select(g => new NamespaceCost(g.Key, g.Sum(r => r.MonthToDate), g.Sum(r => r.Projected), g.Select(r => r.Arn).Distinct(StringComparer.Ordinal).Count()))
                .OrderByDescending(n => n.Projected).ThenBy(n => n.Namespace, StringComparer.Ordinal),
        ];
    }
}
