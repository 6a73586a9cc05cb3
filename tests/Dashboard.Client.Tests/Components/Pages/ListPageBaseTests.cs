using Bunit;
using Dashboard.Client.Components.Pages;
using Dashboard.Client.Feed;
using Dashboard.Client.Model;
using Dashboard.Client.Tests.Support;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;
using Microsoft.AspNetCore.Components.Web;

namespace Dashboard.Client.Tests.Components.Pages;

/// <summary>The one shape of a live list page, through the smallest page built on it.</summary>
public sealed class ListPageBaseTests : DashboardTestContext
{
    private static string[] Rows(IRenderedComponent<ProbePage> cut) => [.. cut.FindAll(".row").Select(r => r.GetAttribute("data-key")!)];

    [Fact]
    public void Shows_the_snapshot_then_applies_each_batch_with_a_render()
    {
        Feed.Services = [Objects.Service("mlops", "b"), Objects.Service("mlops", "a")];
        var cut = Render<ProbePage>();
        Assert.Equal(["mlops/a", "mlops/b"], Rows(cut));

        Feed.Push(FeedChange<ServiceViewModel>.Upsert("mlops/c", Objects.Service("mlops", "c")), FeedChange<ServiceViewModel>.Delete("mlops/a"));

        cut.WaitForAssertion(() => Assert.Equal(["mlops/b", "mlops/c"], Rows(cut)), Timeout);
    }

    [Fact]
    public void The_cursor_walks_the_rows_and_enter_hands_the_page_the_cursors_key()
    {
        Feed.Services = [Objects.Service("mlops", "a"), Objects.Service("mlops", "b"), Objects.Service("mlops", "c")];
        var cut = Render<ProbePage>();

        cut.Find("[data-testid=grid]").KeyDown(new KeyboardEventArgs { Key = "Enter" });
        cut.Find("[data-testid=grid]").KeyDown(new KeyboardEventArgs { Key = "End" });
        Assert.Equal("mlops/c", cut.Find(".cursor").GetAttribute("data-key"));
        cut.Find("[data-testid=grid]").KeyDown(new KeyboardEventArgs { Key = "k" });
        cut.Find("[data-testid=grid]").KeyDown(new KeyboardEventArgs { Key = "Enter" });
        cut.Find("[data-testid=grid]").KeyDown(new KeyboardEventArgs { Key = "x" });

        Assert.Equal([null, "mlops/b"], cut.Instance.Entered);
        Assert.Equal([("x", "mlops/b")], cut.Instance.OtherKeys);
    }

    [Fact]
    public void A_cursor_on_a_row_that_went_away_is_no_cursor()
    {
        Feed.Services = [Objects.Service("mlops", "a"), Objects.Service("mlops", "b")];
        var cut = Render<ProbePage>();
        cut.Find("[data-testid=grid]").KeyDown(new KeyboardEventArgs { Key = "End" });

        Feed.Push(FeedChange<ServiceViewModel>.Delete("mlops/b"));
        cut.WaitForAssertion(() => Assert.Equal(["mlops/a"], Rows(cut)), Timeout);
        cut.Find("[data-testid=grid]").KeyDown(new KeyboardEventArgs { Key = "Enter" });

        Assert.Equal([null], cut.Instance.Entered);
    }

    [Fact]
    public void Follows_its_own_url_only()
    {
        Navigation.NavigateTo("probe?q=a");
        var cut = Render<ProbePage>();

        Navigation.NavigateTo("services?q=b");
        Navigation.NavigateTo("probe?q=c");

        cut.WaitForAssertion(() => Assert.Equal(2, cut.Instance.Urls.Count), Timeout);
        Assert.EndsWith("probe?q=a", cut.Instance.Urls[0], StringComparison.Ordinal);
        Assert.EndsWith("probe?q=c", cut.Instance.Urls[1], StringComparison.Ordinal);
    }

    [Fact]
    public void A_failing_feed_is_shown_and_the_last_rows_stay()
    {
        Feed.Services = [Objects.Service("mlops", "a")];
        var cut = Render<ProbePage>();

        Feed.FailServices(new InvalidOperationException("connection lost"));

        cut.WaitForAssertion(() => Assert.Equal("connection lost", cut.Find(".feed-error").TextContent), Timeout);
        Assert.Equal(["mlops/a"], Rows(cut));
    }

    [Fact]
    public async Task Disposing_the_page_ends_its_subscription_and_stops_following_the_url()
    {
        var cut = Render<ProbePage>();

        await cut.Instance.DisposeAsync().AsTask().WaitAsync(Timeout);
        Navigation.NavigateTo("probe?q=later");

        Assert.True(Feed.ServicesToken.IsCancellationRequested);
        Assert.Single(cut.Instance.Urls);
    }

    /// <summary>A list page with nothing of its own: rows in key order, a grid that takes the keyboard.</summary>
    private sealed class ProbePage : ListPageBase<ServiceViewModel>
    {
        private readonly LiveList<ServiceViewModel> _items =
            new(static s => s.Key, static s => s.Namespace, Comparer<ServiceViewModel>.Create(static (a, b) => string.CompareOrdinal(a.Key, b.Key)));

        public List<string?> Entered { get; } = [];

        public List<(string Key, string? Cursor)> OtherKeys { get; } = [];

        public List<string> Urls { get; } = [];

        protected override string PagePath => "probe";

        protected override IFeed<ServiceViewModel> ListFeed => Feed.Services;

        protected override ILiveRows<ServiceViewModel> Rows => _items;

        protected override void OnUrlChanged(string uri) => Urls.Add(uri);

        protected override Task OnEnterAsync(string? cursor)
        {
            Entered.Add(cursor);
            return Task.CompletedTask;
        }

        protected override Task OnKeyAsync(string key, string? cursor)
        {
            OtherKeys.Add((key, cursor));
            return Task.CompletedTask;
        }

        protected override void BuildRenderTree(RenderTreeBuilder builder)
        {
            builder.OpenElement(0, "div");
            builder.AddAttribute(1, "data-testid", "grid");
            builder.AddAttribute(2, "onkeydown", EventCallback.Factory.Create<KeyboardEventArgs>(this, OnGridKeyDownAsync));
            builder.AddElementReferenceCapture(3, element => Grid = element);
            foreach (var item in _items.View)
            {
                builder.OpenElement(4, "div");
                builder.AddAttribute(5, "class", item.Key == CursorKey ? "row cursor" : "row");
                builder.AddAttribute(6, "data-key", item.Key);
                builder.CloseElement();
            }
            if (FeedError is not null)
            {
                builder.OpenElement(7, "p");
                builder.AddAttribute(8, "class", "feed-error");
                builder.AddContent(9, FeedError);
                builder.CloseElement();
            }
            builder.CloseElement();
        }
    }
}
