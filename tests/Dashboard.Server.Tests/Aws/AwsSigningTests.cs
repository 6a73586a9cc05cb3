using Dashboard.Server.Aws;
using static Dashboard.Server.Tests.Aws.ElasticLoadBalancingSamples;

namespace Dashboard.Server.Tests.Aws;

/// <summary>Every request carries a SigV4 signature that an independent implementation accepts, scoped to the right service and region.</summary>
public sealed class AwsSigningTests : IAsyncLifetime
{
    private AwsTestHost _host = null!;

    public async Task InitializeAsync() => _host = await AwsTestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Elastic_load_balancing_is_signed_for_elasticloadbalancing_in_the_configured_region()
    {
        _host.Server.RespondInOrder(CannedResponse.Xml(TargetGroups));

        await _host.ElasticLoadBalancing.DescribeTargetGroupsAsync();

        AssertSigned(Assert.Single(_host.Server.Requests), AwsTestHost.Region, "elasticloadbalancing");
    }

    [Fact]
    public async Task CloudWatch_is_signed_for_monitoring_in_the_configured_region()
    {
        _host.Server.RespondInOrder(CannedResponse.Json(CloudWatchSamples.Page2));

        await _host.CloudWatch.GetMetricDataAsync(CloudWatchSamples.Queries(1), CloudWatchSamples.Start, CloudWatchSamples.End);

        AssertSigned(Assert.Single(_host.Server.Requests), AwsTestHost.Region, "monitoring");
    }

    [Fact]
    public async Task Cost_explorer_is_signed_for_ce_in_us_east_1_whatever_the_region()
    {
        _host.Server.RespondInOrder(CannedResponse.Json(CostExplorerSamples.Forecast, contentType: "application/x-amz-json-1.1"));

        await _host.CostExplorer.GetCostForecastAsync(CostExplorerSamples.ForecastRequest);

        AssertSigned(Assert.Single(_host.Server.Requests), "us-east-1", "ce");
    }

    [Fact]
    public async Task A_signature_made_with_another_secret_does_not_verify()
    {
        _host.Server.RespondInOrder(CannedResponse.Xml(TargetGroups));

        await _host.ElasticLoadBalancing.DescribeTargetGroupsAsync();

        var request = Assert.Single(_host.Server.Requests);
        Assert.NotEqual(SigV4Verifier.Parse(request.Header("Authorization")!).Signature, SigV4Verifier.ExpectedSignature(request, "not-the-secret"));
    }

    [Fact]
    public async Task A_missing_profile_fails_with_a_credentials_error_before_any_request()
    {
        const string profile = "dashboard-tests-profile-that-does-not-exist";
        await using var host = await AwsTestHost.StartAsync(settings: new Dictionary<string, string?> { ["Dashboard:Aws:Profile"] = profile });
        host.Server.RespondInOrder(CannedResponse.Xml(TargetGroups));

        var error = await Assert.ThrowsAsync<AwsCredentialsException>(() => host.ElasticLoadBalancing.DescribeTargetGroupsAsync());

        Assert.Contains($"'{profile}'", error.Message);
        Assert.Contains("Dashboard:Aws:Profile", error.Message);
        Assert.Empty(host.Server.Requests);
    }

    private static void AssertSigned(RecordedRequest request, string region, string service)
    {
        var authorization = SigV4Verifier.Parse(request.Header("Authorization")!);
        Assert.Equal(AwsTestHost.AccessKey, authorization.AccessKey);
        Assert.Equal(region, authorization.Region);
        Assert.Equal(service, authorization.Service);
        Assert.Equal(SigV4Verifier.SignedAt(request).ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture), authorization.Date);
        Assert.Contains("host", authorization.SignedHeaders);
        Assert.Contains("x-amz-date", authorization.SignedHeaders);
        Assert.Equal(SigV4Verifier.ExpectedSignature(request, AwsTestHost.SecretKey), authorization.Signature);
    }
}
