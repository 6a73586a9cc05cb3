using Dashboard.Client.Model;
using Dashboard.Sandbox;
using Dashboard.Sandbox.Aws;
using Dashboard.Server.LoadBalancers;
using Dashboard.Server.ScaleOut;
using Dashboard.Server.Tests.LoadBalancers;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Sim = Dashboard.Sandbox.Aws;

namespace Dashboard.Server.Tests.ScaleOut;

/// <summary>
/// A single replica with the embedded default store (SQLite): a restart serves the stored AWS snapshot before reading
/// AWS again, labelled with where it came from, and its poller continues from it (time-in-state is kept); the Data
/// Protection keys survive too.
/// </summary>
public sealed class WarmRestartTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("dashboard-warm-").FullName;
    private SandboxHost _sandbox = null!;

    public async Task InitializeAsync() =>
        _sandbox = await SandboxHost.StartAsync(new SandboxOptions { KubernetesUrl = "http://127.0.0.1:0", AwsUrl = "http://127.0.0.1:0", LoadScenario = false }, null, CancellationToken.None);

    public async Task DisposeAsync()
    {
        await _sandbox.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private Dictionary<string, string?> Settings()
    {
        var settings = ReplicaHost.Settings(_sandbox, "unused");
        settings["Dashboard:State:SqlitePath"] = Path.Combine(_directory, "state.db");
        return settings;
    }

    [Fact]
    public async Task A_restart_serves_the_stored_snapshot_at_once_labelled_and_continues_from_it()
    {
        var (_, listener) = _sandbox.AwsWorld.AddAlb("warm-alb");
        var group = _sandbox.AwsWorld.AddGroup(listener, "warm", 1, targets: 2);
        _sandbox.AwsWorld.SetTargetHealth(group.Arn, AwsPollingWorld.TargetIp(1, 0), 8080, Sim.TargetHealthState.Unhealthy, "Target.FailedHealthChecks");

        TargetGroupHealth before;
        byte[] protectedText;
        await using (var first = await ReplicaHost.StartAsync(_sandbox, "replica-first", Settings()))
        {
            Assert.Equal("single", first.Leadership.Kind);
            // Written once the first read is complete.
            await Until.TrueAsync(async () =>
            {
                var document = await first.State.ReadDocumentAsync(PublishedAwsSnapshot.DocumentKey, CancellationToken.None);
                var stored = document is null ? null : PublishedAwsSnapshot.Deserialize(document.Content);
                return stored?.Snapshot.TargetHealth.GetValueOrDefault(group.Arn)?.Targets.Length == 2;
            }, "the first replica stores the snapshot with the group's health");
            await first.StopAsync();
            var document = await first.State.ReadDocumentAsync(PublishedAwsSnapshot.DocumentKey, CancellationToken.None);
            before = PublishedAwsSnapshot.Deserialize(document!.Content)!.Snapshot.TargetHealth[group.Arn];
            protectedText = first.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("warm-test").Protect("signed in"u8.ToArray());
        }

        // AWS refuses every ELBv2 call while the second replica starts: whatever it shows comes from the store.
        var outage = _sandbox.AwsFaults.Add(new AwsFaultRule { Kind = AwsFaultKind.ServerError, Service = "elasticloadbalancing", StatusCode = 503 });
        await using var second = await ReplicaHost.StartAsync(_sandbox, "replica-second", Settings());

        var restored = second.Snapshots.Current.TargetHealth[group.Arn];
        Assert.Equal(before.AsOf, restored.AsOf);
        Assert.Equal(before.Targets.Select(t => (t.Description.Target.Id, t.Since)), restored.Targets.Select(t => (t.Description.Target.Id, t.Since)));
        Assert.Equal("replica-first", second.Sharing.Published?.Replica);
        var status = second.Sources.Get(AwsPoller.SourceKey)!;
        Assert.Equal(SourceState.Stale, status.State);
        Assert.Equal("replica-first", ScaleOutExtensions.Status(second.Leadership, second.State, second.Sharing, second.Sources, TimeProvider.System).Published?.Replica);
        Assert.Equal("signed in"u8.ToArray(), second.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("warm-test").Unprotect(protectedText));

        // AWS answers again: the poller reads the group itself and keeps the time each target has been in its state.
        _sandbox.AwsFaults.Remove(outage);
        await Until.TrueAsync(() => second.Snapshots.Current.TargetHealth[group.Arn].AsOf > before.AsOf, "the second replica reads the group again");
        var after = second.Snapshots.Current.TargetHealth[group.Arn];
        Assert.Equal(before.Targets.Select(t => (t.Description.Target.Id, t.Since)), after.Targets.Select(t => (t.Description.Target.Id, t.Since)));
        Assert.Equal(SourceState.Live, second.Sources.Get(AwsPoller.SourceKey)!.State);
    }

    [Fact]
    public async Task A_stored_snapshot_of_another_endpoint_is_not_served()
    {
        var (_, listener) = _sandbox.AwsWorld.AddAlb("other-alb");
        _sandbox.AwsWorld.AddGroup(listener, "other", 1, targets: 1);
        await using (var first = await ReplicaHost.StartAsync(_sandbox, "replica-first", Settings()))
        {
            await Until.TrueAsync(() => first.Sharing.Writes > 0, "the first replica stores a snapshot");
        }

        var elsewhere = Settings();
        elsewhere["Dashboard:Aws:Endpoints:ElasticLoadBalancing"] = "http://127.0.0.1:9";
        await using var second = await ReplicaHost.StartAsync(_sandbox, "replica-second", elsewhere);

        Assert.Null(second.Sharing.Published);
        Assert.Empty(second.Snapshots.Current.LoadBalancers);
    }
}
