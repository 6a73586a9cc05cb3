using Dashboard.Client.Model;

namespace Dashboard.Client.Tests.Model;

public class QueryUrlTests
{
    [Fact]
    public void Empty_parameters_are_left_out_and_slashes_and_commas_stay_readable() =>
        Assert.Equal(
            "services?ns=mlops&selected=mlops/retail-forecast-nlb&flags=drift,orphan&q=a%20b%26c",
            QueryUrl.Build("services", ("ns", "mlops"), ("type", " "), ("selected", "mlops/retail-forecast-nlb"), ("flags", "drift,orphan"), ("q", "a b&c"), ("sort", null)));

    [Fact]
    public void Without_parameters_the_path_is_the_url() =>
        Assert.Equal("triage", QueryUrl.Build("triage", ("q", "")));
}
