using Dashboard.Client.Model;
using Dashboard.Server.Kubernetes;

namespace Dashboard.Server.Tests.Kubernetes;

public class KubernetesCachesTests
{
    private static readonly DateTimeOffset T0 = new(2024, 1, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Combined_status_is_syncing_until_every_kind_has_listed()
    {
        var status = KubernetesCaches.Combine([
            new CacheStatus("services", SourceState.Live, T0, null, null),
            new CacheStatus("pods", SourceState.Syncing, null, null, null),
        ]);

        Assert.Equal(SourceState.Syncing, status.State);
        Assert.Null(status.LastGoodAt);
        Assert.Equal("kubernetes", status.Key);
    }

    [Fact]
    public void Combined_status_is_stale_when_any_kind_fails_with_the_oldest_good_time_and_the_reason()
    {
        var status = KubernetesCaches.Combine([
            new CacheStatus("services", SourceState.Live, T0.AddMinutes(5), null, null),
            new CacheStatus("pods", SourceState.Stale, T0, "cannot reach the Kubernetes API (pods): refused", T0.AddMinutes(6)),
        ]);

        Assert.Equal(SourceState.Stale, status.State);
        Assert.Equal(T0, status.LastGoodAt);
        Assert.Equal("cannot reach the Kubernetes API (pods): refused", status.Message);
        Assert.Equal(T0.AddMinutes(6), status.NextRetryAt);
    }

    [Fact]
    public void Combined_status_is_live_when_every_kind_is_live()
    {
        var status = KubernetesCaches.Combine([
            new CacheStatus("services", SourceState.Live, T0, null, null),
            new CacheStatus("pods", SourceState.Live, T0.AddSeconds(1), null, null),
        ]);

        Assert.Equal(SourceState.Live, status.State);
        Assert.Null(status.Message);
    }
}
