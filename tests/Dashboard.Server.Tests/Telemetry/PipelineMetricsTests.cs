using System.Diagnostics.Metrics;
using Dashboard.Client.Feed;
using Dashboard.Server.Feed;
using Dashboard.Server.LoadBalancers;
using Dashboard.Server.Telemetry;
using Microsoft.Extensions.DependencyInjection;

namespace Dashboard.Server.Tests.Telemetry;

/// <summary>The feed and AWS instruments the issue lists count what happens (read with a MeterListener, as an exporter does).</summary>
public sealed class PipelineMetricsTests
{
    /// <summary>A feed kind of this test's own, so other tests' feeds do not count here.</summary>
    private sealed record PipelineProbe(string Name);

    [Fact]
    public async Task Feed_batches_changes_and_subscribers_are_counted_by_feed_kind()
    {
        var measured = new List<(string Instrument, long Value)>();
        using var listener = Listen(PipelineMetrics.FeedMeterName, nameof(PipelineProbe), "dashboard.feed", measured);
        var feed = new FeedBroadcaster<PipelineProbe>(TimeProvider.System, TimeSpan.Zero);
        using var stop = new CancellationTokenSource(Dashboard.Testing.Patience.Eventually);
        var subscription = feed.Subscribe(stop.Token);

        feed.Publish([FeedChange<PipelineProbe>.Upsert("a", new("a")), FeedChange<PipelineProbe>.Upsert("b", new("b"))]);
        await using (var changes = subscription.Changes.GetAsyncEnumerator(stop.Token))
        {
            Assert.True(await changes.MoveNextAsync());
        }

        lock (measured)
        {
            Assert.Equal([1L], measured.Where(m => m.Instrument == "dashboard.feed.batches").Select(m => m.Value));
            Assert.Equal([2L], measured.Where(m => m.Instrument == "dashboard.feed.changes").Select(m => m.Value));
            // Subscribed, then unsubscribed once when the enumerator ended (not twice).
            Assert.Equal([1L, -1L], measured.Where(m => m.Instrument == "dashboard.feed.active_subscribers").Select(m => m.Value));
        }
    }

    [Fact]
    public void Throttled_AWS_requests_are_counted_by_service_and_action()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var statistics = new AwsCallStatistics(services.GetRequiredService<IMeterFactory>(), TimeProvider.System);
        var measured = new List<(string Instrument, long Value)>();
        using var listener = Listen(AwsCallStatistics.MeterName, "DescribeTargetHealth", "action", measured);

        statistics.Record("ElasticLoadBalancing", "DescribeTargetHealth", AwsCallOutcome.Throttled, "Throttling");
        statistics.Record("ElasticLoadBalancing", "DescribeTargetHealth", AwsCallOutcome.Success);

        lock (measured)
        {
            Assert.Equal([1L], measured.Where(m => m.Instrument == "dashboard.aws.throttles").Select(m => m.Value));
            Assert.Equal(2, measured.Count(m => m.Instrument == "dashboard.aws.requests"));
        }
    }

    private static MeterListener Listen(string meter, string tagValue, string tagName, List<(string, long)> measured)
    {
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == meter)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == tagName && Equals(tag.Value, tagValue))
                {
                    lock (measured)
                    {
                        measured.Add((instrument.Name, value));
                    }
                }
            }
        });
        listener.Start();
        return listener;
    }
}
