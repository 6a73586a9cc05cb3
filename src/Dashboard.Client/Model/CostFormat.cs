using System.Globalization;

namespace Dashboard.Client.Model;

/// <summary>How the Cost page writes money and shares: invariant culture, USD.</summary>
public static class CostFormat
{
    /// <summary>"$1,234.56"; amounts under a cent that are not zero as "&lt;$0.01".</summary>
    public static string Money(decimal amount) =>
        amount is > 0 and < 0.005m ? "<$0.01" : (amount < 0 ? "-$" : "$") + Math.Abs(amount).ToString("#,##0.00", CultureInfo.InvariantCulture);

    /// <summary>Money or an em dash when unknown.</summary>
    public static string Money(decimal? amount) => amount is { } value ? Money(value) : "—";

    /// <summary>A difference with its sign: "+$1.20", "-$0.40".</summary>
    public static string Difference(decimal? amount) =>
        amount is { } value ? (value >= 0 ? "+" : "-") + "$" + Math.Abs(value).ToString("#,##0.00", CultureInfo.InvariantCulture) : "—";

    /// <summary>"42%".</summary>
    public static string Percent(double share) => Math.Round(share * 100).ToString("0", CultureInfo.InvariantCulture) + "%";

    /// <summary>"Jun 2025".</summary>
    public static string Month(DateOnly month) => month.ToString("MMM yyyy", CultureInfo.InvariantCulture);

    /// <summary>A count of requests: "1,204" or "—" when unknown.</summary>
    public static string Requests(double? requests) => requests is { } value ? value.ToString("#,##0", CultureInfo.InvariantCulture) : "—";

    /// <summary>"Application" / "Network" as a short type label: ALB, NLB.</summary>
    public static string TypeLabel(string type) => type switch
    {
        "application" => "ALB",
        "network" => "NLB",
        _ => type,
    };
}
