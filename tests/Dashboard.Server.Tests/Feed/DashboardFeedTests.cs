using Dashboard.Client.Feed;
using Dashboard.Client.Model;
using Dashboard.Server.Feed;
using Dashboard.Server.Inventory;
using Microsoft.Extensions.Time.Testing;

namespace Dashboard.Server.Tests.Feed;

/// <summary>The one dashboard feed on a host that runs the inventory alone (no topology, no costs).</summary>
public class DashboardFeedTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    private static IDashboardFeed InventoryOnly(out KubernetesInventory inventory)
    {
        var time = new FakeTimeProvider();
        inventory = new KubernetesInventory(new ClusterIndex(), time);
        return new DashboardFeed(inventory, new SourceStatusRegistry(time), time);
    }

    [Fact]
    public void Each_kind_is_served_by_the_broadcaster_of_the_stage_that_computes_it()
    {
        var feed = InventoryOnly(out var inventory);

        Assert.Same(inventory.Services, feed.Services);
        Assert.Same(inventory.Ingresses, feed.Ingresses);
    }

    [Fact]
    public async Task Kinds_the_host_does_not_compute_are_empty_and_their_subscriptions_end_on_cancellation()
    {
        var feed = InventoryOnly(out _);
        using var cts = new CancellationTokenSource();

        var subscriptions = new (System.Collections.IEnumerable Snapshot, Func<CancellationToken, ValueTask<bool>> Next)[]
        {
            Open(feed.LoadBalancers, cts.Token),
            Open(feed.Triage, cts.Token),
            Open(feed.CostReport, cts.Token),
            Open(feed.Endpoint(new ObjectRef(ObjectKind.Service, "mlops", "api")), cts.Token),
            Open(feed.TargetHealth, cts.Token),
        };
        Assert.All(subscriptions.Take(4), s => Assert.Empty(s.Snapshot));
        Assert.Equal(0, Assert.Single(feed.TargetHealth.Snapshot).TotalTargets);

        var pending = subscriptions.Select(s => s.Next(cts.Token).AsTask()).ToList();
        Assert.DoesNotContain(pending, t => t.IsCompleted);
        await cts.CancelAsync();
        foreach (var next in pending)
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => next.WaitAsync(Bound));
        }
    }

    [Fact]
    public async Task Pod_logs_say_why_they_are_unavailable_and_a_cost_refresh_is_refused()
    {
        var feed = InventoryOnly(out _);

        var log = await feed.GetPodLogAsync("mlops", "api-1", 10, CancellationToken.None);

        Assert.Contains("not available", log.Error, StringComparison.Ordinal);
        await Assert.ThrowsAsync<InvalidOperationException>(() => feed.RefreshCostReportAsync(CancellationToken.None));
    }

    private static (System.Collections.IEnumerable, Func<CancellationToken, ValueTask<bool>>) Open<T>(IFeed<T> feed, CancellationToken token) where T : class
    {
        var subscription = feed.Subscribe(token);
        var changes = subscription.Changes.GetAsyncEnumerator(token);
        return (subscription.Snapshot, _ => changes.MoveNextAsync());
    }
}
