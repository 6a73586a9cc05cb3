using Amazon.Runtime;
using Dashboard.Server.Aws;
using static Dashboard.Server.Tests.Aws.ElasticLoadBalancingSamples;

namespace Dashboard.Server.Tests.Aws;

/// <summary>Throttling, 5xx and client errors as AWS sends them, over real HTTP.</summary>
public sealed class AwsRetryTests : IAsyncLifetime
{
    private readonly RotatingCredentials _credentials = new();
    private AwsTestHost _host = null!;

    public async Task InitializeAsync() => _host = await AwsTestHost.StartAsync(_credentials);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Throttling_is_retried_and_each_attempt_is_signed_afresh()
    {
        _host.Server.RespondInOrder(
            CannedResponse.Xml(Error("Throttling", "Rate exceeded"), 400),
            CannedResponse.Xml(Error("Throttling", "Rate exceeded"), 400),
            CannedResponse.Xml(TargetHealthXml));

        var health = await _host.ElasticLoadBalancing.DescribeTargetHealthAsync(TargetGroupArn);

        Assert.Equal(4, health.Count);
        var requests = _host.Server.Requests;
        Assert.Equal(3, requests.Count);
        // The credentials hand out a new key on every resolution, so a signature computed once and replayed
        // would show the same key three times; a signer inside the retry loop shows three.
        var keys = requests.Select(r => SigV4Verifier.Parse(r.Header("Authorization")!).AccessKey).ToArray();
        Assert.Equal(3, keys.Distinct().Count());
        Assert.Equal(3, requests.Select(r => r.Header("Authorization")).Distinct().Count());
        foreach (var request in requests)
        {
            var authorization = SigV4Verifier.Parse(request.Header("Authorization")!);
            Assert.Equal(SigV4Verifier.ExpectedSignature(request, RotatingCredentials.Secret), authorization.Signature);
            Assert.InRange(SigV4Verifier.SignedAt(request), DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(1));
        }
        Assert.All(requests, r => Assert.Equal(requests[0].BodyText, r.BodyText));
    }

    [Fact]
    public async Task Pollys_per_attempt_messages_are_debug_only()
    {
        _host.Server.RespondInOrder(
            CannedResponse.Xml(Error("Throttling", "Rate exceeded"), 400),
            CannedResponse.Xml(Error("Throttling", "Rate exceeded"), 400),
            CannedResponse.Xml(TargetHealthXml));

        await _host.ElasticLoadBalancing.DescribeTargetHealthAsync(TargetGroupArn);

        var polly = _host.Logs.GetSnapshot().Where(record => record.Category?.StartsWith("Polly", StringComparison.Ordinal) == true).ToList();
        Assert.Contains(polly, record => record.Level == Microsoft.Extensions.Logging.LogLevel.Debug && record.Message.Contains("OnRetry", StringComparison.Ordinal));
        Assert.All(polly, record => Assert.True(record.Level <= Microsoft.Extensions.Logging.LogLevel.Debug, $"{record.Level}: {record.Message}"));
    }

    [Fact]
    public async Task Json_throttling_codes_are_retried()
    {
        _host.Server.RespondInOrder(
            CannedResponse.Json("""{"__type":"com.amazonaws.ce#LimitExceededException","message":"You made too many calls in a short period of time."}""", 400, "application/x-amz-json-1.1"),
            CannedResponse.Json("""{"__type":"ThrottlingException","message":"Rate exceeded"}""", 400, "application/x-amz-json-1.1"),
            CannedResponse.Json(CostExplorerSamples.Forecast, 200, "application/x-amz-json-1.1"));

        var forecast = await _host.CostExplorer.GetCostForecastAsync(CostExplorerSamples.ForecastRequest);

        Assert.Equal(3, _host.Server.Requests.Count);
        Assert.Equal(57.65m, forecast.Total!.Amount);
    }

    [Fact]
    public async Task Server_errors_are_retried()
    {
        _host.Server.RespondInOrder(
            CannedResponse.Xml(Error("InternalFailure", "We encountered an internal error.", type: "Receiver"), 500),
            new CannedResponse(503, "Service Unavailable", "text/plain"),
            CannedResponse.Xml(TargetGroupAttributes));

        var attributes = await _host.ElasticLoadBalancing.DescribeTargetGroupAttributesAsync(TargetGroupArn);

        Assert.Equal(2, attributes.Count);
        Assert.Equal(3, _host.Server.Requests.Count);
    }

    [Fact]
    public async Task A_validation_error_is_not_retried_and_surfaces_code_message_and_request_id()
    {
        _host.Server.RespondInOrder(CannedResponse.Xml(Error("ValidationError", "'arn:bad' is not a valid target group ARN", "4e8f1a3c-5b2d-4c6e-9f7a-1b2c3d4e5f60"), 400));

        var error = await Assert.ThrowsAsync<AwsServiceException>(() => _host.ElasticLoadBalancing.DescribeTargetHealthAsync("arn:bad"));

        Assert.Single(_host.Server.Requests);
        Assert.Equal("ElasticLoadBalancing", error.Service);
        Assert.Equal("DescribeTargetHealth", error.Action);
        Assert.Equal(400, error.StatusCode);
        Assert.Equal("ValidationError", error.ErrorCode);
        Assert.Equal("'arn:bad' is not a valid target group ARN", error.ErrorMessage);
        Assert.Equal("4e8f1a3c-5b2d-4c6e-9f7a-1b2c3d4e5f60", error.RequestId);
        Assert.False(error.IsThrottling);
        Assert.Contains("ValidationError", error.Message);
        Assert.Contains("4e8f1a3c-5b2d-4c6e-9f7a-1b2c3d4e5f60", error.Message);
    }

    [Fact]
    public async Task Throttling_that_never_stops_gives_up_after_the_configured_attempts()
    {
        _host.Server.RespondInOrder(CannedResponse.Xml(Error("Throttling", "Rate exceeded", "aaaa-bbbb"), 400));

        var error = await Assert.ThrowsAsync<AwsServiceException>(() => _host.ElasticLoadBalancing.DescribeLoadBalancersAsync());

        Assert.Equal(AwsTestHost.MaxAttempts, _host.Server.Requests.Count);
        Assert.True(error.IsThrottling);
        Assert.Equal(400, error.StatusCode);
        Assert.Equal("aaaa-bbbb", error.RequestId);
    }

    [Fact]
    public async Task A_query_protocol_json_error_header_names_the_code()
    {
        var headers = new Dictionary<string, string> { ["x-amzn-query-error"] = "InvalidParameterCombination;Sender", ["x-amzn-RequestId"] = "cw-req-1" };
        _host.Server.RespondInOrder(CannedResponse.Json("""{"__type":"com.amazonaws.cloudwatch#InvalidParameterCombinationException","message":"The parameters are not valid together."}""", 400, headers: headers));

        var error = await Assert.ThrowsAsync<AwsServiceException>(() => _host.CloudWatch.GetMetricDataAsync(CloudWatchSamples.Queries(1), CloudWatchSamples.Start, CloudWatchSamples.End));

        Assert.Single(_host.Server.Requests);
        Assert.Equal("InvalidParameterCombination", error.ErrorCode);
        Assert.Equal("The parameters are not valid together.", error.ErrorMessage);
        Assert.Equal("cw-req-1", error.RequestId);
    }

    [Fact]
    public async Task An_unreachable_endpoint_surfaces_as_an_AwsServiceException_without_status()
    {
        // A loopback port that was just free: nothing listens there, so the connection is refused at once.
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        await using var host = await AwsTestHost.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Dashboard:Aws:Endpoints:ElasticLoadBalancing"] = $"http://127.0.0.1:{port}/",
            ["Dashboard:Aws:Retry:MaxAttempts"] = "2",
        });

        var error = await Assert.ThrowsAsync<AwsServiceException>(() => host.ElasticLoadBalancing.DescribeLoadBalancersAsync());

        Assert.Null(error.StatusCode);
        Assert.Contains($"127.0.0.1:{port}", error.Message);
        Assert.IsType<HttpRequestException>(error.InnerException);
    }

    /// <summary>Credentials whose access key changes on every resolution (the secret stays).</summary>
    private sealed class RotatingCredentials : AWSCredentials
    {
        public const string Secret = "rotating/secret/key/for/tests/000000000";
        private int _count;

        public override ImmutableCredentials GetCredentials() =>
            new($"AKIDROTATING{Interlocked.Increment(ref _count):D8}", Secret, null);
    }
}
