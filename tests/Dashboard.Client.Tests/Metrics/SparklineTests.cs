using System.Collections.Immutable;
using Bunit;
using Dashboard.Client.Components.Pages.LoadBalancers;
using Dashboard.Client.Components.Pages.Triage;
using Dashboard.Client.Metrics;
using Dashboard.Client.Model;
using Dashboard.Client.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using static Dashboard.Client.Tests.Support.TopologyObjects;

namespace Dashboard.Client.Tests.Metrics;

/// <summary>
/// The sparklines of the Load balancers list and the Triage page: the rows on screen are read in ONE call, a minute
/// later all of them again in one call; gaps, errors, staleness and unknown names are shown as such.
/// </summary>
public class SparklineTests : DashboardTestContext
{
    private readonly RecordingReader _reader = new();

    private Support.TestDashboardFeed Topology => Feed;

    public SparklineTests()
    {
        Services.AddSingleton<ISparklineReader>(_reader);
        RenderPopoverProvider();
        Topology.LoadBalancers =
        [
            ShopAlb(Target("10.0.2.7", "healthy")),
            Balancer("k8s-mlops-forecast-nlb", owner: ForecastNlbService),
            Balancer("k8s-gateway", type: "gateway"),
        ];
    }

    [Fact]
    public void Rows_on_screen_are_read_in_one_call_and_drawn_with_gaps_and_error_bars()
    {
        var cut = Render<LoadBalancersPage>();

        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid='sparkline'][data-state='fresh']").Count), Timeout);
        var call = Assert.Single(_reader.Calls);
        // A gateway balancer publishes no ELB request metrics: it is not asked for.
        Assert.Equal(["k8s-mlops-forecast-nlb", "k8s-shop-0123456789"], call.Select(t => t.Key).Order(StringComparer.Ordinal));
        var alb = cut.Find("[data-name='k8s-shop-0123456789'] [data-testid='sparkline']");
        // 100 requests a minute for 50 of 60 minutes, a 10-minute gap drawn as two line segments, 5xx in two minutes.
        Assert.Equal("5000", alb.GetAttribute("data-requests"));
        Assert.Equal(2, alb.QuerySelectorAll("polyline").Length);
        Assert.Equal(2, alb.QuerySelectorAll(".sparkline-error-bar").Length);
        Assert.Equal("0.4%", alb.QuerySelector(".sparkline-text")!.TextContent);
        var label = alb.GetAttribute("aria-label")!;
        Assert.Contains("5,000 requests, 20 5xx (0.4 %)", label, StringComparison.Ordinal);
        Assert.Contains("10 minutes without traffic drawn as gaps", label, StringComparison.Ordinal);
        Assert.Contains("may still be arriving", label, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-name='k8s-gateway'] [data-testid='sparkline']"));
    }

    [Fact]
    public void A_minute_later_every_row_is_read_again_in_one_call_and_a_failed_read_is_marked_stale()
    {
        var cut = Render<LoadBalancersPage>();
        cut.WaitForAssertion(() => Assert.Single(_reader.Calls), Timeout);

        _reader.Stale = "throttled by CloudWatch";
        Clock.Advance(SparklineBoard.RefreshInterval);

        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid='sparkline'][data-state='stale']").Count), Timeout);
        Assert.Equal(2, _reader.Calls.Count);
        Assert.Equal(2, _reader.Calls[1].Count);
        Assert.Contains("STALE: the last read failed (throttled by CloudWatch)",
            cut.Find("[data-name='k8s-shop-0123456789'] [data-testid='sparkline']").GetAttribute("title"), StringComparison.Ordinal);
    }

    [Fact]
    public void Triage_groups_show_their_own_target_groups_line_read_together()
    {
        Topology.Triage =
        [
            Item(ForecastIngress, "10.0.1.5", TriageSeverity.Degraded),
            Item(new ObjectRef(ObjectKind.Service, "shop", "checkout"), "10.0.3.1", TriageSeverity.Outage, loadBalancer: "k8s-shop-checkout"),
        ];

        var cut = Render<TriagePage>();

        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid='triage-sparklines'] [data-testid='sparkline']").Count), Timeout);
        var call = Assert.Single(_reader.Calls);
        Assert.Equal(["k8s-shop-0123456789/k8s-mlops-retailfo-7c1d2e3f4a", "k8s-shop-checkout/k8s-mlops-retailfo-7c1d2e3f4a"],
            call.Select(t => t.Key).Order(StringComparer.Ordinal));
        Assert.Contains("target 5xx", cut.Find("[data-testid='triage-sparklines'] [data-testid='sparkline']").GetAttribute("aria-label"), StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_balancer_says_why_instead_of_a_line()
    {
        _reader.Unknown = "k8s-mlops-forecast-nlb";

        var cut = Render<LoadBalancersPage>();

        cut.WaitForAssertion(() => Assert.Equal("error", cut.Find("[data-name='k8s-mlops-forecast-nlb'] [data-testid='sparkline']").GetAttribute("data-state")), Timeout);
        Assert.Contains("no load balancer named", cut.Find("[data-name='k8s-mlops-forecast-nlb'] [data-testid='sparkline']").GetAttribute("title"), StringComparison.Ordinal);
    }

    /// <summary>Answers every line with the same hour: 100 requests a minute except a 10-minute gap, 5xx in two minutes.</summary>
    private sealed class RecordingReader : ISparklineReader
    {
        public List<List<SparklineTarget>> Calls { get; } = [];

        public string? Stale { get; set; }

        public string? Unknown { get; set; }

        public Task<SparklineSet> ReadSparklinesAsync(IReadOnlyCollection<SparklineTarget> targets, CancellationToken cancellationToken)
        {
            lock (Calls)
            {
                Calls.Add([.. targets]);
            }
            var end = Objects.Now;
            var start = end.AddHours(-1);
            var times = Enumerable.Range(0, 60).Where(m => m is < 20 or >= 30).Select(m => start.AddMinutes(m).ToUnixTimeSeconds()).ToImmutableArray();
            var lines = targets.Select(t => t.LoadBalancer == Unknown
                ? new Sparkline { Target = t, Error = $"no load balancer named '{t.LoadBalancer}' is known in this region." }
                : new Sparkline
                {
                    Target = t,
                    Type = "application",
                    Start = start,
                    End = end,
                    ReadAt = end,
                    StaleReason = Stale,
                    Requests = new MetricSeries("requests", "requests", times, [.. times.Select(_ => 100.0)]),
                    Errors = new MetricSeries("errors", "errors", times, [.. times.Select((_, i) => i is 3 or 40 ? 10.0 : 0)]),
                }).ToImmutableArray();
            return Task.FromResult(new SparklineSet { Start = start, End = end, ReadAt = end, StaleReason = Stale, Lines = lines });
        }
    }
}
