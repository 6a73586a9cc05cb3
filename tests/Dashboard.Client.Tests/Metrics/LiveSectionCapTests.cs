using Bunit;
using Dashboard.Client.Components.Metrics;
using Dashboard.Client.Metrics;
using Dashboard.Client.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Dashboard.Client.Tests.Metrics;

/// <summary>
/// One user keeps at most <see cref="LiveSections.PerUser"/> Metrics sections live (each re-reads CloudWatch every minute);
/// the next one shows its charts, says why it does not refresh, and closing sections frees their places.
/// </summary>
public sealed class LiveSectionCapTests : DashboardTestContext
{
    private readonly LiveSections _sections = new();

    public LiveSectionCapTests()
    {
        Services.AddSingleton(_sections);
        Services.AddSingleton<IMetricsReader>(new OneChartReader());
        RenderPopoverProvider();
    }

    private IRenderedComponent<MetricsSection> Section(string name) => Render<MetricsSection>(p => p.Add(s => s.LoadBalancer, name));

    [Fact]
    public async Task Past_the_cap_a_section_is_not_live_and_says_why_until_sections_close()
    {
        var open = Enumerable.Range(0, LiveSections.PerUser).Select(i => Section("k8s-shop-" + i)).ToList();
        open[^1].WaitForAssertion(() => Assert.Equal(LiveSections.PerUser, _sections.Open("on-call")), Timeout);
        Assert.All(open, s => Assert.Empty(s.FindAll("[data-testid='metrics-live-capped']")));

        var extra = Section("k8s-shop-extra");

        extra.WaitForAssertion(() => Assert.Contains($"{LiveSections.PerUser} live Metrics sections", extra.Find("[data-testid='metrics-live-capped']").TextContent, StringComparison.Ordinal), Timeout);
        Assert.NotEmpty(extra.FindAll("[data-testid='metric-chart']"));
        Assert.Equal(LiveSections.PerUser, _sections.Open("on-call"));
        // Another user is not held back by this one's tabs.
        using (var other = _sections.TryEnter("olivia"))
        {
            Assert.NotNull(other);
        }

        await DisposeComponentsAsync();
        Assert.Equal(0, _sections.Open("on-call"));
        var again = Section("k8s-shop-again");
        again.WaitForAssertion(() => Assert.Equal(1, _sections.Open("on-call")), Timeout);
        Assert.Empty(again.FindAll("[data-testid='metrics-live-capped']"));
    }

    /// <summary>Answers every read with one chart over the asked range.</summary>
    private sealed class OneChartReader : IMetricsReader
    {
        public Task<MetricsView> ReadAsync(MetricsRequest request, CancellationToken cancellationToken)
        {
            var definition = MetricCatalog.Application[0];
            var t = request.Start.ToUnixTimeSeconds();
            return Task.FromResult(new MetricsView
            {
                LoadBalancer = request.LoadBalancer,
                Type = "application",
                Start = request.Start,
                End = request.End,
                Period = 60,
                Charts = [new MetricChart(definition, [new MetricSeries("q0", definition.Series[0].Label, [t], [1])], [])],
            });
        }
    }
}
