using Dashboard.Client.Model;

namespace Dashboard.Client.Tests.Model;

/// <summary>The one URL query reader every page query goes through.</summary>
public class QueryValuesTests
{
    [Fact]
    public void Values_are_trimmed_blank_ones_are_absent_the_first_of_a_repeated_one_counts_and_the_fragment_is_ignored()
    {
        var query = QueryUrl.Read("https://dash.example/services?ns=%20mlops%20&q=%20&type=a&type=b#ns=other");

        Assert.False(query.IsEmpty);
        Assert.Equal("mlops", query.Get("ns"));
        Assert.Null(query.Get("q"));
        Assert.Null(query.Get("missing"));
        Assert.Equal("a", query.Get("type"));
        Assert.Empty(query.Problems);
    }

    [Fact]
    public void Without_a_query_string_nothing_is_read()
    {
        var query = QueryUrl.Read("/services#selected=x");

        Assert.True(query.IsEmpty);
        Assert.Null(query.Get("selected"));
    }

    [Fact]
    public void Values_outside_the_allowed_ones_are_dropped_with_a_sentence_each_in_the_order_asked()
    {
        var query = QueryUrl.Read("x?type=GWLB&scheme=Internal&flags=Drift,,broken,orphan&sort=-cost&idle=TRUE");

        Assert.Null(query.OneOf("type", ["alb", "nlb"]));
        Assert.Equal("internal", query.OneOf("scheme", ["internet-facing", "internal"]));
        Assert.Equal<string>(["drift", "orphan"], query.SomeOf("flags", ["drift", "orphan"], "flag"));
        Assert.Null(query.Sort("sort", ["name"]));
        Assert.True(query.IsTrue("idle"));
        Assert.Equal(
        [
            "Ignored type=gwlb: use alb or nlb.",
            "Ignored flag 'broken' in flags=: use drift, orphan.",
            "Ignored sort=-cost: use name (a leading '-' reverses).",
        ], query.Problems);
    }

    [Fact]
    public void A_sort_without_known_columns_is_taken_as_written()
    {
        Assert.Equal("-age", QueryUrl.Read("x?sort=-age").Sort("sort"));
        Assert.Equal("-name", QueryUrl.Read("x?sort=-name").Sort("sort", ["name"]));
    }

    [Theory]
    [InlineData("?ns=%20%20")]
    [InlineData("?ns=")]
    [InlineData("?other=1")]
    public void Every_page_query_reads_a_blank_namespace_as_no_filter(string query)
    {
        Assert.Null(ListQuery.Parse("services" + query).Namespace);
        Assert.Null(CostQuery.Parse("cost" + query).Namespace);
        Assert.Empty(LoadBalancerQuery.Parse("load-balancers" + query).Problems);
    }
}
