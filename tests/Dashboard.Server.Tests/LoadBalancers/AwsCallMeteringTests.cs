using Dashboard.Server.Aws;
using Dashboard.Server.Aws.CloudWatch;
using Dashboard.Server.LoadBalancers;
using Dashboard.Server.Tests.Aws;
using Microsoft.Extensions.DependencyInjection;

namespace Dashboard.Server.Tests.LoadBalancers;

public sealed class AwsCallMeteringTests
{
    [Fact]
    public async Task GetMetricData_counts_the_metrics_it_asks_for_and_nothing_for_a_refused_call()
    {
        await using var host = await AwsTestHost.StartAsync(configure: services => services.AddAwsCallMetering());
        var statistics = host.Services.GetRequiredService<AwsCallStatistics>();
        var refuse = false;
        host.Server.Respond((_, _) => refuse
            ? CannedResponse.Json("""{"__type":"InvalidParameterValueException","message":"bad query"}""", 400)
            : CannedResponse.Json("""{"MetricDataResults":[],"Messages":[]}"""));
        MetricDataQuery[] queries =
        [
            CloudWatchSamples.RequestCount("a"),
            CloudWatchSamples.RequestCount("b", "app/k8s-shop-2/1"),
            new() { Id = "total", Expression = "a + b" },
        ];

        await host.CloudWatch.GetMetricDataAsync(queries, CloudWatchSamples.Start, CloudWatchSamples.End);
        refuse = true;
        await Assert.ThrowsAsync<AwsServiceException>(() => host.CloudWatch.GetMetricDataAsync(queries, CloudWatchSamples.Start, CloudWatchSamples.End));

        var counts = statistics.Snapshot();
        Assert.Equal(2, counts.CloudWatchMetricsRequested);
        Assert.Equal(2, counts.CloudWatch);
    }
}
