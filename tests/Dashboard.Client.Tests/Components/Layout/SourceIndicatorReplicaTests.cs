using System.Globalization;
using Bunit;
using Dashboard.Client.Components.Layout;
using Dashboard.Client.Localization;
using Dashboard.Client.Model;
using Dashboard.Client.Tests.Support;

namespace Dashboard.Client.Tests.Components.Layout;

/// <summary>
/// The Replicas chip says which replica polls and how old its published data is, on the chip itself (not only in its
/// tooltip) and in its accessible name, with a short form for a phone's top bar.
/// </summary>
public sealed class SourceIndicatorReplicaTests : DashboardTestContext
{
    private static SourceStatus Replicas(SourceState state, string polledBy, bool here, DateTimeOffset? publishedAt) => new()
    {
        Key = "replicas", DisplayName = "Replicas", State = state, PolledBy = polledBy, PolledHere = here, LastGoodAt = publishedAt,
    };

    private IRenderedComponent<SourceIndicator> RenderBoard(params SourceStatus[] sources)
    {
        var board = new SourceStatusBoard();
        board.Reset(sources);
        return Render<SourceIndicator>(p => p.Add(i => i.Board, board));
    }

    [Fact]
    public void A_follower_names_the_polling_replica_and_the_age_of_its_data_and_the_age_moves_with_the_clock()
    {
        var cut = RenderBoard(Replicas(SourceState.Live, "replica-a", here: false, Objects.Now.AddSeconds(-4)));

        var chip = cut.Find("[data-source='replicas'].source-chip");
        Assert.Equal("Replicas · Live · Polled by replica-a · 4 seconds ago", chip.GetAttribute("aria-label"));
        Assert.Equal("replica-a", cut.Find(".source-chip-poller").GetAttribute("data-poller"));
        Assert.Equal("· Polled by replica-a · 4 seconds ago", cut.Find(".source-chip-poller").TextContent.Trim());
        Assert.Equal("replica-a · 4s", cut.Find(".source-chip-poller-short").TextContent.Trim());

        Clock.Advance(TimeSpan.FromSeconds(10));

        cut.WaitForAssertion(() => Assert.Equal("replica-a · 14s", cut.Find(".source-chip-poller-short").TextContent.Trim()), Timeout);
        Assert.Contains("14 seconds ago", cut.Find("[data-source='replicas'].source-chip").GetAttribute("aria-label"), StringComparison.Ordinal);
    }

    [Fact]
    public void The_leader_says_this_replica_polls()
    {
        var cut = RenderBoard(Replicas(SourceState.Live, "replica-b", here: true, Objects.Now));

        Assert.Equal("Replicas · Live · this replica polls", cut.Find("[data-source='replicas'].source-chip").GetAttribute("aria-label"));
        Assert.Equal("· this replica polls", cut.Find(".source-chip-poller").TextContent.Trim());
        Assert.Equal("this replica polls", cut.Find(".source-chip-poller-short").TextContent.Trim());
        Assert.DoesNotContain("replica-b", cut.Find(".source-chip-poller").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void A_stale_publication_is_stale_and_says_how_old_it_is()
    {
        var cut = RenderBoard(Replicas(SourceState.Stale, "replica-a", here: false, Objects.Now.AddMinutes(-3)));

        var chip = cut.Find("[data-source='replicas'].source-chip");
        Assert.Equal("Stale", chip.GetAttribute("data-state"));
        Assert.Equal("Replicas · Stale · Polled by replica-a · 3 minutes ago", chip.GetAttribute("aria-label"));
        Assert.Equal("replica-a · 3m", cut.Find(".source-chip-poller-short").TextContent.Trim());
    }

    [Fact]
    public void Before_the_first_publication_the_follower_says_so()
    {
        var cut = RenderBoard(Replicas(SourceState.Live, "replica-a", here: false, publishedAt: null));

        Assert.Equal("· Polled by replica-a · nothing published yet", cut.Find(".source-chip-poller").TextContent.Trim());
        Assert.Equal("replica-a · –", cut.Find(".source-chip-poller-short").TextContent.Trim());
    }

    [Fact]
    public void Other_sources_have_no_poller_text()
    {
        var cut = RenderBoard(Objects.Source("kubernetes", SourceState.Live));

        Assert.Empty(cut.FindAll(".source-chip-poller"));
        Assert.Equal("Kubernetes API · Live", cut.Find("[data-source='kubernetes'].source-chip").GetAttribute("aria-label"));
    }

    [Fact]
    public void The_chip_is_in_vietnamese_for_a_vietnamese_viewer()
    {
        var (culture, uiCulture) = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(DashboardCultures.Vietnamese);
        try
        {
            var follower = RenderBoard(Replicas(SourceState.Live, "replica-a", here: false, Objects.Now.AddSeconds(-4)));
            Assert.Equal("· Do replica replica-a đọc AWS · cách đây 4 giây", follower.Find(".source-chip-poller").TextContent.Trim());

            var leader = RenderBoard(Replicas(SourceState.Live, "replica-b", here: true, Objects.Now));
            Assert.Equal("replica này đọc AWS", leader.Find(".source-chip-poller-short").TextContent.Trim());
        }
        finally
        {
            (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = (culture, uiCulture);
        }
    }
}
