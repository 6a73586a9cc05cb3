using Dashboard.Server.Aws.CloudWatch;
using Dashboard.Server.Metrics;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Dashboard.Server.Tests.Metrics;

/// <summary>
/// The series cache is bounded by the datapoints it holds (Dashboard:Metrics:CachePoints), not by its number of series:
/// past the bound the least recently used series go first, and what viewers keep asking for stays.
/// </summary>
public sealed class MetricSeriesCacheBoundTests
{
    private static readonly DateTimeOffset Now = new(2025, 6, 4, 14, 0, 30, TimeSpan.Zero);

    /// <summary>A day of one-minute points per series: the worst case the count bound missed.</summary>
    private const int PointsPerSeries = 1_440;

    private const long Weight = PointsPerSeries + MetricSeriesCache.EntryOverheadPoints;

    /// <summary>A CloudWatch answering every query with a full day of one-minute points, counting the series it was asked for.</summary>
    private sealed class DayOfPoints : ICloudWatchClient
    {
        public int SeriesRead { get; private set; }

        public Task<MetricDataResponse> GetMetricDataAsync(IReadOnlyList<MetricDataQuery> queries, DateTimeOffset startTime, DateTimeOffset endTime,
            ScanBy? scanBy = null, int? maxDatapoints = null, CancellationToken cancellationToken = default)
        {
            SeriesRead += queries.Count;
            return Task.FromResult(new MetricDataResponse
            {
                MetricDataResults = [.. queries.Select(q => new MetricDataResult
                {
                    Id = q.Id,
                    Timestamps = [.. Enumerable.Range(0, PointsPerSeries).Select(i => startTime.AddMinutes(i))],
                    Values = [.. Enumerable.Range(0, PointsPerSeries).Select(i => (double)i)],
                })],
            });
        }
    }

    /// <summary>Three series of one balancer over a finished day (reused for half an hour, so only the bound drops them).</summary>
    private static List<SeriesKey> Day(int daysAgo) =>
    [
        .. new[] { "RequestCount", "HTTPCode_Target_5XX_Count", "TargetResponseTime" }.Select(m =>
            new SeriesKey("AWS/ApplicationELB", m, "Sum", "LoadBalancer=app/web/0123456789abcdef", Now.Date.AddDays(-daysAgo - 1), Now.Date.AddDays(-daysAgo), 60)),
    ];

    private static MetricSeriesCache Cache(ICloudWatchClient cloudWatch, long points) =>
        new(cloudWatch, new FakeTimeProvider(Now), options: Options.Create(new MetricsOptions { CachePoints = points }));

    [Fact]
    public async Task The_points_held_never_exceed_the_bound_however_many_series_are_read()
    {
        var cloudWatch = new DayOfPoints();
        var cache = Cache(cloudWatch, 10_000);

        for (var day = 1; day <= 12; day++)
        {
            var answer = await cache.GetAsync(Day(day), CancellationToken.None);
            // Every read is answered in full, whatever is dropped afterwards.
            Assert.Equal(3, answer.Count);
            Assert.All(answer.Values, s => Assert.Equal(PointsPerSeries, s.Times.Length));
            Assert.InRange(cache.Points, 0, cache.MaxPoints);
            Assert.Equal(cache.Count * Weight, cache.Points);
        }
        // 36 series of 1,456 weigh 52,416: the bound of 10,000 keeps six of them (8,736 ≤ 90 % of it).
        Assert.Equal(6, cache.Count);
        Assert.Equal(30, cache.Evicted);
        Assert.Equal(36, cloudWatch.SeriesRead);
    }

    [Fact]
    public async Task Eviction_drops_the_least_recently_used_and_keeps_what_viewers_still_read()
    {
        var cloudWatch = new DayOfPoints();
        var cache = Cache(cloudWatch, 10_000);
        var (a, b, c) = (Day(1), Day(2), Day(3));

        await cache.GetAsync(a, CancellationToken.None);
        await cache.GetAsync(b, CancellationToken.None);
        // A is read again (from the cache): now B is the least recently used, although A was read first.
        await cache.GetAsync(a, CancellationToken.None);
        Assert.Equal(6, cloudWatch.SeriesRead);
        await cache.GetAsync(c, CancellationToken.None);

        Assert.All(a, k => Assert.True(cache.Contains(k), $"{k.MetricName} of A was dropped"));
        Assert.All(c, k => Assert.True(cache.Contains(k), $"{k.MetricName} of C was dropped"));
        Assert.All(b, k => Assert.False(cache.Contains(k), $"{k.MetricName} of B was kept"));
        Assert.Equal(6 * Weight, cache.Points);

        // A is still served from the cache; B costs a read again.
        await cache.GetAsync(a, CancellationToken.None);
        Assert.Equal(9, cloudWatch.SeriesRead);
        await cache.GetAsync(b, CancellationToken.None);
        Assert.Equal(12, cloudWatch.SeriesRead);
    }

    [Fact]
    public void The_default_bound_is_five_million_points()
    {
        Assert.Equal(5_000_000, new MetricSeriesCache(new DayOfPoints(), TimeProvider.System).MaxPoints);
    }
}
