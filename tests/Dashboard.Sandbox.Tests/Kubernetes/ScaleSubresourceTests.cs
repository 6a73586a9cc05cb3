using System.Net;
using System.Text.Json.Nodes;
using Dashboard.Sandbox.Kubernetes;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Dashboard.Sandbox.Tests.Kubernetes;

/// <summary>The Deployment <c>scale</c> subresource through KubernetesClient and raw HTTP (the API layer alone).</summary>
public sealed class ScaleSubresourceTests(ApiServerFixture fixture) : IClassFixture<ApiServerFixture>
{
    private JsonObject CreateDeployment(string ns, string name = "web") => fixture.Store.Create(ResourceTypes.Deployments, ns, JsonNode.Parse("""
        {"metadata":{"name":"NAME"},
         "spec":{"replicas":2,
           "selector":{"matchLabels":{"app":"NAME"},"matchExpressions":[{"key":"tier","operator":"In","values":["front","api"]},{"key":"legacy","operator":"DoesNotExist"}]},
           "template":{"metadata":{"labels":{"app":"NAME","tier":"api"}},"spec":{"containers":[{"name":"web","image":"nginx:1.27"}]}}},
         "status":{"replicas":2,"readyReplicas":2}}
        """.Replace("NAME", name, StringComparison.Ordinal))!.AsObject());

    private long StoredReplicas(string ns, string name = "web") =>
        fixture.Store.Get(ResourceTypes.Deployments, ns, name)!["spec"]!["replicas"]!.GetValue<long>();

    [Fact]
    public async Task Get_returns_an_autoscaling_v1_Scale_of_the_Deployment()
    {
        var ns = fixture.NewNamespace();
        var deployment = CreateDeployment(ns);

        var scale = await fixture.Client.AppsV1.ReadNamespacedDeploymentScaleAsync("web", ns);
        var raw = JsonNode.Parse(await fixture.Http.GetStringAsync($"/apis/apps/v1/namespaces/{ns}/deployments/web/scale"))!;

        Assert.Equal("autoscaling/v1", raw["apiVersion"]!.GetValue<string>());
        Assert.Equal("Scale", raw["kind"]!.GetValue<string>());
        Assert.Equal(2, scale.Spec.Replicas);
        Assert.Equal(2, scale.Status.Replicas);
        // apimachinery's selector text: requirements sorted by key, set values sorted.
        Assert.Equal("app=web,!legacy,tier in (api,front)", scale.Status.Selector);
        Assert.Equal(deployment["metadata"]!["resourceVersion"]!.GetValue<string>(), scale.Metadata.ResourceVersion);
        Assert.Equal(deployment["metadata"]!["uid"]!.GetValue<string>(), scale.Metadata.Uid);
    }

    [Fact]
    public async Task Replace_sets_spec_replicas_and_a_stale_resourceVersion_answers_409()
    {
        var ns = fixture.NewNamespace();
        CreateDeployment(ns);
        var read = await fixture.Client.AppsV1.ReadNamespacedDeploymentScaleAsync("web", ns);
        read.Spec.Replicas = 4;

        var replaced = await fixture.Client.AppsV1.ReplaceNamespacedDeploymentScaleAsync(read, "web", ns);
        var stale = await Assert.ThrowsAsync<HttpOperationException>(() => fixture.Client.AppsV1.ReplaceNamespacedDeploymentScaleAsync(read, "web", ns));

        Assert.Equal(4, replaced.Spec.Replicas);
        Assert.NotEqual(read.Metadata.ResourceVersion, replaced.Metadata.ResourceVersion);
        Assert.Equal(4, StoredReplicas(ns));
        Assert.Equal(2, fixture.Store.Get(ResourceTypes.Deployments, ns, "web")!["metadata"]!["generation"]!.GetValue<long>());
        Assert.Equal(HttpStatusCode.Conflict, stale.Response.StatusCode);
        Assert.Contains("Operation cannot be fulfilled on deployments.apps \\\"web\\\"", stale.Response.Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_patch_type_changes_replicas_and_dryRun_changes_nothing()
    {
        var ns = fixture.NewNamespace();
        CreateDeployment(ns);
        var apps = fixture.Client.AppsV1;

        var merged = await apps.PatchNamespacedDeploymentScaleAsync(new V1Patch("""{"spec":{"replicas":5}}""", V1Patch.PatchType.MergePatch), "web", ns);
        Assert.Equal(5, StoredReplicas(ns));
        var strategic = await apps.PatchNamespacedDeploymentScaleAsync(new V1Patch("""{"spec":{"replicas":6}}""", V1Patch.PatchType.StrategicMergePatch), "web", ns);
        Assert.Equal(6, StoredReplicas(ns));
        var json = await apps.PatchNamespacedDeploymentScaleAsync(new V1Patch(
            """[{"op":"test","path":"/spec/replicas","value":6},{"op":"replace","path":"/spec/replicas","value":1}]""", V1Patch.PatchType.JsonPatch), "web", ns);
        Assert.Equal(1, StoredReplicas(ns));
        var applied = await apps.PatchNamespacedDeploymentScaleAsync(new V1Patch(
            """{"apiVersion":"autoscaling/v1","kind":"Scale","metadata":{"name":"web"},"spec":{"replicas":3}}""", V1Patch.PatchType.ApplyPatch), "web", ns, fieldManager: "tests");
        Assert.Equal(3, StoredReplicas(ns));
        var version = fixture.Store.CurrentVersion;
        var dryPatch = await apps.PatchNamespacedDeploymentScaleAsync(new V1Patch("""{"spec":{"replicas":9}}""", V1Patch.PatchType.MergePatch), "web", ns, dryRun: "All");
        var current = await apps.ReadNamespacedDeploymentScaleAsync("web", ns);
        current.Spec.Replicas = 8;
        var dryReplace = await apps.ReplaceNamespacedDeploymentScaleAsync(current, "web", ns, dryRun: "All");

        Assert.Equal([5, 6, 1, 3], new[] { merged, strategic, json, applied }.Select(s => s.Spec.Replicas));
        Assert.Equal(9, dryPatch.Spec.Replicas);
        Assert.Equal(8, dryReplace.Spec.Replicas);
        Assert.Equal(3, StoredReplicas(ns));
        Assert.Equal(version, fixture.Store.CurrentVersion);
    }

    [Fact]
    public async Task A_missing_Deployment_negative_replicas_and_delete_answer_as_the_API_server()
    {
        var ns = fixture.NewNamespace();
        CreateDeployment(ns);

        using var missing = await fixture.Http.GetAsync($"/apis/apps/v1/namespaces/{ns}/deployments/nope/scale");
        var missingStatus = JsonNode.Parse(await missing.Content.ReadAsStringAsync())!;
        var invalid = await Assert.ThrowsAsync<HttpOperationException>(() =>
            fixture.Client.AppsV1.PatchNamespacedDeploymentScaleAsync(new V1Patch("""{"spec":{"replicas":-1}}""", V1Patch.PatchType.MergePatch), "web", ns));
        using var delete = await fixture.Http.DeleteAsync($"/apis/apps/v1/namespaces/{ns}/deployments/web/scale");

        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("deployments/scale.apps \"nope\" not found", missingStatus["message"]!.GetValue<string>());
        Assert.Equal("deployments/scale", missingStatus["details"]!["kind"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, invalid.Response.StatusCode);
        Assert.Contains("spec.replicas: Invalid value: -1: must be greater than or equal to 0", invalid.Response.Content, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, delete.StatusCode);
        Assert.Equal(2, StoredReplicas(ns));
    }

    [Fact]
    public async Task Discovery_lists_deployments_scale_as_autoscaling_v1_Scale()
    {
        var list = JsonNode.Parse(await fixture.Http.GetStringAsync("/apis/apps/v1"))!;

        var scale = Assert.Single(list["resources"]!.AsArray(), r => r!["name"]!.GetValue<string>() == "deployments/scale")!;
        Assert.Equal("autoscaling", scale["group"]!.GetValue<string>());
        Assert.Equal("v1", scale["version"]!.GetValue<string>());
        Assert.Equal("Scale", scale["kind"]!.GetValue<string>());
        Assert.Equal(["get", "patch", "update"], scale["verbs"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.True(scale["namespaced"]!.GetValue<bool>());
    }
}
