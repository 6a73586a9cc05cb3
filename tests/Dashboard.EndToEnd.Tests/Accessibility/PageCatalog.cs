using System.Text.RegularExpressions;
using Dashboard.EndToEnd.Tests.Infrastructure;

namespace Dashboard.EndToEnd.Tests.Accessibility;

/// <summary>One page to visit: its route template, a concrete URL in the seed scenario, and what shows it is ready.</summary>
/// <param name="Name">A short name for reports and screenshot files.</param>
/// <param name="Template">The <c>@page</c> template it covers, exactly as written in Dashboard.Client.</param>
/// <param name="Path">A URL of that template with the sandbox's seed scenario behind it.</param>
/// <param name="Ready">A selector that appears once the page shows its data (not just its skeleton).</param>
/// <param name="Interactive">False for the sign-in flow's pages, which render statically (no circuit).</param>
public sealed record CatalogPage(string Name, string Template, string Path, string Ready, bool Interactive = true)
{
    public override string ToString() => Name;
}

/// <summary>
/// Every page of the dashboard, read against the sandbox's seed scenario (the <see cref="Inventory.DashboardServerFixture"/>
/// world). <see cref="Templates"/> lists the <c>@page</c> directives of Dashboard.Client so a page added without an entry
/// here fails <c>PageCatalogTests</c> instead of silently escaping the accessibility and phone-width checks.
/// </summary>
public static partial class PageCatalog
{
    private const string ListReady = "[data-list-grid][data-keys-installed]";
    private const string ChartReady = "[data-testid=metric-chart] canvas";

    public static IReadOnlyList<CatalogPage> Pages { get; } =
    [
        new("home", "/", "/", ListReady),
        new("triage", "/triage", "/triage", "[data-testid=triage-list], [data-testid=triage-empty]"),
        new("load-balancers", "/load-balancers", "/load-balancers", ListReady),
        new("lb-metrics", "/load-balancers/{Name}/metrics", "/load-balancers/k8s-shop-834f58fa2a/metrics", ChartReady),
        new("services", "/services", "/services", ListReady),
        new("service-detail", "/services", "/services?selected=mlops/retail-forecast-nlb", ".detail-pane .detail-name"),
        new("ingresses", "/ingresses", "/ingresses", ListReady),
        new("ingress-detail", "/ingresses", "/ingresses?selected=mlops/retail-forecast-alb-ingress", ".detail-pane .detail-name"),
        new("exposed", "/exposed", "/exposed", ListReady),
        new("endpoint", "/endpoints/{Kind}/{Namespace}/{Name}", "/endpoints/ingress/catalog/catalog", ChartReady),
        new("changes-new", "/changes/new", "/changes/new?action=expose&namespace=mlops&kind=Deployment&name=retail-forecast-api",
            "[data-testid=change-page][data-interactive=true]"),
        new("audit", "/audit", "/audit", "[data-testid=audit-page]"),
        new("cost", "/cost", "/cost", "[data-testid=cost-asof]"),
        new("access-denied", "/authentication/access-denied", "/authentication/access-denied", "h1", Interactive: false),
        new("signed-out", "/authentication/signed-out", "/authentication/signed-out", "h1", Interactive: false),
    ];

    /// <summary>The <c>@page</c> templates declared in Dashboard.Client's .razor files.</summary>
    public static IReadOnlySet<string> Templates()
    {
        var client = System.IO.Path.Combine(RepositoryPaths.Root, "src", "Dashboard.Client");
        return Directory.EnumerateFiles(client, "*.razor", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{System.IO.Path.DirectorySeparatorChar}obj{System.IO.Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => PageDirective().Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value))
            .ToHashSet(StringComparer.Ordinal);
    }

    [GeneratedRegex("""^@page\s+"([^"]+)"\s*$""", RegexOptions.Multiline)]
    private static partial Regex PageDirective();
}
