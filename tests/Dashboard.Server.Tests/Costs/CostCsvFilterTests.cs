using System.Collections.Immutable;
using System.Globalization;
using Dashboard.Client.Model;
using Dashboard.Server.Costs;

namespace Dashboard.Server.Tests.Costs;

/// <summary>The CSV export follows the page's filters, so the file sums to the cards the user was looking at.</summary>
public sealed class CostCsvFilterTests
{
    private static CostReport Report()
    {
        var alb = CostFixtures.GroupAlb("shop", ("storefront", "storefront", 0.75), ("catalog", "catalog", 0.25));
        var nlb = CostFixtures.ServiceNlb("mlops", "retail-forecast-nlb");
        return CostReportBuilder.Build(new CostInputs
        {
            Now = CostFixtures.Now,
            ClusterName = CostFixtures.Cluster,
            Prices = new ElbPrices(),
            Balancers = [alb, nlb],
            Usage = CostFixtures.Busy(alb, nlb),
            PublicIpv4 = ImmutableDictionary<string, PublicIpv4Count>.Empty.Add(alb.Arn, new PublicIpv4Count(2, Counted: true)),
        });
    }

    private static async Task<List<Dictionary<string, string>>> RowsAsync(CostReport report, string url)
    {
        using var writer = new StringWriter();
        await CostCsv.WriteAsync(report, CostQuery.Parse(url), writer, CancellationToken.None);
        var lines = writer.ToString().Split(["\r\n", "\n"], StringSplitOptions.RemoveEmptyEntries);
        var header = lines[0].Split(',');
        return [.. lines.Skip(1).Select(l => header.Zip(l.Split(',')).ToDictionary(p => p.First, p => p.Second))];
    }

    [Fact]
    public async Task A_namespace_filter_keeps_that_namespaces_owner_rows_summing_to_its_by_namespace_figure()
    {
        var report = Report();

        var rows = await RowsAsync(report, "api/cost/export.csv?ns=catalog");

        var row = Assert.Single(rows);
        Assert.Equal(("catalog", "0.25"), (row["owner_namespace"], row["share"]));
        var byNamespace = report.Namespaces.Single(n => n.Namespace == "catalog").MonthToDate;
        Assert.Equal(byNamespace, decimal.Parse(row["month_to_date_usd"], CultureInfo.InvariantCulture));
        Assert.Equal(CostSelection.Of(report, CostQuery.Parse("cost?ns=catalog")).MonthToDate, byNamespace);
        // Two addresses for 251 hours at USD 0.005, a quarter of it catalog's.
        Assert.Equal(("2", "true", "0.6275"), (row["public_ipv4_addresses"], row["public_ipv4_counted"], row["public_ipv4_usd"]));
    }

    [Fact]
    public async Task A_type_filter_and_a_sort_apply_to_the_file()
    {
        var report = Report();

        var network = await RowsAsync(report, "api/cost/export.csv?type=network");
        var byName = await RowsAsync(report, "api/cost/export.csv?sort=-name");

        Assert.Equal(["network"], network.Select(r => r["type"]).Distinct());
        Assert.Equal(["k8s-shop", "k8s-mlops-retail-forecast-nlb"], byName.Select(r => r["balancer"]).Distinct());
    }
}
