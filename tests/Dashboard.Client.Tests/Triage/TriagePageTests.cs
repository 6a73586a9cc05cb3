using Bunit;
using Dashboard.Client.Components.Pages.Triage;
using Dashboard.Client.Feed;
using Dashboard.Client.Model;
using Dashboard.Client.Tests.Support;
using Microsoft.AspNetCore.Components.Web;
using static Dashboard.Client.Tests.Support.TopologyObjects;

namespace Dashboard.Client.Tests.Triage;

public class TriagePageTests : TopologyTestContext
{
    private static readonly ObjectRef Checkout = new(ObjectKind.Service, "shop", "checkout");

    private static string[] Targets(IRenderedComponent<TriagePage> cut) =>
        [.. cut.FindAll("[data-testid='triage-item']").Select(e => e.GetAttribute("data-target")!)];

    private static string[] Groups(IRenderedComponent<TriagePage> cut) =>
        [.. cut.FindAll("[data-testid='triage-group']").Select(e => e.GetAttribute("data-endpoint")!)];

    [Fact]
    public void Shows_items_grouped_by_endpoint_outage_first_with_reason_time_in_state_and_diagnosis()
    {
        Topology.Triage =
        [
            Item(ForecastIngress, "10.0.1.5", TriageSeverity.Degraded, since: Objects.Now.AddMinutes(-7)),
            Item(Checkout, "10.0.3.1", TriageSeverity.Outage),
            Item(Checkout, "10.0.3.2", TriageSeverity.Outage),
        ];

        var cut = Render<TriagePage>();

        Assert.Equal(["service/shop/checkout", "ingress/mlops/retail-forecast"], Groups(cut));
        Assert.Equal(["10.0.3.1:8080", "10.0.3.2:8080", "10.0.1.5:8080"], Targets(cut));
        var first = cut.Find("[data-testid='triage-group']");
        Assert.Contains("Outage", first.QuerySelector(".severity-chip")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("endpoints/service/shop/checkout", first.QuerySelector("[data-testid='endpoint-link']")!.GetAttribute("href"));
        var item = cut.Find("[data-target='10.0.1.5:8080']");
        Assert.Equal("Target.ResponseCodeMismatch", item.QuerySelector("[data-testid='reason']")!.TextContent);
        Assert.Contains("for 7m", item.TextContent, StringComparison.Ordinal);
        Assert.Contains("Health check gets HTTP 500 from the pod", item.QuerySelector("[data-testid='diagnosis']")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("Pod at 10.0.1.5 answers 500", item.QuerySelector(".evidence")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("Make /healthz answer 200.", item.QuerySelector(".fix")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void An_item_pushed_later_appears_and_a_delete_removes_it_without_reload()
    {
        Topology.Triage = [Item(Checkout, "10.0.3.1", TriageSeverity.Degraded)];
        var cut = Render<TriagePage>();

        var pushed = Item(ForecastIngress, "10.0.1.5", TriageSeverity.Outage);
        Topology.Push(FeedChange<TriageItem>.Upsert(pushed.Key, pushed));

        cut.WaitForAssertion(() => Assert.Equal(["10.0.1.5:8080", "10.0.3.1:8080"], Targets(cut)), Timeout);
        Assert.Equal("ingress/mlops/retail-forecast", Groups(cut)[0]);

        Topology.Push(FeedChange<TriageItem>.Delete(pushed.Key));
        cut.WaitForAssertion(() => Assert.Equal(["10.0.3.1:8080"], Targets(cut)), Timeout);
        Assert.Equal(["service/shop/checkout"], Groups(cut));
    }

    [Fact]
    public void With_nothing_unhealthy_it_says_how_many_targets_are_healthy_as_of_when_and_follows_the_balancers()
    {
        Topology.LoadBalancers =
        [
            Balancer("a", healthy: 3, total: 3, asOf: Objects.Now.AddSeconds(-30)),
            Balancer("b", healthy: 9, total: 9, asOf: Objects.Now.AddSeconds(-5)),
        ];
        var cut = Render<TriagePage>();

        Assert.Equal("All 12 targets healthy as of 11:59:30 UTC", cut.Find("[data-testid='triage-empty']").TextContent.Trim());

        var c = Balancer("c", healthy: 4, total: 4, asOf: Objects.Now.AddSeconds(-40));
        Topology.Push(FeedChange<LoadBalancerViewModel>.Upsert(c.Key, c));
        cut.WaitForAssertion(() =>
            Assert.Equal("All 16 targets healthy as of 11:59:20 UTC", cut.Find("[data-testid='triage-empty']").TextContent.Trim()), Timeout);

        var item = Item(Checkout, "10.0.3.1", TriageSeverity.Degraded);
        Topology.Push(FeedChange<TriageItem>.Upsert(item.Key, item));
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-testid='triage-empty']")), Timeout);
        Assert.Contains("1 of 16 targets not healthy", cut.Find("[data-testid='triage-counts']").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void While_AWS_is_stale_the_empty_board_does_not_say_all_healthy_but_what_is_not_known_since_when()
    {
        Topology.LoadBalancers = [Balancer("a", healthy: 3, total: 3, asOf: Objects.Now.AddSeconds(-30))];
        Feed.Sources = [new SourceStatus
        {
            Key = "aws", DisplayName = "AWS", State = SourceState.Stale, LastGoodAt = new DateTimeOffset(2025, 6, 11, 16, 26, 0, TimeSpan.Zero),
            Message = "AWS Elastic Load Balancing refused DescribeTargetHealth with HTTP 400 Throttling: Rate exceeded",
        }];
        var cut = Render<TriagePage>();

        var empty = cut.Find("[data-testid='triage-empty']");
        Assert.Equal("false", empty.GetAttribute("data-known"));
        Assert.DoesNotContain("All 3 targets healthy", empty.TextContent, StringComparison.Ordinal);
        Assert.Contains("AWS data is stale since 16:26:00 UTC", empty.TextContent, StringComparison.Ordinal);
        Assert.Contains("Throttling", empty.TextContent, StringComparison.Ordinal);

        var live = new SourceStatus { Key = "aws", DisplayName = "AWS", State = SourceState.Live, LastGoodAt = Objects.Now };
        Feed.Push(FeedChange<SourceStatus>.Upsert(live.Key, live));
        cut.WaitForAssertion(() =>
            Assert.Equal("All 3 targets healthy as of 11:59:30 UTC", cut.Find("[data-testid='triage-empty']").TextContent.Trim()), Timeout);
    }

    [Fact]
    public void A_pod_not_serving_is_counted_apart_from_targets_and_a_fix_shows_the_object_and_command()
    {
        Topology.LoadBalancers = [Balancer("a", healthy: 2, total: 2)];
        var pod = Item(Checkout, "10.0.3.9", TriageSeverity.Degraded) with
        {
            Kind = TriageItemKind.Pod,
            Diagnosis = new Diagnosis("ReadinessProbeFailing", "Pod checkout-1 is running but fails its readiness probe", ["readiness probe: GET /ready on port 8080"],
                "Read its log tail.")
            {
                FixObject = new ObjectRef(ObjectKind.Service, "shop", "checkout"),
                FixCommand = "kubectl -n shop patch service checkout --type merge -p '{}'",
            },
        };
        Topology.Triage = [pod];
        var cut = Render<TriagePage>();

        var counts = System.Text.RegularExpressions.Regex.Replace(cut.Find("[data-testid='triage-counts'] > .muted").TextContent, @"\s+", " ").Trim();
        Assert.Equal("0 of 2 targets not healthy, 1 pod not serving across 1 endpoint", counts);
        Assert.Contains("1 pod not serving", cut.Find("[data-testid='triage-group']").TextContent, StringComparison.Ordinal);
        Assert.Equal("Pod", cut.Find("[data-testid='triage-item']").GetAttribute("data-kind"));
        Assert.Equal("Service/shop/checkout", cut.Find("[data-testid='fix-object']").GetAttribute("data-object"));
        Assert.Equal("kubectl -n shop patch service checkout --type merge -p '{}'", cut.Find("[data-testid='fix-command']").TextContent);
    }

    [Fact]
    public void A_diagnosis_repeated_within_a_group_is_shortened_to_a_reference_keeping_the_target_own_evidence()
    {
        var first = Item(Checkout, "10.0.3.1", TriageSeverity.Outage, since: Objects.Now.AddMinutes(-9));
        // Same code and title; the evidence names each target's own pod, as the server builds it.
        var other = Item(Checkout, "10.0.3.5", TriageSeverity.Outage, since: Objects.Now.AddMinutes(-6));
        var otherDiagnosis = other.Diagnosis with { Code = "target-timeout", Title = "Health check times out", Evidence = ["Pod at 10.0.3.5 times out"] };
        Topology.Triage =
        [
            first,
            Item(Checkout, "10.0.3.2", TriageSeverity.Outage, since: Objects.Now.AddMinutes(-8)),
            Item(Checkout, "10.0.3.3", TriageSeverity.Outage, since: Objects.Now.AddMinutes(-7)),
            other with { Diagnosis = otherDiagnosis },
        ];
        var cut = Render<TriagePage>();

        Assert.Equal(4, cut.FindAll("[data-testid='triage-item'] [data-testid='diagnosis']").Count);
        Assert.Equal(4, cut.FindAll("[data-testid='triage-item'] [data-testid='reason']").Count);
        var full = cut.Find("[data-target='10.0.3.1:8080'] [data-testid='diagnosis']");
        Assert.Contains("Health check gets HTTP 500 from the pod", full.TextContent, StringComparison.Ordinal);
        Assert.Contains("Pod at 10.0.3.1 answers 500", full.QuerySelector(".evidence")!.TextContent, StringComparison.Ordinal);
        Assert.NotNull(full.QuerySelector(".fix"));

        foreach (var ip in new[] { "10.0.3.2", "10.0.3.3" })
        {
            var repeat = cut.Find($"[data-target='{ip}:8080'] [data-testid='diagnosis']");
            Assert.Contains("same diagnosis as 10.0.3.1:8080", repeat.TextContent, StringComparison.Ordinal);
            Assert.Null(repeat.QuerySelector(".evidence"));
            Assert.Null(repeat.QuerySelector(".fix"));
            Assert.Equal($"Pod at {ip} answers 500", repeat.QuerySelector("[data-testid='evidence-short']")!.TextContent.Trim());
        }

        // A different diagnosis in the same group is shown in full again.
        var different = cut.Find("[data-target='10.0.3.5:8080'] [data-testid='diagnosis']");
        Assert.Contains("Pod at 10.0.3.5 times out", different.QuerySelector(".evidence")!.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("same diagnosis", different.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void The_namespace_in_the_url_keeps_that_namespace_endpoints_and_their_counts()
    {
        Topology.Triage = [Item(Checkout, "10.0.3.1", TriageSeverity.Outage), Item(ForecastIngress, "10.0.1.5", TriageSeverity.Degraded)];
        Navigation.NavigateTo("triage?namespace=mlops");

        var cut = Render<TriagePage>();

        Assert.Equal(["ingress/mlops/retail-forecast"], Groups(cut));
        Assert.Equal(["10.0.1.5:8080"], Targets(cut));
        Assert.DoesNotContain("Outage", cut.Find("[data-testid='triage-counts']").TextContent, StringComparison.Ordinal);

        Navigation.NavigateTo("triage");
        cut.WaitForAssertion(() => Assert.Equal(["service/shop/checkout", "ingress/mlops/retail-forecast"], Groups(cut)), Timeout);
    }

    [Fact]
    public void A_large_outage_shows_the_first_items_until_expanded()
    {
        Topology.Triage = [.. Enumerable.Range(1, 25).Select(i => Item(Checkout, $"10.0.3.{i}", TriageSeverity.Outage))];
        var cut = Render<TriagePage>();

        Assert.Equal(TriageBoard.CollapsedCount, Targets(cut).Length);

        cut.Find(".show-more").Click();

        Assert.Equal(25, Targets(cut).Length);
    }

    [Fact]
    public void Keyboard_moves_the_cursor_over_items_and_enter_opens_the_endpoint()
    {
        Topology.Triage = [Item(Checkout, "10.0.3.1", TriageSeverity.Outage), Item(ForecastIngress, "10.0.1.5", TriageSeverity.Degraded)];
        var cut = Render<TriagePage>();

        cut.Find("[data-testid='triage-list']").KeyDown(new KeyboardEventArgs { Key = "j" });
        cut.Find("[data-testid='triage-list']").KeyDown(new KeyboardEventArgs { Key = "j" });
        Assert.Equal("10.0.1.5:8080", cut.Find(".item-cursor").GetAttribute("data-target"));

        cut.Find("[data-testid='triage-list']").KeyDown(new KeyboardEventArgs { Key = "Enter" });

        Assert.EndsWith("/endpoints/ingress/mlops/retail-forecast", Navigation.Uri, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Disposing_the_page_cancels_its_subscriptions()
    {
        var cut = Render<TriagePage>();
        Assert.False(Topology.TriageToken.IsCancellationRequested);

        await cut.Instance.DisposeAsync().AsTask().WaitAsync(Timeout);

        Assert.True(Topology.TriageToken.IsCancellationRequested);
    }
}
