using Dashboard.Client.Feed;
using Dashboard.Client.Model;
using Dashboard.Client.Tests.Support;
using static Dashboard.Client.Tests.Support.TopologyObjects;

namespace Dashboard.Client.Tests.Triage;

public class TriageBoardTests
{
    private static readonly ObjectRef Checkout = new(ObjectKind.Service, "shop", "checkout");
    private static readonly ObjectRef Api = new(ObjectKind.Ingress, "alpha", "api");

    [Fact]
    public void Groups_by_endpoint_most_severe_group_first_then_by_endpoint()
    {
        var board = new TriageBoard();
        board.Reset(
        [
            Item(Api, "10.0.9.1", TriageSeverity.Notice),
            Item(Checkout, "10.0.3.1", TriageSeverity.Outage),
            Item(ForecastIngress, "10.0.1.5", TriageSeverity.Degraded),
            Item(Api, "10.0.9.2", TriageSeverity.Degraded),
            Item(ForecastNlbService, "10.0.4.4", TriageSeverity.Stuck),
        ]);

        // Degraded ties between alpha/api and mlops/retail-forecast are broken by namespace.
        Assert.Equal(
            ["Service/shop/checkout", "Ingress/alpha/api", "Ingress/mlops/retail-forecast", "Service/mlops/retail-forecast-nlb"],
            board.Groups.Select(g => g.Key));
        Assert.Equal([TriageSeverity.Outage, TriageSeverity.Degraded, TriageSeverity.Degraded, TriageSeverity.Stuck], board.Groups.Select(g => g.Severity));
        var api = board.Groups[1];
        Assert.Equal(["10.0.9.2", "10.0.9.1"], api.Items.Select(i => i.Target.Id));
        Assert.Equal(5, board.Count);
    }

    [Fact]
    public void The_cursors_rows_are_the_shown_items_in_display_order_and_expanding_a_group_adds_its_rest()
    {
        var board = new TriageBoard();
        board.Reset(
        [
            .. Enumerable.Range(1, TriageBoard.CollapsedCount + 2).Select(i => Item(Api, $"10.0.9.{i}", TriageSeverity.Degraded)),
            Item(Checkout, "10.0.3.1", TriageSeverity.Outage),
        ]);
        var hidden = board.Groups[1].Items[^1].Key;

        Assert.Equal(1 + TriageBoard.CollapsedCount, board.RowCount);
        Assert.Equal(board.Groups[0].Items[0].Key, board.KeyAt(0));
        Assert.Equal(-1, board.IndexOf(hidden));

        board.Expand(Api.Key);

        Assert.True(board.IsExpanded(Api.Key));
        Assert.Equal(board.Count, board.RowCount);
        Assert.Equal(board.Count - 1, board.IndexOf(hidden));
        Assert.Equal(hidden, board.KeyAt(board.Count - 1));
    }

    [Fact]
    public void Within_a_group_the_longest_in_state_comes_first_and_unknown_since_last()
    {
        var groups = TriageBoard.Group(
        [
            Item(Checkout, "10.0.3.1", TriageSeverity.Degraded, since: Objects.Now.AddMinutes(-1)),
            Item(Checkout, "10.0.3.2", TriageSeverity.Degraded, since: Objects.Now.AddHours(-2)),
            Item(Checkout, "10.0.3.3", TriageSeverity.Degraded) with { Target = Target("10.0.3.3", "unhealthy") with { Since = null } },
        ]);

        Assert.Equal(["10.0.3.2", "10.0.3.1", "10.0.3.3"], Assert.Single(groups).Items.Select(i => i.Target.Id));
    }

    [Fact]
    public void Applying_changes_regroups_and_a_delete_removes_the_group_when_it_empties()
    {
        var board = new TriageBoard();
        board.Reset([Item(Api, "10.0.9.1", TriageSeverity.Degraded)]);
        var first = board.Groups;

        var outage = Item(Checkout, "10.0.3.1", TriageSeverity.Outage);
        board.Apply([FeedChange<TriageItem>.Upsert(outage.Key, outage)]);

        Assert.NotSame(first, board.Groups);
        Assert.Equal(["Service/shop/checkout", "Ingress/alpha/api"], board.Groups.Select(g => g.Key));

        board.Apply([FeedChange<TriageItem>.Delete(outage.Key)]);
        Assert.Equal(["Ingress/alpha/api"], board.Groups.Select(g => g.Key));
        Assert.Equal(1, board.Count);
    }

    [Fact]
    public void An_upsert_of_a_known_target_replaces_it_and_moves_its_group()
    {
        var board = new TriageBoard();
        var item = Item(Api, "10.0.9.1", TriageSeverity.Notice);
        board.Reset([item, Item(Checkout, "10.0.3.1", TriageSeverity.Degraded)]);
        Assert.Equal("Service/shop/checkout", board.Groups[0].Key);

        board.Apply([FeedChange<TriageItem>.Upsert(item.Key, item with { Severity = TriageSeverity.Outage })]);

        Assert.Equal(2, board.Count);
        Assert.Equal("Ingress/alpha/api", board.Groups[0].Key);
        Assert.Equal(TriageSeverity.Outage, board.Groups[0].Severity);
        Assert.Equal(1, board.CountBySeverity()[TriageSeverity.Outage]);
    }

    [Fact]
    public void A_group_lists_its_balancers_and_the_oldest_read()
    {
        var older = Item(Api, "10.0.9.1", TriageSeverity.Degraded, loadBalancer: "lb-b") with { AsOf = Objects.Now.AddMinutes(-3) };
        var group = Assert.Single(TriageBoard.Group([older, Item(Api, "10.0.9.2", TriageSeverity.Degraded, loadBalancer: "lb-a")]));

        Assert.Equal(["lb-a", "lb-b"], group.LoadBalancers.ToArray());
        Assert.Equal(Objects.Now.AddMinutes(-3), group.AsOf);
    }
}
