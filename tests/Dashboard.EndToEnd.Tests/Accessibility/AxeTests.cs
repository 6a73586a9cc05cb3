using System.Text;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Dashboard.EndToEnd.Tests.Inventory;

namespace Dashboard.EndToEnd.Tests.Accessibility;

/// <summary>
/// axe-core (Deque's engine, the served Deque.AxeCore.Playwright package) over every page of the dashboard in chromium,
/// in each theme and language: no violation of serious or critical impact is allowed. One case per look visits every
/// page in one browser context; a screenshot of each page is kept for a person to look at (bin/…/screenshots/a11y).
/// The four looks take minutes, so they have a server and chromium of their own and run beside the other browser tests
/// instead of after them.
/// </summary>
[Collection(AccessibilityServerCollection.Name)]
public sealed class AxeTests(DashboardServerFixture fixture)
{
    private static readonly string[] Blocking = ["serious", "critical"];

    public static TheoryData<string, string> Looks => new()
    {
        { "dark", "en-US" },
        { "light", "en-US" },
        { "dark", "vi-VN" },
        { "light", "vi-VN" },
    };

    [Theory]
    [MemberData(nameof(Looks))]
    public async Task Every_page_has_no_serious_or_critical_axe_violation(string theme, string culture)
    {
        var look = new Look(theme, culture, Look.Desktop);
        var page = await look.NewPageAsync(fixture);
        var report = new StringBuilder();
        try
        {
            foreach (var target in PageCatalog.Pages)
            {
                await look.GotoAsync(page, target);
                var result = await page.RunAxe(new AxeRunOptions
                {
                    RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] },
                });
                await Look.ScreenshotAsync(page, $"{target.Name}-{look.FilePart}");
                foreach (var violation in result.Violations.Where(v => Blocking.Contains(v.Impact)))
                {
                    report.AppendLine($"{target.Name} ({target.Path}): {violation.Id} [{violation.Impact}] {violation.Help}");
                    foreach (var node in violation.Nodes.Take(5))
                    {
                        report.AppendLine($"    {node.Target}: {Shorten(node.Html)}");
                        var why = node.Any.Concat(node.All).Concat(node.None).Select(c => c.Message).FirstOrDefault(m => !string.IsNullOrWhiteSpace(m));
                        if (why is not null)
                        {
                            report.AppendLine("      " + why.ReplaceLineEndings(" "));
                        }
                    }
                    if (violation.Nodes.Length > 5)
                    {
                        report.AppendLine($"    … and {violation.Nodes.Length - 5} more");
                    }
                }
            }
        }
        finally
        {
            await page.Context.CloseAsync();
        }
        // The full report beside the screenshots, for fixing several violations in one pass.
        await File.WriteAllTextAsync(Path.Combine(DashboardServerFixture.ScreenshotDirectory, "a11y", $"axe-{look.FilePart}.txt"), report.ToString());
        Assert.True(report.Length == 0, $"axe found serious or critical violations in the {look} look:\n{report}");
    }

    private static string Shorten(string? html) =>
        html is null ? "" : html.Length <= 200 ? html : html[..200] + "…";
}

/// <summary>A dashboard server and chromium of the axe tests' own (the same set-up as the inventory tests').</summary>
[CollectionDefinition(Name)]
public sealed class AccessibilityServerCollection : ICollectionFixture<DashboardServerFixture>
{
    public const string Name = "Accessibility server";
}
