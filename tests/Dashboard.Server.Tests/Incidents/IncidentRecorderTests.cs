using Dashboard.Client.Model;
using Dashboard.Server.Aws;
using Dashboard.Server.Feed;
using Dashboard.Server.Incidents;
using Dashboard.Server.LoadBalancers;
using Dashboard.Server.ScaleOut;
using Dashboard.Server.State;
using Dashboard.Server.Tests.Authentication.Sessions;
using Dashboard.Server.Tests.ScaleOut;
using Dashboard.Server.Tests.Support;
using Dashboard.Server.Tests.Topology;
using Dashboard.Server.Topology;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace Dashboard.Server.Tests.Incidents;

/// <summary>
/// The incident recorder over the real topology join and a real state store: the leader records, a new leader continues
/// the same incident from the store (SQLite: a restart; PostgreSQL: two replicas at once, the follower told by NOTIFY).
/// </summary>
public sealed class IncidentRecorderTests : IAsyncLifetime
{
    private static readonly Dictionary<string, string> IpNlb = new() { ["service.beta.kubernetes.io/aws-load-balancer-type"] = "external" };
    private static readonly ObjectRef Broken = new(ObjectKind.Service, "mlops", "b");
    private readonly string _folder = Directory.CreateTempSubdirectory("incidents-").FullName;
    private PostgresTestSchema? _schema;
    private readonly List<IDisposable> _disposables = [];
    private string? _postgres;

    public async Task InitializeAsync()
    {
        _schema = await PostgresTestSchema.CreateAsync("dashboard_incidents");
        _postgres = _schema.ConnectionString;
    }

    public async Task DisposeAsync()
    {
        foreach (var disposable in _disposables)
        {
            disposable.Dispose();
        }
        SqliteConnectionPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // Held by a pooled connection: the temp folder is cleaned later.
        }
        if (_schema is not null)
        {
            await _schema.DisposeAsync();
        }
    }

    private static void SqliteConnectionPools() => Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();

    private sealed class Leadership(string replica) : IReplicaLeadership
    {
        public volatile bool Leads;

        public bool IsLeader => Leads;

        public string Replica => replica;

        public string? LeaseHolder => null;

        public string Kind => "test";

        public string? Lease => null;
    }

    private sealed class NoDns : IDnsLookup
    {
        public Task<DnsAnswer> LookupAsync(string host, CancellationToken cancellationToken) =>
            Task.FromResult(DnsAnswer.Unavailable(host, "offline in tests", K8s.Now));
    }

    private sealed record Replica(IncidentRecorder Recorder, TopologyFeed Topology, AwsSnapshotStore Aws, Leadership Leadership);

    private static (Dashboard.Server.LoadBalancers.AwsSnapshot Snapshot, KubernetesSnapshot Kubernetes) World(string state)
    {
        var aws = new AwsFixture();
        var a = aws.Group(aws.Balancer("k8s-mlops-a-1234567890"), "k8s-mlops-a-tg");
        var b = aws.Group(aws.Balancer("k8s-mlops-b-1234567890"), "k8s-mlops-b-tg");
        aws.Target(a, "10.0.1.10", 8080).Target(b, "10.0.2.10", 8080, state, state == "healthy" ? null : "Target.Timeout", since: K8s.Now.AddMinutes(-3));
        var kubernetes = new KubernetesSnapshot
        {
            Services = [K8s.Service("mlops", "a", IpNlb), K8s.Service("mlops", "b", IpNlb)],
            TargetGroupBindings = [K8s.Binding("mlops", a.TargetGroupArn, "a"), K8s.Binding("mlops", b.TargetGroupArn, "b")],
        };
        return (aws.Build(), kubernetes);
    }

    private Replica Start(IStateStore store, string name, TimeProvider time, string state = "unhealthy", TimeSpan? interval = null)
    {
        var (snapshot, kubernetes) = World(state);
        var aws = new AwsSnapshotStore();
        aws.Publish(snapshot);
        var topology = new TopologyFeed(() => kubernetes, aws, new NoDns(), null, new TopologyOptions { Debounce = TimeSpan.FromMilliseconds(10) }, K8s.Cluster, time, NullLogger.Instance);
        var sources = new SourceStatusRegistry(time);
        sources.Publish(new SourceStatus { Key = SourceStatusBoard.KubernetesSourceKey, DisplayName = "Kubernetes", State = SourceState.Live });
        var leadership = new Leadership(name);
        var schema = new StateSchema(store, [IncidentMigrations.Incidents], NullLogger<StateSchema>.Instance);
        var recorder = new IncidentRecorder(store, schema, leadership, topology, aws, sources,
            Options.Create(new SharingOptions { PublishAwsSnapshot = true }), Options.Create(new AwsOptions()),
            Options.Create(new IncidentOptions { EvaluateInterval = interval ?? TimeSpan.FromHours(1) }), time, NullLogger<IncidentRecorder>.Instance);
        _disposables.Add(topology);
        _disposables.Add(recorder);
        return new Replica(recorder, topology, aws, leadership);
    }

    /// <summary>One evaluation as the loop makes it once the join is ready: mark, join, evaluate.</summary>
    private static async Task EvaluateJoinedAsync(Replica replica)
    {
        await replica.Recorder.EvaluateAsync(CancellationToken.None);
        replica.Topology.Recompute();
        await replica.Recorder.EvaluateAsync(CancellationToken.None);
    }

    [Fact]
    public async Task The_next_leader_continues_the_stored_incident_and_clears_it_as_one_incident()
    {
        var store = new SqliteStateStore(Path.Combine(_folder, "state.db"));
        var time = new FakeTimeProvider(K8s.Now);
        var a = Start(store, "replica-a", time);
        await new StateSchema(store, [IncidentMigrations.Incidents], NullLogger<StateSchema>.Instance).EnsureMigratedAsync(CancellationToken.None);
        a.Leadership.Leads = true;

        // Nothing is recorded before the join has run on the snapshot (an empty triage list is not "all clear").
        await a.Recorder.EvaluateAsync(CancellationToken.None);
        Assert.Empty(a.Recorder.History.Snapshot);
        a.Topology.Recompute();
        await a.Recorder.EvaluateAsync(CancellationToken.None);
        var opened = Assert.Single(a.Recorder.History.Snapshot);
        Assert.Equal(Broken, opened.Endpoint);
        Assert.Equal(K8s.Now.AddMinutes(-3), opened.StartedAt);
        Assert.Equal(TriageSeverity.Outage, opened.Severity);

        // replica-a goes away; replica-b becomes the leader with a fresh process's state: only the store.
        a.Leadership.Leads = false;
        time.Advance(TimeSpan.FromSeconds(20));
        var b = Start(store, "replica-b", time);
        b.Leadership.Leads = true;
        await EvaluateJoinedAsync(b);
        var continued = Assert.Single(b.Recorder.History.Snapshot);
        Assert.Equal(opened.Id, continued.Id);
        Assert.True(continued.Open);

        b.Aws.Publish(World("healthy").Snapshot);
        time.Advance(TimeSpan.FromSeconds(10));
        b.Topology.Recompute();
        await b.Recorder.EvaluateAsync(CancellationToken.None);

        var (stored, _) = await new IncidentRepository(store).ReadAsync(null, CancellationToken.None);
        var cleared = Assert.Single(stored);
        Assert.Equal(opened.Id, cleared.Id);
        Assert.Equal(K8s.Now.AddSeconds(30), cleared.ClearedAt);
        Assert.Equal(("replica-a", "replica-b"), (cleared.OpenedBy, cleared.ClearedBy));
        Assert.Equal(cleared, Assert.Single(b.Recorder.History.Snapshot), IncidentComparer.Instance);
    }

    [SkippableFact]
    public async Task On_PostgreSQL_the_follower_serves_the_leaders_incidents_at_once_and_continues_them_after_a_failover()
    {
        Skip.If(_postgres is null, $"No PostgreSQL server: set {PostgresTicketStoreTests.EnvironmentVariable} (test.sh starts one).");
        await using var dataSourceA = NpgsqlDataSource.Create(_postgres!);
        await using var dataSourceB = NpgsqlDataSource.Create(_postgres!);
        var storeA = new PostgresStateStore(dataSourceA, NullLogger<PostgresStateStore>.Instance);
        var storeB = new PostgresStateStore(dataSourceB, NullLogger<PostgresStateStore>.Instance);
        var a = Start(storeA, "replica-a", TimeProvider.System, interval: TimeSpan.FromMilliseconds(100));
        var b = Start(storeB, "replica-b", TimeProvider.System, interval: TimeSpan.FromMilliseconds(100));
        a.Leadership.Leads = true;
        using var stop = new CancellationTokenSource();
        foreach (var replica in new[] { a, b })
        {
            await replica.Topology.StartAsync(stop.Token);
            await replica.Recorder.StartAsync(stop.Token);
        }
        try
        {
            await Until.TrueAsync(() => a.Recorder.History.Snapshot.Length == 1, "the leader records the incident");
            var opened = a.Recorder.History.Snapshot[0];
            // The follower hears of it (NOTIFY) and serves the same incident; it writes nothing itself.
            await Until.TrueAsync(() => b.Recorder.History.Snapshot.Any(i => i.Id == opened.Id), "the follower serves the leader's incident");
            Assert.Equal(0, b.Recorder.Writes);

            // Failover: a stops leading, b leads and continues the same incident; then the endpoint recovers.
            a.Leadership.Leads = false;
            b.Leadership.Leads = true;
            b.Aws.Publish(World("healthy").Snapshot);
            await Until.TrueAsync(() => b.Recorder.History.Snapshot.SingleOrDefault() is { Open: false }, "the new leader clears it");
            var cleared = b.Recorder.History.Snapshot.Single();
            Assert.Equal(opened.Id, cleared.Id);
            Assert.Equal(("replica-a", "replica-b"), (cleared.OpenedBy, cleared.ClearedBy));
            await Until.TrueAsync(() => a.Recorder.History.Snapshot.SingleOrDefault() is { Open: false }, "the old leader, now a follower, serves the clear");
        }
        finally
        {
            await stop.CancelAsync();
            foreach (var replica in new[] { a, b })
            {
                await replica.Recorder.StopAsync(CancellationToken.None);
                await replica.Topology.StopAsync(CancellationToken.None);
            }
        }
    }

    /// <summary>Incidents compare by content (their arrays are compared item by item).</summary>
    private sealed class IncidentComparer : IEqualityComparer<EndpointIncident>
    {
        public static IncidentComparer Instance { get; } = new();

        public bool Equals(EndpointIncident? x, EndpointIncident? y) =>
            x is not null && y is not null && System.Text.Json.JsonSerializer.Serialize(x) == System.Text.Json.JsonSerializer.Serialize(y);

        public int GetHashCode(EndpointIncident obj) => obj.Id.GetHashCode(StringComparison.Ordinal);
    }
}
