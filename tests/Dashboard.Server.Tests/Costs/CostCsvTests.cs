using System.Collections.Immutable;
using Dashboard.Server.Costs;
using Dashboard.Server.LoadBalancers;

namespace Dashboard.Server.Tests.Costs;

public sealed class CostCsvTests
{
    [Fact]
    public async Task The_export_has_a_header_and_one_row_per_balancer_and_owner_with_invariant_numbers()
    {
        var alb = CostFixtures.GroupAlb("shop", ("storefront", "storefront", 0.75), ("catalog", "catalog", 0.25));
        var nlb = CostFixtures.ServiceNlb("mlops", "retail-forecast-nlb");
        var ghost = CostFixtures.OrphanNlb("mlops", "old-nlb");
        var report = CostReportBuilder.Build(new CostInputs
        {
            Now = CostFixtures.Now,
            ClusterName = CostFixtures.Cluster,
            Prices = new ElbPrices(),
            Balancers = [alb, nlb, ghost],
            Usage = new BalancerUsage
            {
                LcuHours = ImmutableDictionary<string, double>.Empty.Add(nlb.Arn, 12.5),
                RecentRequests = ImmutableDictionary<string, double>.Empty.Add(alb.Arn, 100).Add(nlb.Arn, 100),
            },
        });
        var previous = Thread.CurrentThread.CurrentCulture;
        Thread.CurrentThread.CurrentCulture = new System.Globalization.CultureInfo("de-DE"); // a comma decimal culture must not leak in
        string text;
        try
        {
            using var writer = new StringWriter();
            await CostCsv.WriteAsync(report, writer, CancellationToken.None);
            text = writer.ToString();
        }
        finally
        {
            Thread.CurrentThread.CurrentCulture = previous;
        }

        var lines = text.Split(["\r\n", "\n"], StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(string.Join(',', CostCsv.Header), lines[0]);
        Assert.Equal(5, lines.Length); // header + two owners of the shared ALB + the NLB + the orphan
        var rows = lines.Skip(1).Select(l => l.Split(',')).ToList();
        var column = CostCsv.Header.Select((name, i) => (name, i)).ToDictionary(p => p.name, p => p.i);
        var storefront = rows.Single(r => r[column["owner_namespace"]] == "storefront");
        Assert.Equal("0.75", storefront[column["share"]]);
        Assert.Equal("Ingress", storefront[column["owner_kind"]]);
        var nlbRow = rows.Single(r => r[column["balancer"]] == nlb.Name);
        Assert.Equal("251", nlbRow[column["hours"]]);
        Assert.Equal("12.5", nlbRow[column["lcu_hours"]]);
        Assert.Equal("5.6475", nlbRow[column["hourly_cost_usd"]]);  // 251 × 0.0225
        Assert.Equal("0.0750", nlbRow[column["lcu_cost_usd"]]);     // 12.5 × 0.006
        Assert.Equal("5.7225", nlbRow[column["month_to_date_usd"]]);
        Assert.Equal("2025-06-11T10:30:00Z", nlbRow[column["as_of"]]);
        // An orphan's row names the object its tags name, marked as no longer existing.
        var ghostRow = rows.Single(r => r[column["balancer"]] == ghost.Name);
        Assert.Equal(("Service", "mlops", "old-nlb", "false", "true"),
            (ghostRow[column["owner_kind"]], ghostRow[column["owner_namespace"]], ghostRow[column["owner_name"]], ghostRow[column["owner_exists"]], ghostRow[column["orphan"]]));
    }
}
