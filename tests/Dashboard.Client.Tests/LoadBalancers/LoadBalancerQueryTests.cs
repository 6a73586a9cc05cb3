using Dashboard.Client.Model;

namespace Dashboard.Client.Tests.LoadBalancers;

public class LoadBalancerQueryTests
{
    [Fact]
    public void Parses_every_parameter_and_writes_it_back_the_same()
    {
        var query = LoadBalancerQuery.Parse("http://localhost/load-balancers?type=ALB&scheme=internal&flags=orphan,drift&q=shop%20api&sort=-targets");

        Assert.Equal("alb", query.Type);
        Assert.Equal("internal", query.Scheme);
        Assert.Equal(LoadBalancerFlags.Orphan | LoadBalancerFlags.Drift, query.Flags);
        Assert.Equal(["shop", "api"], query.SearchTerms);
        Assert.Equal("targets", query.SortColumn);
        Assert.True(query.SortDescending);
        Assert.Empty(query.Problems);
        Assert.Equal("load-balancers?type=alb&scheme=internal&flags=drift,orphan&q=shop%20api&sort=-targets", query.ToUrl("load-balancers"));
    }

    [Fact]
    public void Unknown_values_are_dropped_with_a_sentence_naming_the_parameter_and_the_fix()
    {
        var query = LoadBalancerQuery.Parse("load-balancers?type=gwlb&flags=orphan,broken&sort=cost");

        Assert.Null(query.Type);
        Assert.Equal(LoadBalancerFlags.Orphan, query.Flags);
        Assert.Null(query.Sort);
        Assert.Equal(
        [
            "Ignored type=gwlb: use alb or nlb.",
            "Ignored flag 'broken' in flags=: use all-unhealthy, no-targets, drift, orphan, shared.",
            "Ignored sort=cost: use name, type, state, targets, asof (a leading '-' reverses).",
        ], query.Problems);
    }

    [Fact]
    public void Toggling_a_flag_adds_then_removes_it_and_sorting_twice_reverses()
    {
        var query = LoadBalancerQuery.Empty.ToggleFlag(LoadBalancerFlags.AllUnhealthy);
        Assert.Equal("load-balancers?flags=all-unhealthy", query.ToUrl("load-balancers"));
        Assert.Equal("load-balancers", query.ToggleFlag(LoadBalancerFlags.AllUnhealthy).ToUrl("load-balancers"));

        Assert.Equal("name", LoadBalancerQuery.Empty.ToggleSort("name").Sort);
        Assert.Equal("-name", LoadBalancerQuery.Empty.ToggleSort("name").ToggleSort("name").Sort);
    }

    [Fact]
    public void No_query_string_is_the_empty_query()
    {
        Assert.Same(LoadBalancerQuery.Empty, LoadBalancerQuery.Parse("http://localhost/load-balancers"));
        Assert.False(LoadBalancerQuery.Empty.FiltersDiffer(LoadBalancerQuery.Empty with { Sort = "name" }));
        Assert.True(LoadBalancerQuery.Empty.FiltersDiffer(LoadBalancerQuery.Empty with { Flags = LoadBalancerFlags.Shared }));
    }

    [Fact]
    public void A_repeated_bad_value_is_reported_once_with_its_count()
    {
        var query = LoadBalancerQuery.Parse("/load-balancers?flags=" + string.Join(',', Enumerable.Repeat("bogus", 3000)));

        var problem = Assert.Single(query.Problems);
        Assert.StartsWith("Ignored flag 'bogus' in flags=", problem, StringComparison.Ordinal);
        Assert.EndsWith("(3000 times)", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Many_distinct_bad_values_are_capped()
    {
        var query = LoadBalancerQuery.Parse("/load-balancers?flags=" + string.Join(',', Enumerable.Range(0, 500).Select(i => $"bogus{i}")));

        Assert.Equal(QueryValues.MaxProblems + 1, query.Problems.Count);
        Assert.Equal("… and 490 more ignored values.", query.Problems[^1]);
    }
}
