using System.Net;
using Dashboard.Client.Changes;
using Dashboard.Client.Feed;
using Dashboard.Server.Audit;
using Dashboard.Server.Aws;
using Dashboard.Server.Changes;
using Dashboard.Server.Costs;
using Dashboard.Server.Kubernetes;
using Dashboard.Server.State;
using k8s;
using k8s.Autorest;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Dashboard.Server.Tests.Changes;

/// <summary>
/// Plans live in the state store, not in a replica's memory: a plan made by one replica is applied by another (the
/// dashboard's HTTP API over its SQLite file; two replicas over one PostgreSQL), exactly once, and both read the same
/// audit trail. Each "replica" here is a change service of its own (its own store objects and connections) on the
/// fixture's sandbox.
/// </summary>
public sealed class ChangePlansAcrossReplicasTests(ChangesFixture fixture) : IClassFixture<ChangesFixture>
{
    private static readonly ChangeActor Alice = new("alice", ["Viewer", "Operator"]);

    private static ChangeRequest Expose(string name) => new()
    {
        Action = ChangeActions.Expose,
        Namespace = "mlops",
        Workload = new WorkloadRef("Deployment", "retail-forecast-api"),
        Via = "nlb",
        Name = name,
        Scheme = "internal",
        TargetType = "ip",
        Port = 80,
        TargetPort = 8080,
        HealthCheck = new HealthCheckRequest { Path = "/healthz" },
    };

    private ChangeService Replica(IStateStore store, StateSchema schema) => new(
        fixture.Services.GetRequiredService<KubernetesConnection>(),
        fixture.Services.GetRequiredService<IDashboardFeed>(),
        new StateAuditStore(store, schema),
        new PlanStore(store, schema),
        fixture.Services.GetRequiredService<IOptions<ChangeOptions>>(),
        fixture.Services.GetRequiredService<IOptions<CostOptions>>(),
        fixture.Services.GetRequiredService<IOptions<AwsOptions>>(),
        TimeProvider.System,
        NullLogger<ChangeService>.Instance);

    [Fact]
    public async Task A_plan_made_by_another_replica_on_the_same_SQLite_file_is_applied_through_the_HTTP_API()
    {
        // The other replica: its own store object on the dashboard's state file.
        var (store, schema) = TestStateStore.Sqlite(fixture.StatePath).Open();
        var other = Replica(store, schema);
        var plan = await other.PlanAsync(Expose("replica-sqlite"), Alice, CancellationToken.None);
        Assert.True(plan.DryRunOk, string.Join(" ", plan.Objects.Select(o => o.DryRun.Message)));

        var (status, applied, _) = await fixture.PostAsync($"/api/v1/changes/{plan.PlanId}/apply", null, ChangesFixture.Operator, user: "alice");

        Assert.Equal(HttpStatusCode.Accepted, status);
        var client = await fixture.KubernetesAsync();
        var service = await client.CoreV1.ReadNamespacedServiceAsync("replica-sqlite", "mlops");
        Assert.Equal("/healthz", service.Metadata.Annotations["service.beta.kubernetes.io/aws-load-balancer-healthcheck-path"]);
        // Used once, wherever it was used; the other replica reads the change from the shared trail.
        var again = await Assert.ThrowsAsync<ChangeRefusedException>(() => other.ApplyAsync(plan.PlanId, false, Alice, CancellationToken.None));
        Assert.Equal(ChangeRefusal.NotFound, again.Reason);
        Assert.Equal("alice", (await other.GetChangeAsync(applied.GetProperty("changeId").GetString()!, CancellationToken.None))?.User);
    }

    [SkippableFact]
    public async Task Two_replicas_on_PostgreSQL_share_plans_and_one_apply_wins()
    {
        var (database, skip) = await TestStateStore.PostgresAsync();
        Skip.If(database is null, skip);
        await using var _ = database;
        var (storeA, schemaA) = database.Open();
        var (storeB, schemaB) = database.Open();
        var a = Replica(storeA, schemaA);
        var b = Replica(storeB, schemaB);

        var plan = await a.PlanAsync(Expose("replica-postgres"), Alice, CancellationToken.None);
        var seen = await b.FindPlanAsync(plan.PlanId, Alice, CancellationToken.None);
        Assert.NotNull(seen);
        Assert.Equal(plan.Objects.Single().Manifest, seen.Objects.Single().Manifest);
        Assert.Null(await b.FindPlanAsync(plan.PlanId, new ChangeActor("mallory", ["Viewer", "Operator"]), CancellationToken.None));

        // Both replicas apply the same plan at once: exactly one applies it.
        var attempts = await Task.WhenAll(new[] { a, b }.Select(async replica =>
        {
            try
            {
                return (Record: await replica.ApplyAsync(plan.PlanId, false, Alice, CancellationToken.None), Refused: (ChangeRefusedException?)null);
            }
            catch (ChangeRefusedException e)
            {
                return (Record: (ChangeRecord?)null, Refused: e);
            }
        }));

        var winner = Assert.Single(attempts, x => x.Record is not null).Record!;
        Assert.Equal(ChangeRefusal.NotFound, Assert.Single(attempts, x => x.Refused is not null).Refused!.Reason);
        var client = await fixture.KubernetesAsync();
        Assert.NotNull(await client.CoreV1.ReadNamespacedServiceAsync("replica-postgres", "mlops"));
        Assert.Equal(ChangeOutcomes.Applied, (await a.GetChangeAsync(winner.ChangeId, CancellationToken.None))?.Outcome);
        Assert.Contains(await b.ListAsync(new AuditQuery { Namespace = "mlops", User = "alice" }, CancellationToken.None), r => r.ChangeId == winner.ChangeId);

        // Clean up through the same path: the rollback plan, made by B, deletes what A or B created.
        var rollback = await b.PlanRollbackAsync(winner.ChangeId, Alice, CancellationToken.None);
        await a.ApplyAsync(rollback.PlanId, false, Alice, CancellationToken.None);
        await Api.ApiScenarioFixture.WaitUntilAsync(async () =>
        {
            try
            {
                await client.CoreV1.ReadNamespacedServiceAsync("replica-postgres", "mlops");
                return false;
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
            {
                return true;
            }
        }, "the rolled-back Service to be gone");
    }

    [Fact]
    public async Task An_expired_plan_is_refused_on_any_replica_and_removed()
    {
        var (store, schema) = TestStateStore.Sqlite(fixture.StatePath).Open();
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        var other = new ChangeService(
            fixture.Services.GetRequiredService<KubernetesConnection>(),
            fixture.Services.GetRequiredService<IDashboardFeed>(),
            new StateAuditStore(store, schema),
            new PlanStore(store, schema),
            fixture.Services.GetRequiredService<IOptions<ChangeOptions>>(),
            fixture.Services.GetRequiredService<IOptions<CostOptions>>(),
            fixture.Services.GetRequiredService<IOptions<AwsOptions>>(),
            clock,
            NullLogger<ChangeService>.Instance);
        var plan = await other.PlanAsync(Expose("replica-expired"), Alice, CancellationToken.None);

        clock.Now = plan.ExpiresAt.AddSeconds(1);
        var expired = await Assert.ThrowsAsync<ChangeRefusedException>(() => other.ApplyAsync(plan.PlanId, false, Alice, CancellationToken.None));

        Assert.Equal(ChangeRefusal.Expired, expired.Reason);
        Assert.Null(await new PlanStore(store, schema).FindAsync(plan.PlanId, CancellationToken.None));
        var client = await fixture.KubernetesAsync();
        var missing = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.ReadNamespacedServiceAsync("replica-expired", "mlops"));
        Assert.Equal(HttpStatusCode.NotFound, missing.Response.StatusCode);
    }

    private sealed class ManualClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
