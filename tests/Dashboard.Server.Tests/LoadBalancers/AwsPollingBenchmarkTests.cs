using Dashboard.Benchmarks;
using Microsoft.Extensions.Time.Testing;

namespace Dashboard.Server.Tests.LoadBalancers;

public sealed class AwsPollingBenchmarkTests
{
    [Fact]
    public async Task A_small_run_measures_calls_and_detection_latency_within_the_designed_bounds()
    {
        var time = new FakeTimeProvider(AwsPollingWorld.Start);
        var settings = new AwsPollingBenchmarkSettings
        {
            TargetGroups = 20,
            TargetsPerGroup = 3,
            SteadyState = TimeSpan.FromMinutes(6),
            Viewers = 5,
            ViewedTargetGroups = 4,
        };

        var result = await AwsPollingBenchmark.RunAsync(settings, time, time.Advance);

        Assert.Equal(10, result.LoadBalancers);
        Assert.True(result.InitialSync <= TimeSpan.FromMinutes(1), $"first full read took {result.InitialSync}");
        Assert.True(result.Unviewed.Count >= 4, $"{result.Unviewed.Count} failures seen in unviewed groups");
        Assert.Equal(0, result.Unviewed.Missed);
        // The CloudWatch cycle (60 s) bounds what nobody views; the fast interval (10 s) what a page shows.
        Assert.True(result.Unviewed.Max <= TimeSpan.FromSeconds(61), $"unviewed worst {result.Unviewed.Max}");
        Assert.True(result.Viewed.Count == 0 || result.Viewed.Max <= TimeSpan.FromSeconds(11), $"viewed worst {result.Viewed.Max}");
        Assert.InRange(result.CloudWatchCallsPerMinute, 0.75, 1.25);
        // Listing (2) + 4 viewed groups (24) + a few unhealthy groups (6 each) + CloudWatch-led reads, well under the ceiling.
        Assert.InRange(result.ElbCallsPerMinute, 26, 80);
        Assert.Equal(0, result.Throttled);
    }
}
