using System.Globalization;
using CsvHelper;
using Dashboard.Client.Model;

namespace Dashboard.Server.Costs;

/// <summary>
/// The cost report as CSV (RFC 4180 through CsvHelper): one row per balancer and owner, so a shared ALB appears once per
/// member Ingress with its share. Invariant culture, amounts in USD with four decimals; fields that a spreadsheet would
/// run as a formula are escaped.
/// </summary>
public static class CostCsv
{
    public static readonly string[] Header =
    [
        "as_of", "balancer", "type", "arn", "owner_kind", "owner_namespace", "owner_name", "owner_exists", "share", "namespace", "team",
        "hours", "lcu_hours", "hourly_cost_usd", "lcu_cost_usd", "month_to_date_usd", "projected_usd", "cost_explorer_usd", "cost_explorer_route",
        "recent_requests", "idle", "orphan", "team_source", "public_ipv4_addresses", "public_ipv4_counted", "public_ipv4_usd",
    ];

    public static Task WriteAsync(CostReport report, TextWriter writer, CancellationToken cancellationToken) =>
        WriteAsync(report, CostQuery.Empty, writer, cancellationToken);

    /// <summary>
    /// The rows of the balancers <paramref name="query"/> keeps, in its order; with a namespace filter only the owner rows
    /// in that namespace (each at its share), so the file sums to the page's cards.
    /// </summary>
    public static async Task WriteAsync(CostReport report, CostQuery query, TextWriter writer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(query);
        await using var csv = CsvWriter.Create(writer, new CsvWriterOptions { Injection = CsvInjection.Escape }, true);
        await csv.WriteRecordAsync(Header, cancellationToken);
        var asOf = report.AsOf.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        foreach (var balancer in query.Apply(report.Balancers))
        {
            cancellationToken.ThrowIfCancellationRequested();
            // One row per owner; an orphan's row names the object its tags name (which no longer exists), else no owner.
            IReadOnlyList<OwnerRow> rows = !balancer.Owners.IsEmpty ? [.. balancer.Owners.Select(o => new OwnerRow(o, true))]
                : balancer.TaggedOwner is { } gone ? [new OwnerRow(new BalancerOwner(gone.Kind, gone.Namespace, gone.Name), false)]
                : [new OwnerRow(null, null)];
            foreach (var row in rows.Where(r => query.Namespace is null || r.Owner is null || r.Owner.Namespace == query.Namespace))
            {
                var owner = row.Owner;
                var share = owner?.Share ?? 1;
                string[] fields =
                [
                    asOf, balancer.Name, balancer.Type, balancer.Arn,
                    owner?.Kind.ToString() ?? "", owner?.Namespace ?? "", owner?.Name ?? "", row.Exists is { } exists ? Bool(exists) : "",
                    Number(share, "0.####"), owner?.Namespace ?? balancer.Namespace ?? "", balancer.Team ?? "",
                    balancer.Hours.ToString(CultureInfo.InvariantCulture), Number(balancer.LcuHours * share, "0.####"),
                    Money(balancer.HourlyCost * (decimal)share), Money(balancer.LcuCost * (decimal)share),
                    Money(owner is null ? balancer.MonthToDate : balancer.MonthToDateOf(owner)), Money(owner is null ? balancer.Projected : balancer.ProjectedOf(owner)),
                    balancer.CostExplorerMonthToDate is { } ce ? Money(ce * (decimal)share) : "", balancer.CostExplorerRoute ?? "",
                    balancer.RecentRequests is { } requests ? Number(requests, "0") : "", Bool(balancer.Idle), Bool(balancer.Orphan),
                    balancer.TeamSource ?? "", balancer.PublicIpv4Addresses.ToString(CultureInfo.InvariantCulture), Bool(balancer.PublicIpv4Counted),
                    Money(balancer.PublicIpv4Cost * (decimal)share),
                ];
                await csv.WriteRecordAsync(fields, cancellationToken);
            }
        }
        await csv.FlushAsync(cancellationToken);
    }

    private sealed record OwnerRow(BalancerOwner? Owner, bool? Exists);

    private static string Money(decimal value) => Math.Round(value, 4, MidpointRounding.AwayFromZero).ToString("0.0000", CultureInfo.InvariantCulture);

    private static string Number(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);

    private static string Bool(bool value) => value ? "true" : "false";
}
