using Bunit;
using Dashboard.Client.Components.Pages.Endpoints;
using Dashboard.Client.Model;
using Dashboard.Client.Tests.Support;

namespace Dashboard.Client.Tests.Endpoints;

public class DriftTableTests : TopologyTestContext
{
    [Fact]
    public void A_row_that_does_not_matter_says_so_with_its_reason_and_one_that_matters_keeps_the_warning()
    {
        var harmless = new DriftItem("health-check path", "/healthz", "(not set)", "service.beta.kubernetes.io/aws-load-balancer-healthcheck-path")
        {
            Why = "the health check is TCP, which only opens a connection and ignores the path",
            Matters = false,
            Fix = "Nothing, if a connection is check enough.",
        };
        var real = new DriftItem("health-check interval (s)", "30", "10", "service.beta.kubernetes.io/aws-load-balancer-healthcheck-interval")
        {
            Why = "AWS runs 10 but the annotation asks for 30",
        };

        var cut = Render<DriftTable>(p => p.Add(x => x.Drift, [harmless, real]));

        var rows = cut.FindAll("[data-testid='drift-row']");
        Assert.Equal("false", rows[0].GetAttribute("data-matters"));
        Assert.Contains("drift-harmless", rows[0].ClassName, StringComparison.Ordinal);
        Assert.Contains("Does not matter: the health check is TCP", rows[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("Nothing, if a connection is check enough.", rows[0].TextContent, StringComparison.Ordinal);
        Assert.Null(rows[0].QuerySelector(".health-warn-text"));
        Assert.Equal("true", rows[1].GetAttribute("data-matters"));
        Assert.NotNull(rows[1].QuerySelector(".health-warn-text"));
        Assert.DoesNotContain("Does not matter", rows[1].TextContent, StringComparison.Ordinal);
    }
}
