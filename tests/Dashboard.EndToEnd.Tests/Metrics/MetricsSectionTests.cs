using System.Text.RegularExpressions;
using Dashboard.EndToEnd.Tests.Inventory;
using Dashboard.Testing;
using Microsoft.Playwright;

namespace Dashboard.EndToEnd.Tests.Metrics;

/// <summary>
/// The Metrics section in chromium against the sandbox's seed scenario: the catalog Ingress shares the k8s-shop ALB with
/// storefront, so its charts default to its own target group; every chart is drawn by uPlot; a range button and a drag
/// to zoom change the URL (and the period); the table view lists the numbers; a <c>kubectl rollout restart</c> shows as a
/// marker on the timeline.
/// </summary>
[Collection(DashboardServerCollection.Name)]
public sealed partial class MetricsSectionTests(DashboardServerFixture fixture)
{
    private const string EndpointPath = "/endpoints/ingress/catalog/catalog";
    private static readonly TimeSpan RolloutTimeout = Patience.Scale(TimeSpan.FromSeconds(120));

    /// <summary>
    /// Draws one line (30 one-minute periods, datapoints in the first and last ten only) with metrics.js into a host of its
    /// own and answers [first, last] canvas columns holding the line's colour and the widest run of columns without it between.
    /// </summary>
    private const string DrawGapScript = """
        async () => {
          const metrics = await import('/_content/Dashboard.Client/metrics.js');
          const box = document.createElement('div');
          box.innerHTML = '<div data-chart="gap"><div class="metric-plot" style="width:600px"></div></div>';
          document.body.appendChild(box);
          const period = 60, start = 1700000000 - (1700000000 % 60);
          const times = [], values = [];
          for (let i = 0; i < 30; i++) { if (i < 10 || i >= 20) { times.push(start + i * period); values.push(5 + (i % 3)); } }
          await metrics.render(box, { invokeMethodAsync: () => Promise.resolve() }, { start, end: start + 30 * period, period, utc: true, arrivingFrom: null,
            charts: [{ key: 'gap', unit: 'Count', series: [{ label: 'requests', times, values }] }], markers: [] });
          await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
          const canvas = box.querySelector('canvas');
          const { width, height } = canvas;
          const data = canvas.getContext('2d').getImageData(0, 0, width, height).data;
          const line = (x, y) => { const i = (y * width + x) * 4; return Math.abs(data[i] - 0x1e) < 40 && Math.abs(data[i + 1] - 0x88) < 40 && Math.abs(data[i + 2] - 0xe5) < 40 && data[i + 3] > 200; };
          const columns = [];
          for (let x = 0; x < width; x++) { let hit = false; for (let y = 0; y < height && !hit; y++) hit = line(x, y); columns.push(hit); }
          metrics.destroy(box);
          box.remove();
          const first = columns.indexOf(true), last = columns.lastIndexOf(true);
          let run = 0, widest = 0;
          for (let x = first; x >= 0 && x <= last; x++) { run = columns[x] ? 0 : run + 1; widest = Math.max(widest, run); }
          return [first, last, widest];
        }
        """;

    private static async Task<ILocator> OpenAsync(IPage page, string path)
    {
        await page.GotoAsync(path);
        var section = page.Locator("[data-testid=metrics-section]").First;
        // uPlot draws one canvas per chart once the circuit is live and the first read is back.
        await Assertions.Expect(section.Locator("[data-testid=metric-chart] canvas").First).ToBeVisibleAsync();
        return section;
    }

    [Fact]
    public async Task Charts_are_drawn_for_the_endpoints_own_target_group_and_range_and_zoom_live_in_the_url()
    {
        var page = await fixture.NewPageAsync();
        try
        {
            Directory.CreateDirectory(DashboardServerFixture.ScreenshotDirectory);
            var section = await OpenAsync(page, EndpointPath);

            // A member of a shared ALB sees its own group by default, and is told which charts that scope lacks.
            await Assertions.Expect(section.Locator("[data-testid=metrics-scope]")).ToContainTextAsync("(this endpoint)");
            await Assertions.Expect(section.Locator(".metric-note").First).ToContainTextAsync("not published per target group");
            var charts = section.Locator("[data-testid=metric-chart]");
            Assert.Equal(8, await charts.CountAsync());
            await Assertions.Expect(section.Locator("[data-testid=metric-chart][data-chart=requests] canvas")).ToHaveCountAsync(1);
            await Assertions.Expect(section.Locator("[data-testid=metrics-honesty]")).ToContainTextAsync("1–3 minutes");

            // A gap is drawn as a gap: ten missing minutes between two runs of datapoints, through the page's own metrics.js,
            // leave the line broken on the canvas (no pixel of the line's colour across them), never joined or dropped to zero.
            var gap = await page.EvaluateAsync<int[]>(DrawGapScript);
            Assert.True(gap[0] >= 0 && gap[1] > gap[0], $"the line was drawn: {string.Join(", ", gap)}");
            Assert.InRange(gap[2], (gap[1] - gap[0]) / 4, gap[1] - gap[0]);

            await section.Locator("[data-testid=range-1h]").ClickAsync();
            await Assertions.Expect(page).ToHaveURLAsync(new Regex("mrange=1h"));
            await Assertions.Expect(section.Locator("[data-testid=metrics-window]")).ToContainTextAsync("period 60 s");

            await section.Locator("[data-testid=range-1w]").ClickAsync();
            await Assertions.Expect(page).ToHaveURLAsync(new Regex("mrange=1w"));
            await Assertions.Expect(section.Locator("[data-testid=metrics-window]")).ToContainTextAsync("period 10 min");
            await Assertions.Expect(section.Locator("[data-testid=metrics-grid][data-drawn-period='600']")).ToHaveCountAsync(1);

            // Drag across the middle of the requests chart: a fixed range in the URL, read at a finer period.
            var plot = section.Locator("[data-chart=requests] .u-over");
            // The page scrolls inside the layout: bring the chart into the viewport before pointing at it.
            await plot.ScrollIntoViewIfNeededAsync();
            var box = (await plot.BoundingBoxAsync())!;
            await page.Mouse.MoveAsync(box.X + (box.Width * 0.45f), box.Y + (box.Height / 2));
            await page.Mouse.DownAsync();
            await page.Mouse.MoveAsync(box.X + (box.Width * 0.5f), box.Y + (box.Height / 2), new MouseMoveOptions { Steps = 5 });
            await page.Mouse.UpAsync();
            await Assertions.Expect(page).ToHaveURLAsync(new Regex("mrange=[0-9]{4}-[^&]+Z~[0-9]{4}-[^&]+Z"));
            await Assertions.Expect(section.Locator("[data-testid=metrics-window]")).ToContainTextAsync("zoomed");
            await Assertions.Expect(section.Locator("[data-testid=metrics-window]")).Not.ToContainTextAsync("period 10 min");
            // Redrawn at the finer period the zoom allows (a few hours of a week: one or two minutes).
            await Assertions.Expect(section.Locator("[data-testid=metrics-grid][data-drawn-period='60'], [data-testid=metrics-grid][data-drawn-period='120']")).ToHaveCountAsync(1);
            await section.ScreenshotAsync(new LocatorScreenshotOptions { Path = Path.Combine(DashboardServerFixture.ScreenshotDirectory, "metrics-zoomed.png") });

            // The link reproduces the view.
            var zoomed = page.Url;
            var window = await section.Locator("[data-testid=metrics-window]").InnerTextAsync();
            var again = await OpenAsync(page, zoomed);
            await Assertions.Expect(again.Locator("[data-testid=metrics-window]")).ToHaveTextAsync(window.Trim());

            // The same numbers as a table.
            await again.Locator("[data-testid=metrics-table-toggle]").ClickAsync();
            var table = again.Locator("[data-chart=requests] [data-testid=metric-table]");
            await Assertions.Expect(table).ToBeVisibleAsync();
            Assert.True(await table.Locator("tbody tr").CountAsync() > 0, "the requests table has rows");
            await again.ScreenshotAsync(new LocatorScreenshotOptions { Path = Path.Combine(DashboardServerFixture.ScreenshotDirectory, "metrics-table.png") });
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task A_rollout_restart_appears_as_a_marker_on_the_charts()
    {
        var page = await fixture.NewPageAsync();
        try
        {
            var section = await OpenAsync(page, EndpointPath + "?mrange=15m");
            var before = await section.Locator("[data-chart=requests] [data-testid=metric-marker]").CountAsync();

            await fixture.Kubectl.RunAsync("rollout", "restart", "deployment/catalog-api", "-n", "catalog");

            await Assertions.Expect(section.Locator("[data-chart=requests] [data-testid=metric-marker]"))
                .Not.ToHaveCountAsync(before, new() { Timeout = (float)RolloutTimeout.TotalMilliseconds });
            var titles = await section.Locator("[data-chart=requests] [data-testid=metric-marker]").EvaluateAllAsync<string[]>("ms => ms.map(m => m.title)");
            Assert.Contains(titles, t => t.Contains("Scheduled", StringComparison.Ordinal) || t.Contains("Killing", StringComparison.Ordinal) || t.Contains("became", StringComparison.Ordinal));
            Directory.CreateDirectory(DashboardServerFixture.ScreenshotDirectory);
            await section.ScreenshotAsync(new LocatorScreenshotOptions { Path = Path.Combine(DashboardServerFixture.ScreenshotDirectory, "metrics-rollout-marker.png") });
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task The_load_balancer_view_shows_the_whole_balancer_and_a_bad_range_is_explained()
    {
        var page = await fixture.NewPageAsync();
        try
        {
            var section = await OpenAsync(page, "/load-balancers/k8s-shop-834f58fa2a/metrics");
            await Assertions.Expect(section.Locator("[data-testid=metrics-scope]")).ToContainTextAsync("Whole balancer");
            // The whole balancer has the ELB's own errors and one host line per target group.
            await Assertions.Expect(section.Locator("[data-chart=errors] .u-legend")).ToContainTextAsync("ELB 502");
            await Assertions.Expect(section.Locator("[data-chart=hosts] .u-legend")).ToContainTextAsync("k8s-catalog");

            await page.GotoAsync("/load-balancers/k8s-shop-834f58fa2a/metrics?mrange=yesterday");
            await Assertions.Expect(page.Locator("[data-testid=metrics-input-error]")).ToContainTextAsync("range:");
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }
}
