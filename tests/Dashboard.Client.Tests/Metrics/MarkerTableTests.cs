using System.Collections.Immutable;
using System.Globalization;
using Bunit;
using Dashboard.Client.Changes;
using Dashboard.Client.Components.Metrics;
using Dashboard.Client.Localization;
using Dashboard.Client.Metrics;
using Dashboard.Client.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Dashboard.Client.Tests.Metrics;

/// <summary>
/// "View as tables" lists the chart markers too — the cluster's changes and the dashboard's own actions — with time, kind,
/// text and link, so keyboard and screen-reader users reach what the canvases only show on hover.
/// </summary>
public sealed class MarkerTableTests : DashboardTestContext
{
    private static readonly DateTimeOffset Now = Objects.Now;

    private readonly ViewReader _reader = new();

    public MarkerTableTests()
    {
        Services.AddSingleton<IMetricsReader>(_reader);
        RenderPopoverProvider();
    }

    private static TimelineMarker Rollout => new(Now.AddMinutes(-20), "rollout", "ScalingReplicaSet · Deployment/checkout: Scaled up to 3", "/objects/apps/deployments/shop/checkout");

    private static TimelineMarker Applied
    {
        get
        {
            var say = LocalText.Of("Marker.ChangeApplied", "olivia", "reconfigure", "healthcheck-path /ready → /healthz");
            return new TimelineMarker(Now.AddMinutes(-10), ActionMarkers.Change, say.English, ChangeUrls.Change("c-42")) { Say = say };
        }
    }

    private IRenderedComponent<MetricsSection> RenderSection()
    {
        // The read carries the dashboard's own action and a copy of the cluster's marker (the page's live feed is used for
        // those, so it must not be listed twice); a marker long before the range is not listed.
        _reader.Markers = [Applied, Rollout];
        var cut = Render<MetricsSection>(p => p
            .Add(s => s.LoadBalancer, "k8s-shop-0123456789")
            .Add(s => s.Markers, [Rollout, new TimelineMarker(Now.AddDays(-5), "warning", "BackOff · Pod/checkout-1: restarting", null)]));
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid='metric-chart']")), Timeout);
        return cut;
    }

    [Fact]
    public void Table_view_lists_every_marker_of_the_range_with_time_kind_text_and_link()
    {
        var cut = RenderSection();
        Assert.Empty(cut.FindAll("[data-testid='metric-markers-table']"));

        cut.Find("[data-testid='metrics-table-toggle']").Click();

        var rows = cut.FindAll("[data-testid='metric-marker-row']");
        Assert.Equal(2, rows.Count);
        Assert.Equal(["rollout", "change"], rows.Select(r => r.GetAttribute("data-kind")));
        var cells = rows[0].QuerySelectorAll("td").Select(c => c.TextContent.Trim()).ToList();
        Assert.Equal("2025-06-01 11:40:00", cells[0]);
        Assert.Equal("Rollout", cells[1]);
        Assert.Equal(Rollout.Text, cells[2]);
        Assert.Equal(Rollout.Href, rows[0].QuerySelector("a")!.GetAttribute("href"));
        cells = [.. rows[1].QuerySelectorAll("td").Select(c => c.TextContent.Trim())];
        Assert.Equal("2025-06-01 11:50:00", cells[0]);
        Assert.Equal("Guided change", cells[1]);
        Assert.Equal("olivia applied reconfigure: healthcheck-path /ready → /healthz", cells[2]);
        Assert.Equal("changes/new?change=c-42", rows[1].QuerySelector("a")!.GetAttribute("href"));
        Assert.Contains("(2)", cut.Find("#metric-markers-title").TextContent, StringComparison.Ordinal);

        // Back to charts: the table goes, the canvases' note comes back.
        cut.Find("[data-testid='metrics-table-toggle']").Click();
        Assert.Empty(cut.FindAll("[data-testid='metric-markers-table']"));
    }

    [Fact]
    public void A_range_without_markers_says_so_and_a_vietnamese_viewer_reads_the_table_in_vietnamese()
    {
        var (culture, ui) = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(DashboardCultures.Vietnamese);
        try
        {
            var cut = RenderSection();
            cut.Find("[data-testid='metrics-table-toggle']").Click();

            var rows = cut.FindAll("[data-testid='metric-marker-row']");
            Assert.Equal("Triển khai", rows[0].QuerySelectorAll("td")[1].TextContent.Trim());
            Assert.Equal("Thay đổi có hướng dẫn", rows[1].QuerySelectorAll("td")[1].TextContent.Trim());
            Assert.Equal("olivia đã áp dụng reconfigure: healthcheck-path /ready → /healthz", rows[1].QuerySelectorAll("td")[2].TextContent.Trim());
            Assert.Contains("Thay đổi trên dòng thời gian", cut.Find("#metric-markers-title").TextContent, StringComparison.Ordinal);
        }
        finally
        {
            (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = (culture, ui);
        }

        _reader.Markers = [];
        var empty = Render<MetricsSection>(p => p.Add(s => s.LoadBalancer, "k8s-shop-0123456789"));
        empty.WaitForAssertion(() => Assert.NotEmpty(empty.FindAll("[data-testid='metric-chart']")), Timeout);
        empty.Find("[data-testid='metrics-table-toggle']").Click();
        Assert.Empty(empty.FindAll("[data-testid='metric-marker-row']"));
        Assert.Equal("No changes in this range.", empty.Find("[data-testid='metric-markers-none']").TextContent);
    }

    /// <summary>Answers every read with one chart over the asked range and the markers set.</summary>
    private sealed class ViewReader : IMetricsReader
    {
        public ImmutableArray<TimelineMarker> Markers { get; set; } = [];

        public Task<MetricsView> ReadAsync(MetricsRequest request, CancellationToken cancellationToken)
        {
            var definition = MetricCatalog.Application[0];
            var t = request.Start.ToUnixTimeSeconds();
            var series = new MetricSeries("q0", definition.Series[0].Label, [t, t + 60], [100, 120]);
            return Task.FromResult(new MetricsView
            {
                LoadBalancer = request.LoadBalancer,
                Type = "application",
                Start = request.Start,
                End = request.End,
                Period = 60,
                Charts = [new MetricChart(definition, [series], [])],
                Markers = Markers,
                ReadAt = Now,
            });
        }
    }
}
