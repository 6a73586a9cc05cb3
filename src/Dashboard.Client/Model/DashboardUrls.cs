namespace Dashboard.Client.Model;

/// <summary>Every page path, built in one place.</summary>
public static class DashboardUrls
{
    public const string Services = "services";
    public const string Ingresses = "ingresses";
    public const string Cost = "cost";

    /// <summary>The cost report as CSV (CostReader policy, rate limited).</summary>
    public const string CostExport = "api/cost/export.csv";

    public static string ServiceDetail(string @namespace, string name) =>
        new ListQuery { Selected = $"{@namespace}/{name}" }.ToUrl(Services);

    public static string IngressDetail(string @namespace, string name) =>
        new ListQuery { Selected = $"{@namespace}/{name}" }.ToUrl(Ingresses);
}
