using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Dashboard.Client.Changes;
using Dashboard.Client.Model;
using Dashboard.Client.SmokeTests;
using Dashboard.Server.SmokeTests;
using Dashboard.Server.State;
using Dashboard.Server.Tests.Api;
using Dashboard.Server.Tests.Changes;
using Dashboard.Server.Verify;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dashboard.Server.Tests.SmokeTests;

/// <summary>
/// A smoke test read and stopped from a replica that does not run it: the running server (HTTP API) and a second
/// <see cref="SmokeTestService"/> on the same state file with its own store objects and an empty endpoint board, as
/// another process (or this one after a restart) would have.
/// </summary>
public sealed partial class SmokeTestReplicaLockTests
{
    private static readonly ObjectRef EndpointRef = new(ObjectKind.Ingress, "mlops", "retail-forecast-alb-ingress");

    /// <summary>Another replica's smoke-test service on the server's SQLite state file; <paramref name="replica"/> names it.</summary>
    private SmokeTestService OtherReplicaService(string replica)
    {
        var path = Assert.IsType<SqliteStateStore>(fixture.Services.GetRequiredService<IStateStore>()).Path;
        var store = new SqliteStateStore(path);
        var schema = new StateSchema(store, [.. TestStateStore.Migrations, SmokeTestLocks.Migration, SmokeTestRunStore.Migration],
            NullLogger<StateSchema>.Instance);
        return ActivatorUtilities.CreateInstance<SmokeTestService>(fixture.Services, store, new EndpointProbeBoard(),
            new SmokeTestLocks(store, schema, replica, TimeProvider.System), new SmokeTestRunStore(store, schema, replica, TimeProvider.System));
    }

    private Task WaitForTargetsAsync() => ApiScenarioFixture.WaitUntilAsync(async () =>
    {
        var (code, body, _) = await fixture.GetAsync($"/api/v1/endpoints/{Endpoint}/verify-targets");
        return code == HttpStatusCode.OK && body.ValueKind == JsonValueKind.Array && body.GetArrayLength() > 0;
    }, "the ALB's listener to be known");

    [Fact]
    public async Task A_run_here_is_read_and_stopped_from_another_replica_and_its_result_answers_after_a_restart()
    {
        await WaitForTargetsAsync();
        await ApiScenarioFixture.WaitUntilAsync(async () => await OtherReplica().HolderAsync(EndpointKey, CancellationToken.None) is null, "no run of the endpoint");
        await using var other = OtherReplicaService("replica-b");
        var (started, run) = await SendAsync(HttpMethod.Post, $"/api/v1/endpoints/{Endpoint}/smoke-tests", new { ratePerSecond = 5, durationSeconds = 30 });
        Assert.Equal(HttpStatusCode.Accepted, started);
        var id = run.GetProperty("id").GetString()!;

        // The other replica answers for the run at once, then with the figures the running replica writes every second.
        var first = await other.GetAsync(id, CancellationToken.None);
        Assert.Equal(("running", "olivia"), (first!.State, first.RunBy));
        await ApiScenarioFixture.WaitUntilAsync(async () => (await other.GetAsync(id, CancellationToken.None))?.Requests > 0, "the other replica to see requests counted");
        Assert.Equal(id, (await other.RunningAsync(EndpointRef, CancellationToken.None))?.Id);

        // Stopped from the other replica: the request is recorded in the store and the running replica acts on it.
        var clock = Stopwatch.StartNew();
        Assert.True(await other.StopAsync(id, new ChangeActor("oscar", []), CancellationToken.None));
        await ApiScenarioFixture.WaitUntilAsync(async () =>
        {
            var (code, body, _) = await fixture.GetAsync("/api/v1/smoke-tests/" + id);
            return code == HttpStatusCode.OK && body.GetProperty("state").GetString() == "stopped";
        }, "the run to stop on the replica running it");
        // Well before the run's own end (30 s): the 1 s write noticed the request.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"stopped {clock.Elapsed.TotalSeconds:0.0} s after the request");
        var (_, stopped, _) = await fixture.GetAsync("/api/v1/smoke-tests/" + id);
        Assert.Equal("stopped by oscar", stopped.GetProperty("stopReason").GetString());

        // Its result, kept in the store, answers on the other replica and on one started afresh (after a restart).
        await ApiScenarioFixture.WaitUntilAsync(async () => (await other.GetAsync(id, CancellationToken.None))?.State == "stopped", "the other replica to read the result");
        await using var restarted = OtherReplicaService("replica-c");
        var kept = await restarted.GetAsync(id, CancellationToken.None);
        Assert.Equal(("stopped", "stopped by oscar"), (kept!.State, kept.StopReason));
        Assert.Equal(stopped.GetProperty("requests").GetInt64(), kept.Requests);
        Assert.Null(await restarted.RunningAsync(EndpointRef, CancellationToken.None));
        Assert.False(await restarted.StopAsync(id, new ChangeActor("oscar", []), CancellationToken.None));
        Assert.Null(await restarted.GetAsync("st-000000000000", CancellationToken.None));
        await ApiScenarioFixture.WaitUntilAsync(async () => await OtherReplica().HolderAsync(EndpointKey, CancellationToken.None) is null, "the stopped run's lock to be released");
    }

    [Fact]
    public async Task A_run_on_another_replica_is_served_and_stopped_by_this_replicas_api()
    {
        await WaitForTargetsAsync();
        await ApiScenarioFixture.WaitUntilAsync(async () => await OtherReplica().HolderAsync(EndpointKey, CancellationToken.None) is null, "no run of the endpoint");
        await using var other = OtherReplicaService("replica-b");
        var run = await other.StartAsync(EndpointRef, new SmokeTestRequest { RatePerSecond = 5, DurationSeconds = 30 }, new ChangeActor("oscar", []), CancellationToken.None);

        // This replica's API answers from the store: the run's latest figures, and it is listed as the endpoint's running test.
        await ApiScenarioFixture.WaitUntilAsync(async () =>
        {
            var (code, body, _) = await fixture.GetAsync("/api/v1/smoke-tests/" + run.Id);
            return code == HttpStatusCode.OK && body.GetProperty("state").GetString() == "running" && body.GetProperty("requests").GetInt64() > 0;
        }, "this replica to serve the other replica's live figures");
        var (listed, list, _) = await fixture.GetAsync($"/api/v1/endpoints/{Endpoint}/smoke-tests");
        Assert.Equal(HttpStatusCode.OK, listed);
        Assert.Equal(run.Id, list[0].GetProperty("id").GetString());

        // DELETE here stops it there.
        var (stop, _) = await SendAsync(HttpMethod.Delete, "/api/v1/smoke-tests/" + run.Id, null);
        Assert.Equal(HttpStatusCode.Accepted, stop);
        await ApiScenarioFixture.WaitUntilAsync(async () => (await other.GetAsync(run.Id, CancellationToken.None))?.State == "stopped", "the other replica's run to stop");
        Assert.Equal("stopped by olivia", (await other.GetAsync(run.Id, CancellationToken.None))!.StopReason);
        await ApiScenarioFixture.WaitUntilAsync(async () =>
        {
            var (code, body, _) = await fixture.GetAsync("/api/v1/smoke-tests/" + run.Id);
            return code == HttpStatusCode.OK && body.GetProperty("state").GetString() == "stopped";
        }, "this replica to serve the stopped result");

        // A second stop finds nothing running: 404, as for an unknown id.
        var (again, _) = await SendAsync(HttpMethod.Delete, "/api/v1/smoke-tests/" + run.Id, null);
        Assert.Equal(HttpStatusCode.NotFound, again);
        await ApiScenarioFixture.WaitUntilAsync(async () => await OtherReplica().HolderAsync(EndpointKey, CancellationToken.None) is null, "the stopped run's lock to be released");
    }
}
