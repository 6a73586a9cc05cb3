using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Dashboard.Sandbox.Tests.Kubernetes;

/// <summary>
/// Leases as leader election uses them (the dashboard's replicas race for one): create, get, replace with the
/// resourceVersion read, a 409 for the loser of a race; kubectl shows the result.
/// </summary>
public sealed class LeaseTests(KubectlFixture fixture) : IClassFixture<KubectlFixture>
{
    [Fact]
    public async Task Two_replicas_racing_for_a_lease_one_wins_the_other_gets_a_409_and_kubectl_shows_the_holder()
    {
        var ns = "lease-" + Guid.NewGuid().ToString("N")[..8];
        fixture.EnsureNamespace(ns);
        using var client = new k8s.Kubernetes(new KubernetesClientConfiguration { Host = fixture.Host.KubernetesUri.ToString().TrimEnd('/') });
        var now = DateTime.UtcNow;
        await client.CoordinationV1.CreateNamespacedLeaseAsync(new V1Lease
        {
            Metadata = new V1ObjectMeta { Name = "endpoint-dashboard-aws-poller" },
            Spec = new V1LeaseSpec { HolderIdentity = "replica-a", LeaseDurationSeconds = 15, AcquireTime = now, RenewTime = now, LeaseTransitions = 0 },
        }, ns);
        var created = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoordinationV1.CreateNamespacedLeaseAsync(new V1Lease
        {
            Metadata = new V1ObjectMeta { Name = "endpoint-dashboard-aws-poller" },
            Spec = new V1LeaseSpec { HolderIdentity = "replica-b" },
        }, ns));
        Assert.Equal(System.Net.HttpStatusCode.Conflict, created.Response.StatusCode);

        // Both read the same version and try to take it over: the first replace wins, the second is stale.
        var readByB = await client.CoordinationV1.ReadNamespacedLeaseAsync("endpoint-dashboard-aws-poller", ns);
        var readByC = await client.CoordinationV1.ReadNamespacedLeaseAsync("endpoint-dashboard-aws-poller", ns);
        readByB.Spec.HolderIdentity = "replica-b";
        readByB.Spec.LeaseTransitions = 1;
        readByC.Spec.HolderIdentity = "replica-c";
        var replaced = await client.CoordinationV1.ReplaceNamespacedLeaseAsync(readByB, "endpoint-dashboard-aws-poller", ns);
        var conflict = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoordinationV1.ReplaceNamespacedLeaseAsync(readByC, "endpoint-dashboard-aws-poller", ns));

        Assert.Equal(System.Net.HttpStatusCode.Conflict, conflict.Response.StatusCode);
        Assert.NotEqual(readByB.Metadata.ResourceVersion, replaced.Metadata.ResourceVersion);
        var yaml = (await fixture.RunAsync("get", "lease", "-n", ns, "endpoint-dashboard-aws-poller", "-o", "yaml")).Succeeded().Stdout;
        Assert.Contains("kind: Lease", yaml, StringComparison.Ordinal);
        Assert.Contains("holderIdentity: replica-b", yaml, StringComparison.Ordinal);
        Assert.Contains("leaseTransitions: 1", yaml, StringComparison.Ordinal);
        var table = (await fixture.RunAsync("get", "leases", "-n", ns)).Succeeded().Stdout;
        Assert.Contains("replica-b", table, StringComparison.Ordinal);
    }
}
