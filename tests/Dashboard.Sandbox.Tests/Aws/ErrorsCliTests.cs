using System.Net;
using System.Xml.Linq;
using Dashboard.Sandbox.Aws;

namespace Dashboard.Sandbox.Tests.Aws;

/// <summary>Signature, authentication, unknown action and fault errors in the shapes the CLI and SDKs parse.</summary>
public sealed class ErrorsCliTests(AwsEmulatorFixture fixture) : IClassFixture<AwsEmulatorFixture>
{
    [Fact]
    public async Task Wrong_secret_is_SignatureDoesNotMatch()
    {
        using var cli = new AwsCli(fixture.Emulator.Uri) { SecretAccessKey = "not-the-secret" };

        var result = await cli.RunAsync("elbv2", "describe-load-balancers");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("(SignatureDoesNotMatch)", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wrong_secret_on_cost_explorer_is_InvalidSignatureException()
    {
        using var cli = new AwsCli(fixture.Emulator.Uri) { SecretAccessKey = "not-the-secret" };

        var result = await cli.RunAsync("ce", "get-cost-forecast", "--time-period", "Start=2020-01-01,End=2020-02-01", "--metric", "UNBLENDED_COST", "--granularity", "MONTHLY");

        Assert.Contains("(InvalidSignatureException)", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unemulated_action_is_InvalidAction()
    {
        var result = await fixture.Cli.RunAsync("elbv2", "describe-account-limits");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("(InvalidAction)", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("DescribeAccountLimits", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Throttle_fault_reaches_the_cli_as_Throttling()
    {
        var id = fixture.Faults.Add(new AwsFaultRule { Kind = AwsFaultKind.Throttle, Service = "elasticloadbalancing", Action = "DescribeTargetHealth", Count = 1 });
        try
        {
            var throttled = await fixture.Cli.RunAsync("elbv2", "describe-target-health", "--target-group-arn", fixture.WebGroup.Arn);
            var next = await fixture.Cli.RunAsync("elbv2", "describe-target-health", "--target-group-arn", fixture.WebGroup.Arn);

            Assert.NotEqual(0, throttled.ExitCode);
            Assert.Contains("Throttling", throttled.Stderr, StringComparison.Ordinal);
            Assert.Equal(0, next.ExitCode);
        }
        finally
        {
            fixture.Faults.Remove(id);
        }
    }

    [Fact]
    public async Task Server_error_fault_set_through_admin_endpoint_is_a_500()
    {
        using var http = new HttpClient { BaseAddress = fixture.Emulator.Uri };
        using var add = await http.PostAsync(new Uri("/_sandbox/faults", UriKind.Relative),
            new StringContent("""{"kind":"ServerError","service":"monitoring","count":1}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, add.StatusCode);

        var result = await fixture.Cli.RunAsync("cloudwatch", "get-metric-data", "--metric-data-queries",
            """[{"Id":"a","MetricStat":{"Metric":{"Namespace":"AWS/ApplicationELB","MetricName":"RequestCount"},"Period":60,"Stat":"Sum"}}]""",
            "--start-time", "2020-01-01T00:00:00Z", "--end-time", "2020-01-01T01:00:00Z");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("InternalServiceError", result.Stderr, StringComparison.Ordinal);
        Assert.Empty(fixture.Faults.Rules.Where(r => r.Rule.Service == "monitoring"));
    }

    [Fact]
    public async Task Unsigned_query_request_is_MissingAuthenticationToken_in_the_error_xml_shape()
    {
        using var http = new HttpClient { BaseAddress = fixture.Emulator.Uri };

        using var response = await http.PostAsync(new Uri("/", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Action"] = "DescribeLoadBalancers",
            ["Version"] = "2015-12-01",
        }));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var xml = XElement.Parse(await response.Content.ReadAsStringAsync());
        XNamespace ns = "http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/";
        Assert.Equal("ErrorResponse", xml.Name.LocalName);
        Assert.Equal("Sender", xml.Element(ns + "Error")!.Element(ns + "Type")!.Value);
        Assert.Equal("MissingAuthenticationToken", xml.Element(ns + "Error")!.Element(ns + "Code")!.Value);
        Assert.False(string.IsNullOrEmpty(xml.Element(ns + "RequestId")!.Value));
    }
}
