using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Dashboard.Server.Aws.CloudWatch;
using Dashboard.Server.Metrics;
using Microsoft.Playwright;

namespace Dashboard.Benchmarks;

/// <summary>
/// <c>charts [--runs 5] [--pages 50]</c>: what the Metrics charts cost at the densest views the UI offers.
/// Browser: the built server in sandbox mode, the seed's shared ALB's own view (the whole balancer: every series) in
/// Debian's chromium; the section's data read from <c>/api/v1/metrics/charts</c> and drawn again and again through the
/// page's own <c>metrics.js</c>, timed with the Performance API (marks and measures): the render call (scripting: uPlot
/// building and drawing every canvas) and until two animation frames later (layout and paint included), for 1 d at 60 s
/// and for a zoom to 1,500 points per series; plus one synced cross-hair move over all charts.
/// Server: bytes the shared series cache holds per cached page (GC heap after a full collection, before and after
/// filling <c>--pages</c> pages of the same 22 series × 1,440 points), prints, never asserts.
/// </summary>
internal static class ChartRenderBenchmark
{
    public const string Usage = "charts [--runs 5] [--pages 50]";
    private const string Balancer = "k8s-shop-834f58fa2a";

    /// <summary>The series of the ALB section in the whole-balancer scope (as metrics-read.sh sends them).</summary>
    private static readonly (string Metric, string Stat)[] SectionSeries =
    [
        .. new[]
        {
            "RequestCount", "HTTPCode_Target_5XX_Count", "HTTPCode_ELB_5XX_Count", "HTTPCode_ELB_502_Count", "HTTPCode_ELB_503_Count",
            "HTTPCode_ELB_504_Count", "HTTPCode_Target_4XX_Count", "ActiveConnectionCount", "NewConnectionCount", "RejectedConnectionCount",
            "TargetConnectionErrorCount", "ConsumedLCUs", "ProcessedBytes", "ClientTLSNegotiationErrorCount",
        }.Select(m => (m, "Sum")),
        ("TargetResponseTime", "p50"), ("TargetResponseTime", "p90"), ("TargetResponseTime", "p99"), ("TargetResponseTime", "Average"),
        ("HealthyHostCount", "Minimum"), ("UnHealthyHostCount", "Maximum"), ("HealthyHostCount", "Minimum"), ("UnHealthyHostCount", "Maximum"),
    ];

    public static async Task<int> RunAsync(IReadOnlyList<string> options, CancellationToken cancellationToken)
    {
        var runs = Option(options, "runs", 5);
        var pages = Option(options, "pages", 50);
        Console.WriteLine($"Metrics charts: {BenchmarkReport.Machine()}");
        await BrowserAsync(runs, cancellationToken);
        await MemoryAsync(pages);
        return 0;
    }

    private const string MeasureScript = """
        async ({ lb, range, runs }) => {
          const answer = await fetch(`/api/v1/metrics/charts?lb=${encodeURIComponent(lb)}&range=${encodeURIComponent(range)}`, { credentials: 'same-origin' });
          if (!answer.ok) throw new Error(`the API answered ${answer.status}`);
          const v = await answer.json();
          const sec = t => Date.parse(t) / 1000;
          const payload = { start: sec(v.start), end: sec(v.end), period: v.period, utc: true, arrivingFrom: null,
            charts: v.charts.map(c => ({ key: c.key, unit: c.unit, series: c.series.map(s => ({ label: s.label, times: s.points.map(p => sec(p.t)), values: s.points.map(p => p.v) })) })),
            markers: (v.markers || []).map(m => ({ t: sec(m.t), kind: m.kind, text: m.text, href: m.href })) };
          const metrics = await import('/_content/Dashboard.Client/metrics.js');
          const container = document.querySelector('[data-testid=metrics-grid]');
          const dotnet = { invokeMethodAsync: () => Promise.resolve() };
          const frames = () => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
          await metrics.render(container, dotnet, payload); await frames(); // warm-up: uPlot loaded, fonts laid out
          const script = [], painted = [];
          for (let i = 0; i < runs; i++) {
            performance.mark('charts-start');
            await metrics.render(container, dotnet, payload);
            performance.mark('charts-scripted');
            await frames();
            performance.mark('charts-painted');
            script.push(performance.measure('charts-script', 'charts-start', 'charts-scripted').duration);
            painted.push(performance.measure('charts-painted', 'charts-start', 'charts-painted').duration);
          }
          // One cross-hair sweep over the first chart: every chart of the section follows it (cursor sync).
          const over = container.querySelector('.u-over');
          const box = over.getBoundingClientRect();
          const moves = 60;
          performance.mark('hover-start');
          for (let i = 0; i < moves; i++) {
            over.dispatchEvent(new MouseEvent('mousemove', { clientX: box.left + (box.width * (i + 0.5)) / moves, clientY: box.top + box.height / 2, bubbles: true }));
            await new Promise(r => requestAnimationFrame(r));
          }
          const hover = performance.measure('charts-hover', 'hover-start').duration / moves;
          const lines = payload.charts.reduce((n, c) => n + c.series.length, 0);
          const points = payload.charts.reduce((n, c) => n + c.series.reduce((m, s) => m + s.times.length, 0), 0);
          const most = Math.max(...payload.charts.flatMap(c => c.series.map(s => s.times.length)));
          return { period: v.period, charts: payload.charts.length, lines, points, most, script, painted, hover,
                   heap: performance.memory ? performance.memory.usedJSHeapSize : 0 };
        }
        """;

    private static async Task BrowserAsync(int runs, CancellationToken cancellationToken)
    {
        var port = ReadmeScreenshot.FreePort();
        var workingDirectory = Directory.CreateTempSubdirectory("dashboard-charts-").FullName;
        using var server = ReadmeScreenshot.StartServer(port, workingDirectory);
        try
        {
            using var playwright = await Playwright.CreateAsync();
            await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = "/usr/bin/chromium",
                Headless = true,
                Args = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--enable-precise-memory-info"],
            });
            var page = await browser.NewPageAsync(new BrowserNewPageOptions
            {
                BaseURL = $"http://127.0.0.1:{port}",
                ViewportSize = new ViewportSize { Width = 1440, Height = 900 },
            });
            page.SetDefaultTimeout(60_000);
            var now = DateTimeOffset.UtcNow;
            // 1,500 points per series: 25 hours at 60 s (the period rule keeps 60 s up to 25 h), the densest zoom.
            var zoomEnd = DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds() / 60 * 60).AddMinutes(-5);
            var zoom = $"{zoomEnd.AddHours(-25):yyyy-MM-ddTHH:mmZ}~{zoomEnd:yyyy-MM-ddTHH:mmZ}";
            await PageOpenAsync(page, now, cancellationToken);
            Console.WriteLine($"Browser: chromium {browser.Version}, 1440x900, /load-balancers/{Balancer}/metrics (whole balancer), {runs} draws after a warm-up");
            foreach (var (name, range) in new[] { ("1 d at 60 s", "1d"), ("zoom to 1,500 points", zoom) })
            {
                await ReadmeScreenshot.GotoWhenListeningAsync(page, $"/load-balancers/{Balancer}/metrics?mrange={Uri.EscapeDataString(range)}&mlive=false", cancellationToken);
                await page.Locator("[data-testid=metric-chart] canvas").First.WaitForAsync();
                var result = await page.EvaluateAsync<JsonElement>(MeasureScript, new { lb = Balancer, range, runs });
                var script = result.GetProperty("script").EnumerateArray().Select(e => e.GetDouble()).Order().ToList();
                var painted = result.GetProperty("painted").EnumerateArray().Select(e => e.GetDouble()).Order().ToList();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {name}: period {result.GetProperty("period").GetInt32()} s, {result.GetProperty("charts").GetInt32()} charts, {result.GetProperty("lines").GetInt32()} lines, " +
                    $"{result.GetProperty("points").GetInt32():N0} points (at most {result.GetProperty("most").GetInt32():N0} a line)"));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"    render (scripting): median {script[script.Count / 2]:0.0} ms, worst {script[^1]:0.0} ms; to painted: median {painted[painted.Count / 2]:0.0} ms, worst {painted[^1]:0.0} ms; " +
                    $"cross-hair move over every chart: {result.GetProperty("hover").GetDouble():0.0} ms a frame; JS heap {result.GetProperty("heap").GetDouble() / 1048576:0.0} MiB"));
            }
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync(CancellationToken.None);
            Directory.Delete(workingDirectory, recursive: true);
        }
    }

    /// <summary>
    /// From opening the balancer's owner's endpoint page (whole balancer scope, a fixed 3 h range that ended 10 minutes ago,
    /// so the shared cache keeps it 30 minutes) to every chart drawn: cold (nothing cached) and warm (the same URL again).
    /// </summary>
    private static async Task PageOpenAsync(IPage page, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await ReadmeScreenshot.GotoWhenListeningAsync(page, "/load-balancers", cancellationToken);
        var owner = await page.EvaluateAsync<string>("""
            async (lb) => {
              for (let i = 0; i < 300; i++) {
                const answer = await fetch('/api/v1/load-balancers?limit=1000', { credentials: 'same-origin' });
                const item = answer.ok ? (await answer.json()).items.find(b => b.name === lb && b.owners.length > 0) : null;
                if (item) { const o = item.owners[0]; return `${o.kind.toLowerCase()}/${o.namespace}/${o.name}`; }
                await new Promise(r => setTimeout(r, 200));
              }
              throw new Error('the balancer has no owner yet');
            }
            """, Balancer);
        var end = DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds() / 60 * 60).AddMinutes(-10);
        var url = $"/endpoints/{owner}?mtg=-&mrange={Uri.EscapeDataString($"{end.AddHours(-3):yyyy-MM-ddTHH:mmZ}~{end:yyyy-MM-ddTHH:mmZ}")}";
        var times = new List<double>();
        for (var i = 0; i < 4; i++)
        {
            var stopwatch = Stopwatch.StartNew();
            await page.GotoAsync(url);
            await page.Locator("[data-testid=metrics-grid][data-drawn-charts='8']").First.WaitForAsync();
            times.Add(stopwatch.Elapsed.TotalMilliseconds);
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Page open to every chart drawn (/endpoints/{owner}, whole balancer, fixed 3 h at 60 s): cold {times[0]:0} ms, warm {string.Join(", ", times.Skip(1).Select(t => t.ToString("0", CultureInfo.InvariantCulture)))} ms"));
    }

    private static async Task MemoryAsync(int pages)
    {
        var cache = new MetricSeriesCache(new FullSeries(), TimeProvider.System);
        var end = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 60 * 60);
        SeriesKey Key(int page, int line) => new("AWS/ApplicationELB", SectionSeries[line].Metric, SectionSeries[line].Stat,
            $"LoadBalancer=app/{Balancer}/0123456789abcdef" + (SectionSeries[line].Metric.Contains("Host", StringComparison.Ordinal) ? $"|TargetGroup=targetgroup/k8s-shop-{line}/0123456789abcdef" : ""),
            end.AddMinutes(-page).AddDays(-1), end.AddMinutes(-page), 60);
        // Warm-up: the code paths JIT-compiled, then measured from a collected heap.
        await cache.GetAsync([.. Enumerable.Range(0, SectionSeries.Length).Select(l => Key(-1, l))], CancellationToken.None);
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var stopwatch = Stopwatch.StartNew();
        for (var page = 0; page < pages; page++)
        {
            await cache.GetAsync([.. Enumerable.Range(0, SectionSeries.Length).Select(l => Key(page, l))], CancellationToken.None);
        }
        stopwatch.Stop();
        var after = GC.GetTotalMemory(forceFullCollection: true);
        var perPage = (after - before) / (double)pages;
        var points = SectionSeries.Length * 1440;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Server: {pages} cached pages of {SectionSeries.Length} series × 1,440 points (1 d at 60 s) in the shared series cache ({cache.Count} entries): " +
            $"{perPage / 1024:0} KiB a page, {perPage / SectionSeries.Length / 1024:0.0} KiB a series, {perPage / points:0.0} bytes a point " +
            $"(the points themselves: 16 bytes); at the cache's bound of {cache.MaxPoints:N0} points: {perPage / points * cache.MaxPoints / 1048576:0} MiB"));
        GC.KeepAlive(cache);
    }

    /// <summary>A CloudWatch that answers every query with a datapoint in every period (the densest answer), so only the cache is measured.</summary>
    private sealed class FullSeries : ICloudWatchClient
    {
        public Task<MetricDataResponse> GetMetricDataAsync(IReadOnlyList<MetricDataQuery> queries, DateTimeOffset startTime, DateTimeOffset endTime, ScanBy? scanBy = null,
            int? maxDatapoints = null, CancellationToken cancellationToken = default)
        {
            var results = queries.Select((q, i) =>
            {
                var period = q.MetricStat!.Period;
                var times = new List<DateTimeOffset>();
                for (var t = startTime; t < endTime; t = t.AddSeconds(period))
                {
                    times.Add(t);
                }
                return new MetricDataResult { Id = q.Id, Timestamps = times, Values = [.. times.Select((_, n) => (double)((n * 7919 + i) % 1000))], StatusCode = "Complete" };
            });
            return Task.FromResult(new MetricDataResponse { MetricDataResults = [.. results] });
        }
    }

    private static int Option(IReadOnlyList<string> options, string name, int fallback)
    {
        var index = options.ToList().IndexOf("--" + name);
        if (index < 0)
        {
            return fallback;
        }
        if (index + 1 >= options.Count || !int.TryParse(options[index + 1], CultureInfo.InvariantCulture, out var value) || value <= 0)
        {
            throw new ArgumentException($"--{name} needs a positive whole number, e.g. --{name} {fallback}.");
        }
        return value;
    }
}
