using Dashboard.Sandbox.Kubernetes;

namespace Dashboard.Sandbox.Tests.Kubernetes;

/// <summary>
/// Users and RBAC, judged by kubectl 1.32: the kubeconfig's limited contexts (a read-only user and a namespace-scoped
/// operator, reached by impersonation), RBAC enforced on every request with the API server's 403 wording, the self
/// reviews answered for the caller, and Roles and bindings created with kubectl (protobuf bodies) taking effect at once.
/// </summary>
public sealed class KubectlRbacTests(KubectlFixture fixture) : IClassFixture<KubectlFixture>
{
    [Fact]
    public async Task The_read_only_context_reads_but_may_not_change_and_is_told_so()
    {
        var ns = "rbac-" + Guid.NewGuid().ToString("N")[..8];
        fixture.EnsureNamespace(ns);
        (await fixture.RunAsync("create", "configmap", "settings", "-n", ns, "--from-literal=a=b")).Succeeded();

        var whoami = (await fixture.RunAsync("--context", "sandbox-viewer", "auth", "whoami")).Succeeded();
        var get = (await fixture.RunAsync("--context", "sandbox-viewer", "get", "configmap", "settings", "-n", ns, "-o", "name")).Succeeded();
        var delete = (await fixture.RunAsync("--context", "sandbox-viewer", "delete", "configmap", "settings", "-n", ns)).Failed();
        var nodes = (await fixture.RunAsync("--context", "sandbox-viewer", "get", "nodes")).Failed();
        var canList = await fixture.RunAsync("--context", "sandbox-viewer", "auth", "can-i", "list", "configmaps", "-n", ns);
        var canDelete = await fixture.RunAsync("--context", "sandbox-viewer", "auth", "can-i", "delete", "configmaps", "-n", ns);

        Assert.Matches(@"Username\s+sandbox-viewer", whoami.Stdout);
        Assert.Matches(@"Groups\s+\[system:authenticated\]", whoami.Stdout);
        Assert.Equal("configmap/settings", get.Stdout.Trim());
        Assert.Contains($"Error from server (Forbidden): configmaps \"settings\" is forbidden: User \"sandbox-viewer\" cannot delete resource \"configmaps\" in API group \"\" in the namespace \"{ns}\"",
            delete.Stderr, StringComparison.Ordinal);
        Assert.NotNull(fixture.Store.Get(ResourceTypes.ConfigMaps, ns, "settings"));
        // The view ClusterRole has no cluster-scoped kinds.
        Assert.Contains("nodes is forbidden: User \"sandbox-viewer\" cannot list resource \"nodes\" in API group \"\" at the cluster scope", nodes.Stderr, StringComparison.Ordinal);
        Assert.Equal((0, "yes"), (canList.ExitCode, canList.Stdout.Trim()));
        Assert.Equal((1, "no"), (canDelete.ExitCode, canDelete.Stdout.Trim()));
    }

    [Fact]
    public async Task The_operator_context_changes_its_namespace_only()
    {
        var other = "rbac-" + Guid.NewGuid().ToString("N")[..8];
        fixture.EnsureNamespace(other);

        var create = (await fixture.RunAsync("--context", "sandbox-operator", "create", "deployment", "ops-web", "-n", "default", "--image=nginx:1.27")).Succeeded();
        var scale = (await fixture.RunAsync("--context", "sandbox-operator", "scale", "deployment", "ops-web", "-n", "default", "--replicas=2")).Succeeded();
        var elsewhere = (await fixture.RunAsync("--context", "sandbox-operator", "create", "deployment", "ops-web", "-n", other, "--image=nginx:1.27")).Failed();
        var canDelete = await fixture.RunAsync("--context", "sandbox-operator", "auth", "can-i", "delete", "pods", "-n", "default");
        var cannot = await fixture.RunAsync("--context", "sandbox-operator", "auth", "can-i", "delete", "pods", "-n", other);
        var list = (await fixture.RunAsync("--context", "sandbox-operator", "auth", "can-i", "--list", "-n", "default")).Succeeded();

        Assert.Equal("deployment.apps/ops-web created", create.Stdout.Trim());
        Assert.Equal("deployment.apps/ops-web scaled", scale.Stdout.Trim());
        Assert.Contains($"deployments.apps is forbidden: User \"sandbox-operator\" cannot create resource \"deployments\" in API group \"apps\" in the namespace \"{other}\"",
            elsewhere.Stderr, StringComparison.Ordinal);
        Assert.Equal("yes", canDelete.Stdout.Trim());
        Assert.Equal("no", cannot.Stdout.Trim());
        Assert.Matches(@"(?m)^deployments\.apps\s+\[\]\s+\[\]\s+\[get list watch create delete deletecollection patch update\]", list.Stdout);
        Assert.Matches(@"(?m)^selfsubjectaccessreviews\.authorization\.k8s\.io\s+\[\]\s+\[\]\s+\[create\]", list.Stdout);
        Assert.DoesNotMatch(@"(?m)^\*\.\*", list.Stdout);
    }

    [Fact]
    public async Task A_Role_and_RoleBinding_made_with_kubectl_grant_exactly_their_rules()
    {
        var ns = "rbac-" + Guid.NewGuid().ToString("N")[..8];
        fixture.EnsureNamespace(ns);
        var user = "reader-" + Guid.NewGuid().ToString("N")[..6];

        (await fixture.RunAsync("create", "role", "pod-reader", "-n", ns, "--verb=get,list", "--resource=pods")).Succeeded();
        (await fixture.RunAsync("create", "rolebinding", "pod-reader", "-n", ns, "--role=pod-reader", $"--user={user}")).Succeeded();
        var pods = (await fixture.RunAsync("--as", user, "get", "pods", "-n", ns)).Succeeded();
        var deployments = (await fixture.RunAsync("--as", user, "get", "deployments", "-n", ns)).Failed();
        var watch = await fixture.RunAsync("--as", user, "auth", "can-i", "watch", "pods", "-n", ns);

        Assert.Contains("No resources found", pods.Stderr, StringComparison.Ordinal);
        Assert.Contains($"deployments.apps is forbidden: User \"{user}\" cannot list resource \"deployments\" in API group \"apps\" in the namespace \"{ns}\"",
            deployments.Stderr, StringComparison.Ordinal);
        Assert.Equal("no", watch.Stdout.Trim());
        var role = fixture.Store.Get(ResourceTypes.Roles, ns, "pod-reader")!;
        Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(System.Text.Json.Nodes.JsonNode.Parse("""[{"apiGroups":[""],"resources":["pods"],"verbs":["get","list"]}]"""), role["rules"]),
            role["rules"]!.ToJsonString());
    }
}
