using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dashboard.Client.Authorization;
using Dashboard.Server.ScaleOut;
using Dashboard.Server.SmokeTests;
using Dashboard.Server.State;
using Dashboard.Server.Tests.Api;
using Dashboard.Server.Tests.Authentication;
using Dashboard.Server.Tests.Changes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dashboard.Server.Tests.SmokeTests;

/// <summary>
/// The smoke-test lock through the HTTP API of a running server, with a second replica on the same state file (its own
/// store object and <see cref="SmokeTestLocks"/>, as another process would have): each keeps the other off an endpoint
/// under test, and a run's lock goes when it is stopped.
/// </summary>
public sealed partial class SmokeTestReplicaLockTests(ApiScenarioFixture fixture) : IClassFixture<ApiScenarioFixture>
{
    private const string Endpoint = "ingress/mlops/retail-forecast-alb-ingress";
    private const string EndpointKey = "Ingress/mlops/retail-forecast-alb-ingress";

    private async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpMethod method, string path, object? body)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Add(TestAuthenticationHandler.RolesHeader, DashboardRoles.Viewer + "," + DashboardRoles.Operator);
        request.Headers.Add(TestAuthenticationHandler.UserHeader, "olivia");
        request.Headers.Add("X-Dashboard-Request", "1");
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }
        using var response = await fixture.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    /// <summary>Another replica on the server's SQLite state file.</summary>
    private SmokeTestLocks OtherReplica()
    {
        var path = Assert.IsType<SqliteStateStore>(fixture.Services.GetRequiredService<IStateStore>()).Path;
        var store = new SqliteStateStore(path);
        var schema = new StateSchema(store, [.. TestStateStore.Migrations, SmokeTestLocks.Migration], NullLogger<StateSchema>.Instance);
        return new SmokeTestLocks(store, schema, "replica-b", TimeProvider.System);
    }

    [Fact]
    public async Task A_run_on_another_replica_refuses_a_second_one_and_a_run_here_keeps_the_other_replica_off_until_stopped()
    {
        var other = OtherReplica();
        var here = fixture.Services.GetRequiredService<IReplicaLeadership>().Replica;
        await ApiScenarioFixture.WaitUntilAsync(async () =>
        {
            var (code, body, _) = await fixture.GetAsync($"/api/v1/endpoints/{Endpoint}/verify-targets");
            return code == HttpStatusCode.OK && body.ValueKind == JsonValueKind.Array && body.GetArrayLength() > 0;
        }, "the ALB's listener to be known");

        // The other replica runs a test of the endpoint: this one refuses, naming it.
        Assert.True((await other.TryAcquireAsync(EndpointKey, "st-elsewhere", "oscar", 2, CancellationToken.None)).Acquired);
        var (busy, problem) = await SendAsync(HttpMethod.Post, $"/api/v1/endpoints/{Endpoint}/smoke-tests", new { ratePerSecond = 5, durationSeconds = 30 });
        Assert.Equal(HttpStatusCode.Conflict, busy);
        var detail = problem.GetProperty("title").GetString()!;
        Assert.Equal("busy", problem.GetProperty("code").GetString());
        Assert.Contains("st-elsewhere", detail, StringComparison.Ordinal);
        Assert.Contains("replica-b", detail, StringComparison.Ordinal);
        Assert.Contains("oscar", detail, StringComparison.Ordinal);

        // Its run ends: this replica may start one, and now the other replica is kept off.
        await other.ReleaseAsync(EndpointKey, "st-elsewhere", CancellationToken.None);
        var (started, run) = await SendAsync(HttpMethod.Post, $"/api/v1/endpoints/{Endpoint}/smoke-tests", new { ratePerSecond = 5, durationSeconds = 30 });
        Assert.Equal(HttpStatusCode.Accepted, started);
        var id = run.GetProperty("id").GetString()!;
        var refused = await other.TryAcquireAsync(EndpointKey, "st-elsewhere-2", "oscar", 2, CancellationToken.None);
        Assert.False(refused.Acquired);
        Assert.Equal((id, here, "olivia"), (refused.Holder!.RunId, refused.Holder.Replica, refused.Holder.RunBy));

        // Stopped here: the lock goes with the run, and the other replica gets the endpoint.
        var (stop, _) = await SendAsync(HttpMethod.Delete, "/api/v1/smoke-tests/" + id, null);
        Assert.Equal(HttpStatusCode.Accepted, stop);
        await ApiScenarioFixture.WaitUntilAsync(async () => await other.HolderAsync(EndpointKey, CancellationToken.None) is null, "the stopped run's lock to be released");
        Assert.True((await other.TryAcquireAsync(EndpointKey, "st-elsewhere-3", "oscar", 2, CancellationToken.None)).Acquired);
        await other.ReleaseAsync(EndpointKey, "st-elsewhere-3", CancellationToken.None);
    }
}
