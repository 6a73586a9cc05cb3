using Dashboard.Client.Model;
using static Dashboard.Client.Tests.Support.TopologyObjects;

namespace Dashboard.Client.Tests.LoadBalancers;

public class LoadBalancerListModelTests
{
    private static LoadBalancerListModel Model(params LoadBalancerViewModel[] balancers)
    {
        var model = new LoadBalancerListModel();
        model.Items.Reset(balancers);
        return model;
    }

    private static string[] Names(LoadBalancerListModel model) => [.. model.Items.View.Select(lb => lb.Name)];

    [Fact]
    public void Filters_by_type_scheme_every_chosen_flag_and_search_terms()
    {
        var model = Model(
            ShopAlb(Target("10.0.1.5", "unhealthy", "Target.Timeout")),
            Balancer("nlb-internal", owner: ForecastNlbService),
            Balancer("nlb-public", scheme: "internet-facing", flags: LoadBalancerFlags.Orphan | LoadBalancerFlags.Drift),
            Balancer("alb-orphan", type: "application", flags: LoadBalancerFlags.Orphan));

        model.SetQuery(LoadBalancerQuery.Parse("?type=nlb"));
        Assert.Equal(["nlb-internal", "nlb-public"], Names(model));

        model.SetQuery(LoadBalancerQuery.Parse("?scheme=internet-facing"));
        Assert.Equal(["k8s-shop-0123456789", "nlb-public"], Names(model));

        model.SetQuery(LoadBalancerQuery.Parse("?flags=orphan"));
        Assert.Equal(["alb-orphan", "nlb-public"], Names(model));

        model.SetQuery(LoadBalancerQuery.Parse("?flags=orphan,drift"));
        Assert.Equal(["nlb-public"], Names(model));

        // Owners and target groups are searchable: "who owns this balancer?" and "where is that target group?".
        model.SetQuery(LoadBalancerQuery.Parse("?q=mlops/retail-forecast-nlb"));
        Assert.Equal(["nlb-internal"], Names(model));
        model.SetQuery(LoadBalancerQuery.Parse("?q=retailfo-7c1d"));
        Assert.Equal(["k8s-shop-0123456789"], Names(model));
    }

    [Fact]
    public void Sorting_by_targets_puts_the_largest_unhealthy_share_first()
    {
        var model = Model(
            Balancer("half", healthy: 2, total: 4),
            Balancer("fine", healthy: 4, total: 4),
            Balancer("down", healthy: 0, total: 3),
            Balancer("empty", healthy: 0, total: 0));

        model.SetQuery(LoadBalancerQuery.Parse("?sort=targets"));
        Assert.Equal(["down", "half", "empty", "fine"], Names(model));

        model.SetQuery(LoadBalancerQuery.Parse("?sort=asof"));
        Assert.Equal("asof", model.Query.Sort);
    }

    [Fact]
    public void Short_types_are_the_words_operators_use()
    {
        Assert.Equal("alb", LoadBalancerListModel.ShortType(Balancer("a", type: "application")));
        Assert.Equal("nlb", LoadBalancerListModel.ShortType(Balancer("n")));
    }
}
