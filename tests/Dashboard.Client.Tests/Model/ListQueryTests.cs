using Dashboard.Client.Model;

namespace Dashboard.Client.Tests.Model;

public class ListQueryTests
{
    [Fact]
    public void Parses_the_documented_example()
    {
        var query = ListQuery.Parse("https://dash.example/services?ns=mlops&q=forecast&type=LoadBalancer&selected=mlops/retail-forecast-nlb");

        Assert.Equal(new ListQuery { Namespace = "mlops", Search = "forecast", Type = "LoadBalancer", Selected = "mlops/retail-forecast-nlb" }, query);
    }

    [Fact]
    public void Formats_readably_and_round_trips_values_that_need_escaping()
    {
        var query = new ListQuery { Namespace = "mlops", Search = "a&b c=d ü", Sort = "-age", Selected = "mlops/retail-forecast-nlb", Class = "alb" };

        var url = query.ToUrl("services");

        Assert.StartsWith("services?ns=mlops&q=a%26b%20c%3Dd%20%C3%BC&class=alb&sort=-age&selected=mlops/retail-forecast-nlb", url, StringComparison.Ordinal);
        Assert.Equal(query, ListQuery.Parse(url));
    }

    [Fact]
    public void Empty_values_are_left_out_and_read_as_absent()
    {
        Assert.Equal("services", new ListQuery { Namespace = "", Search = "  " }.ToUrl("services"));
        Assert.Equal(ListQuery.Empty, ListQuery.Parse("/services?ns=&q=%20#frag"));
        Assert.Equal(ListQuery.Empty, ListQuery.Parse("/services"));
    }

    [Fact]
    public void Toggle_sort_goes_ascending_then_descending_then_ascending()
    {
        var q = ListQuery.Empty.ToggleSort("age");
        Assert.Equal("age", q.Sort);
        q = q.ToggleSort("age");
        Assert.Equal("-age", q.Sort);
        Assert.True(q.SortDescending);
        Assert.Equal("age", q.ToggleSort("age").Sort);
        Assert.Equal("name", q.ToggleSort("name").Sort);
    }
}
