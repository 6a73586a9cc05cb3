using Dashboard.Client.Model;
using Dashboard.Client.Tests.Support;

namespace Dashboard.Client.Tests.Cost;

/// <summary>A cost report shaped like the sandbox scenario's, for the page tests.</summary>
internal static class CostReports
{
    public const string NlbArn = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/k8s-mlops-retailfo-1/0000000000000001";
    public const string ShopArn = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/k8s-shop-2/0000000000000002";
    public const string GhostArn = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/k8s-mlops-ghost-3/0000000000000003";

    public static CostReport Scenario(params CostSourceInfo[] sources) => new()
    {
        AsOf = Objects.Now.AddMinutes(-5),
        MonthStart = new DateOnly(2025, 6, 1),
        ClusterName = "retail-forecast-cluster",
        Region = "us-east-1",
        Totals = new CostTotals { MonthToDate = 21.35m, Projected = 61.40m, CostExplorerMonthToDate = 16.50m, CostExplorerEstimate = 16.10m, CostExplorerBalancers = 2, ClusterTagMonthToDate = 21.90m, LastMonth = 58.12m, Forecast = 70.00m },
        Balancers =
        [
            new BalancerCost
            {
                Arn = NlbArn, Name = "k8s-mlops-retailfo-1", Type = "network", Namespace = "mlops", Team = "forecasting",
                Owners = [new BalancerOwner(ObjectKind.Service, "mlops", "retail-forecast-nlb")],
                Hours = 251, HourlyCost = 5.65m, LcuCost = 0.45m, Projected = 17.10m, CostExplorerMonthToDate = 6.20m, CostExplorerRoute = "tag", RecentRequests = 120_000,
            },
            new BalancerCost
            {
                Arn = ShopArn, Name = "k8s-shop-2", Type = "application", Namespace = "storefront",
                Owners =
                [
                    new BalancerOwner(ObjectKind.Ingress, "storefront", "storefront", 0.75),
                    new BalancerOwner(ObjectKind.Ingress, "catalog", "catalog", 0.25),
                ],
                Hours = 251, HourlyCost = 5.65m, LcuCost = 4.35m, Projected = 26.70m, CostExplorerMonthToDate = 10.30m, CostExplorerRoute = "tag", RecentRequests = 900_000,
            },
            new BalancerCost
            {
                Arn = GhostArn, Name = "k8s-mlops-ghost-3", Type = "network", Namespace = "mlops",
                TaggedOwner = new ObjectRef(ObjectKind.Service, "mlops", "ghost"),
                Hours = 233, HourlyCost = 5.25m, LcuCost = 0m, Projected = 17.60m, RecentRequests = 0, Idle = true, Orphan = true,
                Fix = "Service mlops/ghost no longer exists, yet its balancer is still billed.",
            },
        ],
        Namespaces =
        [
            new NamespaceCost("mlops", 11.35m, 34.70m, 2),
            new NamespaceCost("storefront", 7.50m, 20.00m, 1),
            new NamespaceCost("catalog", 2.50m, 6.70m, 1),
        ],
        Months =
        [
            new MonthlyCost(new DateOnly(2025, 5, 1), 58.12m, 80.00m, false),
            new MonthlyCost(new DateOnly(2025, 6, 1), 21.90m, 30.00m, true),
        ],
        Sources = sources.Length > 0 ? [.. sources] :
        [
            new CostSourceInfo { Key = "balancers", DisplayName = "Load balancers and tags (ELBv2)", State = CostSourceState.Live, AsOf = Objects.Now.AddMinutes(-5) },
            new CostSourceInfo { Key = "ce-resource", DisplayName = "Cost Explorer, per resource (opt-in, 14 days)", State = CostSourceState.Unavailable, Message = "not opted in" },
        ],
        CostExplorerRequests = 4,
        CloudWatchMetricsRequested = 12_000,
        CloudWatchMonthlyProjection = 432.00m,
    };
}
