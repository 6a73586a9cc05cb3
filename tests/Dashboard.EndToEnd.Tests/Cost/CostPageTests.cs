using System.Globalization;
using Dashboard.EndToEnd.Tests.Infrastructure;
using Dashboard.Testing;
using Microsoft.Playwright;

namespace Dashboard.EndToEnd.Tests.Cost;

/// <summary>
/// One dashboard process on the seed scenario (its Cost Explorer, CloudWatch and EC2 from the sandbox over the wire) with
/// the cost report rebuilt every 5 s, and one chromium.
/// </summary>
public sealed class CostServerFixture : ServerAndBrowserFixture
{
    public static readonly TimeSpan Timeout = Patience.Slowly;

    protected override IDictionary<string, string>? Settings => new Dictionary<string, string>
    {
        ["Dashboard__Costs__RebuildInterval"] = "00:00:05",
        ["Dashboard__Aws__Polling__SecurityInterval"] = "00:00:10",
    };

    protected override ViewportSize Viewport => new() { Width = 1600, Height = 1000 };
}

/// <summary>
/// What the Cost page says, read in chromium: cards that say what they count and agree with the trend and By namespace,
/// the public IPv4 addresses counted from EC2, the team from the balancer's AWS tag, sorting, and a CSV that follows the
/// filters.
/// </summary>
public sealed class CostPageTests(CostServerFixture fixture) : IClassFixture<CostServerFixture>
{
    private static readonly float Wait = (float)CostServerFixture.Timeout.TotalMilliseconds;

    private static async Task OpenAsync(IPage page, string path)
    {
        // Live: the prerendered page alone would neither sort nor take the next report.
        await Triage.TriageServerFixture.GotoLiveAsync(page, path);
        await page.Locator("tr.cost-row").First.WaitForAsync();
    }

    private static ILocator RowOwnedBy(IPage page, string owner) =>
        page.Locator("tr.cost-row").Filter(new LocatorFilterOptions { Has = page.Locator($"a.backend-link:text-is('Service {owner}')") });

    [Fact]
    public async Task The_payments_nlb_has_its_team_from_the_aws_tag_and_internet_facing_balancers_their_addresses_counted_from_ec2()
    {
        var page = await fixture.NewPageAsync();
        await OpenAsync(page, "cost");

        var payments = RowOwnedBy(page, "payments/payments-api-nlb");
        await Assertions.Expect(payments.Locator("td.cost-team")).ToContainTextAsync("payments", new() { Timeout = Wait });
        Assert.Equal("tag", await payments.Locator("td.cost-team").GetAttributeAsync("data-team-source"));
        // An internal NLB: no public address.
        Assert.Equal("—", (await payments.Locator("[data-testid=cost-ipv4]").InnerTextAsync()).Trim());

        // Once the poller has read EC2's network interfaces, the internet-facing ones are counted, not estimated.
        await Assertions.Expect(page.Locator("[data-testid=total-ipv4]")).ToContainTextAsync("counted from EC2", new() { Timeout = Wait });
        Assert.DoesNotContain(await page.Locator("[data-testid=cost-ipv4]").AllInnerTextsAsync(), t => t.Contains("est.", StringComparison.Ordinal));
        Assert.Contains("billed as VPC, not ELB", await page.Locator("[data-testid=total-ipv4]").InnerTextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Each_card_says_what_it_counts_and_this_months_cost_explorer_figure_agrees_with_the_trend()
    {
        var page = await fixture.NewPageAsync();
        await OpenAsync(page, "cost");

        var scope = await page.Locator("[data-testid=total-mtd-scope]").InnerTextAsync();
        Assert.Matches(@"^\d+ balancers of the cluster · \d+(–\d+)? [A-Z][a-z]{2} · hours × price \+ LCU-hours × price$", scope.Trim());
        Assert.Contains("actual · tagged elbv2.k8s.aws/cluster=", await page.Locator("[data-testid=total-this-month]").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("whole account (all ELB)", await page.Locator("[data-testid=total-projected]").InnerTextAsync(), StringComparison.Ordinal);

        var month = DateTime.UtcNow.ToString("yyyy-MM", CultureInfo.InvariantCulture);
        await Assertions.Expect(page.Locator($"[data-month='{month}'] .cost-trend-value")).ToBeVisibleAsync(new() { Timeout = Wait });
        var card = (await page.Locator("[data-testid=total-this-month] .cost-total-value").InnerTextAsync()).Trim();
        var trend = (await page.Locator($"[data-month='{month}'] .cost-trend-value").InnerTextAsync()).Trim();
        Assert.StartsWith("$", card, StringComparison.Ordinal);
        Assert.Equal(card, trend);
    }

    [Fact]
    public async Task A_namespace_filter_narrows_the_cards_to_the_same_figure_as_by_namespace_and_the_csv_follows()
    {
        var page = await fixture.NewPageAsync();
        await OpenAsync(page, "cost?ns=payments");

        var byNamespace = (await page.Locator("tr[data-namespace=payments] td").Nth(2).InnerTextAsync()).Trim();
        await Assertions.Expect(page.Locator("[data-testid=total-mtd] .cost-total-value")).ToHaveTextAsync(byNamespace, new() { Timeout = Wait });
        Assert.Contains("(namespace payments's share)", await page.Locator("[data-testid=total-mtd-scope]").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("api/cost/export.csv?ns=payments", await page.Locator("[data-testid=cost-export]").GetAttributeAsync("href"));

        var csv = await page.APIRequest.GetAsync("api/cost/export.csv?ns=payments");
        Assert.True(csv.Ok, $"HTTP {csv.Status}");
        var lines = (await csv.TextAsync()).Split(["\r\n", "\n"], StringSplitOptions.RemoveEmptyEntries);
        var header = lines[0].Split(',');
        var column = Array.IndexOf(header, "owner_namespace");
        var mtd = Array.IndexOf(header, "month_to_date_usd");
        Assert.NotEmpty(lines.Skip(1));
        Assert.All(lines.Skip(1), l => Assert.Equal("payments", l.Split(',')[column]));
        var sum = lines.Skip(1).Sum(l => decimal.Parse(l.Split(',')[mtd], CultureInfo.InvariantCulture));
        Assert.Equal(byNamespace, "$" + Math.Round(sum, 2, MidpointRounding.AwayFromZero).ToString("#,##0.00", CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task A_header_click_sorts_the_table_and_the_sort_is_in_the_url()
    {
        var page = await fixture.NewPageAsync();
        await OpenAsync(page, "cost");

        await page.Locator("button[data-sort=name]").ClickAsync();

        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex(@"/cost\?sort=name$"));
        await Assertions.Expect(page.Locator("th[aria-sort=ascending] button[data-sort=name]")).ToBeVisibleAsync();
        var names = (await page.Locator("tr.cost-row td.strong").AllInnerTextsAsync()).Select(n => n.Trim()).ToList();
        Assert.Equal(names.Order(StringComparer.Ordinal), names);
    }
}
