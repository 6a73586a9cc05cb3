using Dashboard.Sandbox;
using Dashboard.Sandbox.Aws.Emulator;
using Dashboard.Server.LoadBalancers;
using Dashboard.Server.ScaleOut;
using Dashboard.Server.State;
using Dashboard.Server.Tests.Authentication.Sessions;
using Dashboard.Server.Tests.LoadBalancers;
using k8s;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Sim = Dashboard.Sandbox.Aws;

namespace Dashboard.Server.Tests.ScaleOut;

/// <summary>
/// Two replicas against one sandbox (its Kubernetes API holds the Lease, its AWS endpoint counts every request) and one
/// PostgreSQL (a schema of this test's own, from <c>DASHBOARD_TEST_POSTGRES</c>; skipped without it): one polls, the
/// other serves what it publishes, and when the poller stops the other takes over from the published state.
/// </summary>
public sealed class PostgresReplicasTests : IAsyncLifetime
{
    private readonly string _schema = $"dashboard_scaleout_{Guid.NewGuid():N}";
    private readonly string _lease = $"endpoint-dashboard-test-{Guid.NewGuid():N}"[..40];
    private string? _connectionString;
    private string? _skipReason;
    private SandboxHost _sandbox = null!;

    public async Task InitializeAsync()
    {
        _sandbox = await SandboxHost.StartAsync(new SandboxOptions { KubernetesUrl = "http://127.0.0.1:0", AwsUrl = "http://127.0.0.1:0", LoadScenario = false }, null, CancellationToken.None);
        var connectionString = Environment.GetEnvironmentVariable(PostgresTicketStoreTests.EnvironmentVariable);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            _skipReason = $"No PostgreSQL server: set {PostgresTicketStoreTests.EnvironmentVariable} (test.sh starts one) to run the several-replica tests.";
            return;
        }
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(connectionString) { Timeout = 5 };
            await using (var admin = NpgsqlDataSource.Create(builder.ConnectionString))
            await using (var create = admin.CreateCommand($"CREATE SCHEMA {_schema};"))
            {
                await create.ExecuteNonQueryAsync();
            }
            builder.SearchPath = _schema;
            _connectionString = builder.ConnectionString;
        }
        catch (NpgsqlException exception)
        {
            _skipReason = $"PostgreSQL from {PostgresTicketStoreTests.EnvironmentVariable} did not answer: {exception.Message}";
        }
    }

    public async Task DisposeAsync()
    {
        await _sandbox.DisposeAsync();
        if (_connectionString is not null)
        {
            NpgsqlConnection.ClearAllPools();
            var builder = new NpgsqlConnectionStringBuilder(_connectionString) { SearchPath = null };
            await using var admin = NpgsqlDataSource.Create(builder.ConnectionString);
            await using var drop = admin.CreateCommand($"DROP SCHEMA IF EXISTS {_schema} CASCADE;");
            await drop.ExecuteNonQueryAsync();
        }
    }

    private Dictionary<string, string?> Settings()
    {
        var settings = ReplicaHost.Settings(_sandbox, _lease);
        settings["ConnectionStrings:Dashboard"] = _connectionString;
        return settings;
    }

    private Task<ReplicaHost[]> StartReplicasAsync(params string[] identities) =>
        Task.WhenAll(identities.Select(identity => ReplicaHost.StartAsync(_sandbox, identity, Settings())));

    [SkippableFact]
    public async Task One_replica_polls_AWS_the_other_serves_what_it_publishes_and_takes_over_when_it_stops()
    {
        Skip.If(_skipReason is not null, _skipReason);
        var (_, listener) = _sandbox.AwsWorld.AddAlb("replicas-alb");
        var group = _sandbox.AwsWorld.AddGroup(listener, "replicas", 1, targets: 2);
        var replicas = await StartReplicasAsync("replica-a", "replica-b");
        await using var a = replicas[0];
        await using var b = replicas[1];

        // One holder, as the Lease in the API server says.
        await Until.TrueAsync(() => a.Leadership.IsLeader != b.Leadership.IsLeader, "exactly one replica leads");
        var (leader, follower) = a.Leadership.IsLeader ? (a, b) : (b, a);
        using var kubernetes = new k8s.Kubernetes(new KubernetesClientConfiguration { Host = _sandbox.KubernetesUri.ToString().TrimEnd('/') });
        var lease = await kubernetes.CoordinationV1.ReadNamespacedLeaseAsync(_lease, "default");
        Assert.Equal(leader.Identity, lease.Spec.HolderIdentity);

        // The follower serves the leader's snapshot, without a single AWS call of its own.
        await Until.TrueAsync(() => follower.Snapshots.Current.TargetHealth.GetValueOrDefault(group.Arn)?.Targets.Length == 2, "the follower serves the group's health");
        Assert.Equal(leader.Identity, follower.Sharing.Published?.Replica);
        var status = ScaleOutExtensions.Status(follower.Leadership, follower.State, follower.Sharing, follower.Sources, TimeProvider.System);
        Assert.False(status.Leader);
        Assert.Equal(leader.Identity, status.LeaseHolder);
        Assert.Equal(follower.Identity, status.Replica);
        Assert.Equal("lease", status.Election);
        Assert.Contains(status.Sources, s => s.Name == AwsPoller.SourceKey && s.Error!.Contains(leader.Identity, StringComparison.Ordinal));
        Assert.Contains(status.Sources, s => s.Name == ReplicaSourcePublisher.SourceKey);
        // The Replicas chip (its tooltip shows the message and "last good data T (N s ago)" from lastGoodAt): on the
        // follower it names the replica that polls and dates the data by the leader's publication; on the leader, itself.
        await Until.TrueAsync(() => follower.Sources.Get(ReplicaSourcePublisher.SourceKey) is { LastGoodAt: not null } chip
            && chip.Message!.StartsWith($"Replica {leader.Identity} polls AWS; its data was published", StringComparison.Ordinal)
            && chip.Message.EndsWith($"(this is {follower.Identity})", StringComparison.Ordinal), "the follower's Replicas chip names the leader");
        var followerChip = follower.Sources.Get(ReplicaSourcePublisher.SourceKey)!;
        Assert.Equal(Dashboard.Client.Model.SourceState.Live, followerChip.State);
        Assert.Equal(leader.Identity, followerChip.PolledBy);
        Assert.False(followerChip.PolledHere);
        Assert.InRange(followerChip.LastGoodAt!.Value, DateTimeOffset.UtcNow - TimeSpan.FromSeconds(30), follower.Sharing.Published!.PublishedAt);
        await Until.TrueAsync(() => leader.Sources.Get(ReplicaSourcePublisher.SourceKey)?.Message?.StartsWith($"This replica ({leader.Identity}) holds the Lease", StringComparison.Ordinal) == true,
            "the leader's Replicas chip says it polls");
        Assert.True(leader.Sources.Get(ReplicaSourcePublisher.SourceKey)!.PolledHere);
        Assert.Equal(leader.Identity, leader.Sources.Get(ReplicaSourcePublisher.SourceKey)!.PolledBy);

        // A change the leader reads reaches the follower through the store (NOTIFY), not by the follower asking AWS.
        _sandbox.AwsWorld.SetTargetHealth(group.Arn, AwsPollingWorld.TargetIp(1, 1), 8080, Sim.TargetHealthState.Unhealthy, "Target.FailedHealthChecks");
        leader.Poller.HintTargetsChanged([AwsPollingWorld.TargetIp(1, 1)]);
        await Until.TrueAsync(() => UnhealthyIn(follower) == 1, "the follower shows the target the leader read as unhealthy");
        var since = SinceOf(follower, AwsPollingWorld.TargetIp(1, 1));

        var leaderCalls = leader.Calls.Snapshot();
        var sandboxCalls = _sandbox.AwsRequests.Total(AwsServiceNames.Elbv2) + _sandbox.AwsRequests.Total(AwsServiceNames.CloudWatch);
        var leaderCallsAfter = leader.Calls.Snapshot();
        Assert.Equal(0, follower.Calls.Snapshot().ElasticLoadBalancing + follower.Calls.Snapshot().CloudWatch);
        Assert.True(leaderCalls.ElasticLoadBalancing > 0);
        // Every request the sandbox saw came from the leader (its count is read between two of the leader's).
        Assert.InRange(sandboxCalls, leaderCalls.ElasticLoadBalancing + leaderCalls.CloudWatch, leaderCallsAfter.ElasticLoadBalancing + leaderCallsAfter.CloudWatch + 1);

        // The leader stops (renewing, publishing, polling): the follower takes the Lease and polls from the published state.
        await leader.StopAsync();
        // A clean stop gives the Lease up (a crash would leave it to expire): it names the stopped replica no more.
        var released = await kubernetes.CoordinationV1.ReadNamespacedLeaseAsync(_lease, "default");
        Assert.NotEqual(leader.Identity, released.Spec.HolderIdentity);
        await Until.TrueAsync(() => follower.Leadership.IsLeader, "the follower takes over the Lease");
        lease = await kubernetes.CoordinationV1.ReadNamespacedLeaseAsync(_lease, "default");
        Assert.Equal(follower.Identity, lease.Spec.HolderIdentity);
        var detailsBefore = DetailReads();
        var readAt = follower.Snapshots.Current.TargetHealth[group.Arn].AsOf;
        await Until.TrueAsync(() => follower.Snapshots.Current.TargetHealth[group.Arn].AsOf > readAt, "the new leader reads the group itself");
        // It continued from the published state: the unhealthy target's time in state is the one the old leader saw begin.
        Assert.Equal(since, SinceOf(follower, AwsPollingWorld.TargetIp(1, 1)));
        Assert.True(follower.Calls.Snapshot().ElasticLoadBalancing > 0);
        // ...and did not read every detail again to get there: listeners, attributes and tags keep their schedules.
        Assert.Equal(detailsBefore, DetailReads());
    }

    [SkippableFact]
    public async Task Replicas_share_the_data_protection_keys_and_apply_each_migration_once()
    {
        Skip.If(_skipReason is not null, _skipReason);
        var replicas = await StartReplicasAsync("replica-a", "replica-b", "replica-c");
        await using var a = replicas[0];
        await using var b = replicas[1];
        await using var c = replicas[2];

        var ticket = a.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("cookie").Protect("alice"u8.ToArray());
        Assert.Equal("alice"u8.ToArray(), b.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("cookie").Unprotect(ticket));
        Assert.Equal("alice"u8.ToArray(), c.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("cookie").Unprotect(ticket));

        var applied = await a.State.AppliedMigrationsAsync(CancellationToken.None);
        Assert.Equal([StateMigrations.Documents.Id, StateMigrations.DataProtectionKeys.Id, Dashboard.Server.Metrics.SharedSeriesMigrations.Series.Id], applied);
        Assert.StartsWith("PostgreSQL 127.0.0.1:", a.State.Description, StringComparison.Ordinal);
        Assert.DoesNotContain("Password", a.State.Description, StringComparison.OrdinalIgnoreCase);
    }

    [SkippableFact]
    public async Task Only_the_leader_reads_EC2_ACM_and_WAFv2_followers_serve_its_security_part_and_a_new_leader_keeps_it()
    {
        Skip.If(_skipReason is not null, _skipReason);
        var (alb, listener) = _sandbox.AwsWorld.AddAlb("security-alb");
        _sandbox.AwsWorld.AddGroup(listener, "security", 1, targets: 1);
        var replicas = await StartReplicasAsync("replica-a", "replica-b");
        await using var a = replicas[0];
        await using var b = replicas[1];
        await Until.TrueAsync(() => a.Leadership.IsLeader != b.Leadership.IsLeader, "exactly one replica leads");
        var (leader, follower) = a.Leadership.IsLeader ? (a, b) : (b, a);

        // The follower serves the leader's EC2 part (security groups of the balancers' VPC) without calling EC2 itself.
        await Until.TrueAsync(() => follower.Snapshots.Current.Security?.Has(Dashboard.Server.LoadBalancers.Security.AwsSecurity.Ec2Part) == true,
            "the follower serves the security part the leader read");
        var security = follower.Snapshots.Current.Security!;
        Assert.Equal(leader.Snapshots.Current.Security!.AsOf, security.AsOf);
        Assert.Equal(leader.Snapshots.Current.Security!.SecurityGroups.Keys.Order(), security.SecurityGroups.Keys.Order());
        var securityCalls = SecurityReads();
        Assert.True(securityCalls > 0);

        // Failover: the new leader keeps publishing the part it took over (no gap, no re-read before it is due).
        await leader.StopAsync();
        await Until.TrueAsync(() => follower.Leadership.IsLeader, "the follower takes over the Lease");
        var readAt = follower.Snapshots.Current.ConfigurationAsOf;
        await Until.TrueAsync(() => follower.Snapshots.Current.ConfigurationAsOf > readAt, "the new leader lists the balancers itself");
        Assert.Equal(security.AsOf, follower.Snapshots.Current.Security?.AsOf);
        Assert.Equal(securityCalls, SecurityReads());
        Assert.Contains(alb.Arn, follower.Snapshots.Current.LoadBalancers.Select(lb => lb.LoadBalancerArn));
    }

    private long SecurityReads() => _sandbox.AwsRequests.Snapshot()
        .Where(c => c.Key.Service is AwsServiceNames.Ec2 or AwsServiceNames.CertificateManager or AwsServiceNames.Wafv2)
        .Sum(c => c.Value);

    private long DetailReads() => _sandbox.AwsRequests.Snapshot()
        .Where(c => c.Key.Action is "DescribeListeners" or "DescribeRules" or "DescribeTags" or "DescribeTargetGroupAttributes" or "DescribeLoadBalancerAttributes")
        .Sum(c => c.Value);

    private static int UnhealthyIn(ReplicaHost replica) =>
        replica.Snapshots.Current.TargetHealth.Values.SelectMany(h => h.Targets).Count(t => t.Description.TargetHealth.State == Dashboard.Server.Aws.ElasticLoadBalancing.TargetHealthState.Unhealthy);

    private static DateTimeOffset SinceOf(ReplicaHost replica, string targetId) =>
        replica.Snapshots.Current.TargetHealth.Values.SelectMany(h => h.Targets).Single(t => t.Description.Target.Id == targetId).Since;
}
