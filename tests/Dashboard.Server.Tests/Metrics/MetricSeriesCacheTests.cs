using Dashboard.Server.Aws;
using Dashboard.Server.Aws.CloudWatch;
using Dashboard.Server.Metrics;
using Microsoft.Extensions.Time.Testing;

namespace Dashboard.Server.Tests.Metrics;

/// <summary>
/// The shared series cache: concurrent viewers of the same charts coalesce into one GetMetricData call carrying every
/// series; entries are reused until a new period can exist; a failed read is not cached.
/// </summary>
public sealed class MetricSeriesCacheTests
{
    private static readonly DateTimeOffset Now = new(2025, 6, 4, 14, 0, 30, TimeSpan.Zero);

    /// <summary>A CloudWatch that records each call and answers when released (or fails when told).</summary>
    private sealed class GatedCloudWatch : ICloudWatchClient
    {
        public List<IReadOnlyList<MetricDataQuery>> Calls { get; } = [];
        public TaskCompletionSource Release { get; set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public Exception? Failure { get; set; }

        public async Task<MetricDataResponse> GetMetricDataAsync(IReadOnlyList<MetricDataQuery> queries, DateTimeOffset startTime, DateTimeOffset endTime,
            ScanBy? scanBy = null, int? maxDatapoints = null, CancellationToken cancellationToken = default)
        {
            lock (Calls)
            {
                Calls.Add(queries);
            }
            await Release.Task;
            if (Failure is not null)
            {
                throw Failure;
            }
            return new MetricDataResponse
            {
                MetricDataResults = [.. queries.Select((q, i) => new MetricDataResult
                {
                    Id = q.Id,
                    Timestamps = [startTime, startTime.AddSeconds(q.MetricStat!.Period)],
                    Values = [i, i + 0.5],
                })],
            };
        }
    }

    private static List<SeriesKey> Page(DateTimeOffset start, DateTimeOffset end) =>
    [
        .. Enumerable.Range(0, 20).Select(i => new SeriesKey("AWS/ApplicationELB", "Metric" + i, "Sum", "LoadBalancer=app/web/0123456789abcdef", start, end, 60)),
    ];

    [Fact]
    public async Task Twenty_viewers_of_the_same_page_cost_one_call_with_every_series()
    {
        var time = new FakeTimeProvider(Now);
        var cloudWatch = new GatedCloudWatch();
        var cache = new MetricSeriesCache(cloudWatch, time);
        var keys = Page(Now.AddHours(-1), Now.AddMinutes(1));

        var viewers = Enumerable.Range(0, 20).Select(_ => cache.GetAsync(keys, CancellationToken.None)).ToList();
        cloudWatch.Release.SetResult();
        var answers = await Task.WhenAll(viewers);

        var call = Assert.Single(cloudWatch.Calls);
        Assert.Equal(20, call.Count);
        Assert.Equal(1, cache.Reads);
        Assert.All(answers, a => Assert.Equal(answers[0][keys[7]].Values, a[keys[7]].Values));
        Assert.Equal(new[] { 7, 7.5 }, answers[0][keys[7]].Values.ToArray());
    }

    [Fact]
    public async Task A_live_range_is_reused_until_the_next_period_and_then_read_again()
    {
        var time = new FakeTimeProvider(Now);
        var cloudWatch = new GatedCloudWatch();
        cloudWatch.Release.SetResult();
        var cache = new MetricSeriesCache(cloudWatch, time);
        var keys = Page(Now.AddHours(-1), Now.AddMinutes(1));

        await cache.GetAsync(keys, CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(20));
        await cache.GetAsync(keys, CancellationToken.None);
        Assert.Single(cloudWatch.Calls);

        time.Advance(TimeSpan.FromSeconds(15)); // 14:01:05: a new minute can exist
        await cache.GetAsync(keys, CancellationToken.None);
        Assert.Equal(2, cloudWatch.Calls.Count);
    }

    [Fact]
    public async Task A_finished_range_is_reused_for_half_an_hour()
    {
        var time = new FakeTimeProvider(Now);
        var cloudWatch = new GatedCloudWatch();
        cloudWatch.Release.SetResult();
        var cache = new MetricSeriesCache(cloudWatch, time);
        var keys = Page(Now.AddDays(-2), Now.AddDays(-1));

        await cache.GetAsync(keys, CancellationToken.None);
        time.Advance(TimeSpan.FromMinutes(29));
        await cache.GetAsync(keys, CancellationToken.None);
        Assert.Single(cloudWatch.Calls);
        time.Advance(TimeSpan.FromMinutes(2));
        await cache.GetAsync(keys, CancellationToken.None);
        Assert.Equal(2, cloudWatch.Calls.Count);
    }

    [Fact]
    public async Task A_failed_read_fails_every_waiter_and_the_next_viewer_reads_again()
    {
        var time = new FakeTimeProvider(Now);
        var cloudWatch = new GatedCloudWatch { Failure = new AwsServiceException("CloudWatch", "GetMetricData", 400, "Throttling", "Rate exceeded", null) };
        var cache = new MetricSeriesCache(cloudWatch, time);
        var keys = Page(Now.AddHours(-1), Now.AddMinutes(1));

        var first = cache.GetAsync(keys, CancellationToken.None);
        var second = cache.GetAsync(keys, CancellationToken.None);
        cloudWatch.Release.SetResult();
        await Assert.ThrowsAsync<AwsServiceException>(() => first);
        await Assert.ThrowsAsync<AwsServiceException>(() => second);

        cloudWatch.Failure = null;
        var answer = await cache.GetAsync(keys, CancellationToken.None);
        Assert.Equal(2, cloudWatch.Calls.Count);
        Assert.Equal(20, answer.Count);
    }
}
