using System.Net;
using System.Text;
using Dashboard.Server.Aws;

namespace Dashboard.Server.Tests.Aws;

public sealed class AwsErrorTests
{
    private static HttpResponseMessage Response(HttpStatusCode status, params (string Name, string Value)[] headers)
    {
        var response = new HttpResponseMessage(status) { Content = new StringContent(string.Empty, Encoding.UTF8) };
        foreach (var (name, value) in headers)
        {
            response.Headers.TryAddWithoutValidation(name, value);
        }
        return response;
    }

    [Fact]
    public void Query_xml_error_gives_code_message_and_request_id()
    {
        using var response = Response(HttpStatusCode.BadRequest);

        var error = AwsError.Parse(response, ElasticLoadBalancingSamples.Error("LoadBalancerNotFound", "One or more load balancers not found", "rid-1"));

        Assert.Equal(new AwsError("LoadBalancerNotFound", "One or more load balancers not found", "rid-1"), error);
    }

    [Fact]
    public void Json_error_type_is_stripped_of_its_namespace_and_the_header_gives_the_request_id()
    {
        using var response = Response(HttpStatusCode.BadRequest, ("x-amzn-RequestId", "rid-2"));

        var error = AwsError.Parse(response, """{"__type":"com.amazonaws.ce#DataUnavailableException","Message":"Data is not available."}""");

        Assert.Equal(new AwsError("DataUnavailableException", "Data is not available.", "rid-2"), error);
    }

    [Fact]
    public void The_error_type_header_is_used_when_the_body_says_nothing()
    {
        using var response = Response(HttpStatusCode.BadRequest, ("x-amzn-ErrorType", "ThrottlingException:http://internal.amazon.com/coral/com.amazon.coral.availability/"));

        var error = AwsError.Parse(response, string.Empty);

        Assert.Equal("ThrottlingException", error.Code);
        Assert.True(AwsError.IsThrottlingCode(error.Code));
    }

    [Theory]
    [InlineData("Throttling", true)]
    [InlineData("ThrottlingException", true)]
    [InlineData("TooManyRequestsException", true)]
    [InlineData("RequestLimitExceeded", true)]
    [InlineData("ProvisionedThroughputExceededException", true)]
    [InlineData("ValidationError", false)]
    [InlineData("AccessDenied", false)]
    [InlineData(null, false)]
    public void Throttling_codes_are_recognised(string? code, bool throttling) => Assert.Equal(throttling, AwsError.IsThrottlingCode(code));

    [Fact]
    public void An_html_or_empty_body_yields_no_code()
    {
        using var response = Response(HttpStatusCode.BadGateway);

        Assert.Equal(new AwsError(null, null, null), AwsError.Parse(response, "<html><body>Bad gateway"));
    }
}
