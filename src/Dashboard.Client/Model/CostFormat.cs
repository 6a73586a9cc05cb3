using System.Globalization;
using Dashboard.Client.Localization;

namespace Dashboard.Client.Model;

/// <summary>
/// How the Cost page writes money and shares in the viewer's number format. Amounts are always US dollars, never
/// converted: "$1,234.56" in English, "US$1.234,56" in Vietnamese (a bare "$" would be ambiguous there; never ₫).
/// </summary>
public static class CostFormat
{
    /// <summary>"$1,234.56" / "US$1.234,56"; amounts under a cent that are not zero as "&lt;$0.01".</summary>
    public static string Money(decimal amount) =>
        amount is > 0 and < 0.005m ? "<" + Dollar + 0.01m.ToString("0.00", Numbers) : (amount < 0 ? "-" : "") + Dollar + Math.Abs(amount).ToString("#,##0.00", Numbers);

    /// <summary>The dollar sign of the viewer's language.</summary>
    public static string Dollar => DashboardCultures.IsVietnamese(CultureInfo.CurrentCulture) ? "US$" : "$";

    private static CultureInfo Numbers => DashboardCultures.Format;

    /// <summary>Money or an em dash when unknown.</summary>
    public static string Money(decimal? amount) => amount is { } value ? Money(value) : "—";

    /// <summary>A difference with its sign: "+$1.20", "-$0.40".</summary>
    public static string Difference(decimal? amount) =>
        amount is { } value ? (value >= 0 ? "+" : "-") + Dollar + Math.Abs(value).ToString("#,##0.00", Numbers) : "—";

    /// <summary>"42%".</summary>
    public static string Percent(double share) => Math.Round(share * 100).ToString("0", Numbers) + "%";

    /// <summary>"Jun 2025"; "thg 6 2025" in Vietnamese.</summary>
    public static string Month(DateOnly month) => month.ToString("MMM yyyy", Numbers);

    /// <summary>A count of requests: "1,204" or "—" when unknown.</summary>
    public static string Requests(double? requests) => requests is { } value ? value.ToString("#,##0", Numbers) : "—";

    /// <summary>"Application" / "Network" as a short type label: ALB, NLB.</summary>
    public static string TypeLabel(string type) => type switch
    {
        "application" => "ALB",
        "network" => "NLB",
        _ => type,
    };
}
