using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Dashboard.Sandbox.Kubernetes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using WatchEventType = k8s.WatchEventType;
using Dashboard.Testing;

namespace Dashboard.Sandbox.Tests.Kubernetes;

/// <summary>KubernetesClient and raw HTTP against the API layer: list, paging, watch (bookmarks, 410), patches, status, errors.</summary>
public sealed class KubernetesClientTests(ApiServerFixture fixture) : IClassFixture<ApiServerFixture>
{
    private static readonly TimeSpan Bounded = Patience.Eventually;

    private static V1Service Service(string name, string tier) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string> { ["tier"] = tier, ["app"] = name } },
        Spec = new V1ServiceSpec
        {
            Type = "LoadBalancer",
            Selector = new Dictionary<string, string> { ["app"] = name },
            Ports = [new V1ServicePort { Name = "http", Port = 80, TargetPort = 8080 }],
        },
    };

    [Fact]
    public async Task List_filters_by_label_and_field_selector_and_pages_with_continue()
    {
        var ns = fixture.NewNamespace();
        foreach (var (name, tier) in new[] { ("a", "web"), ("b", "web"), ("c", "web"), ("d", "data") })
        {
            await fixture.Client.CoreV1.CreateNamespacedServiceAsync(Service(name, tier), ns);
        }

        var web = await fixture.Client.CoreV1.ListNamespacedServiceAsync(ns, labelSelector: "tier=web,app notin (c)");
        var byName = await fixture.Client.CoreV1.ListServiceForAllNamespacesAsync(fieldSelector: $"metadata.name=d,metadata.namespace={ns}");
        var page1 = await fixture.Client.CoreV1.ListNamespacedServiceAsync(ns, limit: 3);
        var page2 = await fixture.Client.CoreV1.ListNamespacedServiceAsync(ns, limit: 3, continueParameter: page1.Metadata.ContinueProperty);

        Assert.Equal(["a", "b"], web.Items.Select(s => s.Metadata.Name));
        Assert.Equal("d", Assert.Single(byName.Items).Metadata.Name);
        Assert.Equal(["a", "b", "c"], page1.Items.Select(s => s.Metadata.Name));
        Assert.Equal(1, page1.Metadata.RemainingItemCount);
        Assert.Equal("d", Assert.Single(page2.Items).Metadata.Name);
        Assert.Null(page2.Metadata.ContinueProperty);
        Assert.All(web.Items, s => Assert.StartsWith("10.100.", s.Spec.ClusterIP, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Watch_replays_from_the_list_version_and_sees_modifications_and_deletes()
    {
        var ns = fixture.NewNamespace();
        await fixture.Client.CoreV1.CreateNamespacedServiceAsync(Service("first", "web"), ns);
        var list = await fixture.Client.CoreV1.ListNamespacedServiceAsync(ns);
        await fixture.Client.CoreV1.CreateNamespacedServiceAsync(Service("second", "web"), ns);
        await fixture.Client.CoreV1.DeleteNamespacedServiceAsync("first", ns);

        using var cts = new CancellationTokenSource(Bounded);
        var seen = new List<(WatchEventType, string)>();
        await foreach (var (type, service) in fixture.Client.CoreV1.WatchListNamespacedServiceAsync(ns, resourceVersion: list.Metadata.ResourceVersion, cancellationToken: cts.Token))
        {
            seen.Add((type, service.Metadata.Name));
            if (seen.Count == 2)
            {
                fixture.Store.Mutate(ResourceTypes.Services, ns, "second", s => { s["metadata"]!["labels"]!["x"] = "y"; return s; });
            }
            if (seen.Count == 3)
            {
                break;
            }
        }

        Assert.Equal([(WatchEventType.Added, "second"), (WatchEventType.Deleted, "first"), (WatchEventType.Modified, "second")], seen);
    }

    [Fact]
    public async Task Watch_from_a_compacted_version_reports_410_to_onError()
    {
        var ns = fixture.NewNamespace();
        await fixture.Client.CoreV1.CreateNamespacedServiceAsync(Service("old", "web"), ns);
        var staleVersion = (fixture.Store.OldestWatchableVersion - 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        fixture.Store.CompactHistory();
        var error = new TaskCompletionSource<Exception>();

        using var cts = new CancellationTokenSource(Bounded);
        var events = 0;
        await foreach (var _ in fixture.Client.CoreV1.WatchListNamespacedServiceAsync(ns, resourceVersion: staleVersion, onError: e => error.TrySetResult(e), cancellationToken: cts.Token))
        {
            events++;
        }

        Assert.True(error.Task.IsCompleted, "onError was not called");
        var kubernetesError = Assert.IsType<KubernetesException>(await error.Task);
        Assert.Equal(410, kubernetesError.Status.Code);
        Assert.Equal("Expired", kubernetesError.Status.Reason);
        Assert.Equal(0, events);
    }

    [Fact]
    public async Task Watch_with_bookmarks_sends_periodic_bookmark_events_at_a_current_version()
    {
        var ns = fixture.NewNamespace();
        using var cts = new CancellationTokenSource(Bounded);
        var url = $"/api/v1/namespaces/{ns}/services?watch=true&allowWatchBookmarks=true&resourceVersion={fixture.Store.CurrentVersion}";
        using var response = await fixture.Http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cts.Token);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cts.Token));

        var line = await reader.ReadLineAsync(cts.Token);

        var bookmark = JsonNode.Parse(line!)!;
        Assert.Equal("BOOKMARK", bookmark["type"]!.ToString());
        Assert.Equal("Service", bookmark["object"]!["kind"]!.ToString());
        Assert.True(long.Parse(bookmark["object"]!["metadata"]!["resourceVersion"]!.ToString(), System.Globalization.CultureInfo.InvariantCulture) >= fixture.Store.OldestWatchableVersion);
    }

    [Fact]
    public async Task Watch_ends_after_timeoutSeconds()
    {
        var ns = fixture.NewNamespace();
        using var cts = new CancellationTokenSource(Bounded);

        var body = await fixture.Http.GetStringAsync($"/api/v1/namespaces/{ns}/services?watch=true&timeoutSeconds=1", cts.Token);

        Assert.Equal("", body);
    }

    [Fact]
    public async Task Merge_strategic_json_and_apply_patches_through_the_client()
    {
        var ns = fixture.NewNamespace();
        var created = await fixture.Client.CoreV1.CreateNamespacedServiceAsync(Service("svc", "web"), ns);
        created.Spec.Ports.Add(new V1ServicePort { Name = "https", Port = 443, TargetPort = 8443 });
        await fixture.Client.CoreV1.ReplaceNamespacedServiceAsync(created, "svc", ns);

        await fixture.Client.CoreV1.PatchNamespacedServiceAsync(new V1Patch("""{"metadata":{"annotations":{"a":"1"}}}""", V1Patch.PatchType.MergePatch), "svc", ns);
        // Strategic merge: port 443 merges by its key (not replacing the list), port 80 is deleted by directive.
        await fixture.Client.CoreV1.PatchNamespacedServiceAsync(new V1Patch(
            """{"spec":{"ports":[{"port":443,"targetPort":9443},{"$patch":"delete","port":80}]}}""", V1Patch.PatchType.StrategicMergePatch), "svc", ns);
        await fixture.Client.CoreV1.PatchNamespacedServiceAsync(new V1Patch(
            """[{"op":"test","path":"/metadata/annotations/a","value":"1"},{"op":"add","path":"/metadata/labels/patched","value":"json"}]""", V1Patch.PatchType.JsonPatch), "svc", ns);
        var applied = await fixture.Client.CoreV1.PatchNamespacedServiceAsync(new V1Patch(
            """{"apiVersion":"v1","kind":"Service","metadata":{"name":"applied"},"spec":{"ports":[{"port":81}]}}""", V1Patch.PatchType.ApplyPatch), "applied", ns, fieldManager: "tests");

        var svc = await fixture.Client.CoreV1.ReadNamespacedServiceAsync("svc", ns);
        var port = Assert.Single(svc.Spec.Ports);
        Assert.Equal(443, port.Port);
        Assert.Equal("https", port.Name);
        Assert.Equal("9443", port.TargetPort.Value);
        Assert.Equal("1", svc.Metadata.Annotations["a"]);
        Assert.Equal("json", svc.Metadata.Labels["patched"]);
        Assert.Equal(81, Assert.Single(applied.Spec.Ports).Port);
    }

    [Fact]
    public async Task Status_subresource_changes_only_status_and_main_resource_keeps_it()
    {
        var ns = fixture.NewNamespace();
        await fixture.Client.CoreV1.CreateNamespacedServiceAsync(Service("lb", "web"), ns);

        await fixture.Client.CoreV1.PatchNamespacedServiceStatusAsync(new V1Patch(
            """{"spec":{"type":"ClusterIP"},"status":{"loadBalancer":{"ingress":[{"hostname":"lb.elb.amazonaws.com"}]}}}""", V1Patch.PatchType.MergePatch), "lb", ns);
        var afterStatus = await fixture.Client.CoreV1.ReadNamespacedServiceStatusAsync("lb", ns);
        afterStatus.Metadata.Labels["changed"] = "yes";
        afterStatus.Status = null;
        var replaced = await fixture.Client.CoreV1.ReplaceNamespacedServiceAsync(afterStatus, "lb", ns);

        Assert.Equal("LoadBalancer", replaced.Spec.Type);
        Assert.Equal("lb.elb.amazonaws.com", replaced.Status.LoadBalancer.Ingress.Single().Hostname);
        Assert.Equal("yes", replaced.Metadata.Labels["changed"]);
    }

    [Fact]
    public async Task Errors_are_status_objects_with_the_right_codes()
    {
        var ns = fixture.NewNamespace();
        await fixture.Client.CoreV1.CreateNamespacedServiceAsync(Service("dup", "web"), ns);

        var notFound = await Assert.ThrowsAsync<HttpOperationException>(() => fixture.Client.CoreV1.ReadNamespacedServiceAsync("missing", ns));
        var exists = await Assert.ThrowsAsync<HttpOperationException>(() => fixture.Client.CoreV1.CreateNamespacedServiceAsync(Service("dup", "web"), ns));
        var noNamespace = await Assert.ThrowsAsync<HttpOperationException>(() => fixture.Client.CoreV1.CreateNamespacedServiceAsync(Service("x", "web"), "no-such-ns"));
        var invalid = await Assert.ThrowsAsync<HttpOperationException>(() => fixture.Client.CoreV1.CreateNamespacedServiceAsync(
            new V1Service { Metadata = new V1ObjectMeta { Name = "noports" }, Spec = new V1ServiceSpec { Type = "NodePort" } }, ns));

        AssertStatus(notFound, HttpStatusCode.NotFound, "NotFound", "services \"missing\" not found");
        AssertStatus(exists, HttpStatusCode.Conflict, "AlreadyExists", "services \"dup\" already exists");
        AssertStatus(noNamespace, HttpStatusCode.NotFound, "NotFound", "namespaces \"no-such-ns\" not found");
        var status = AssertStatus(invalid, HttpStatusCode.UnprocessableEntity, "Invalid", "Service \"noports\" is invalid");
        Assert.Equal("spec.ports", status["details"]!["causes"]![0]!["field"]!.ToString());
    }

    [Fact]
    public async Task Raw_requests_get_400_415_405_and_404_for_secrets()
    {
        var ns = fixture.NewNamespace();
        var malformed = await fixture.Http.PostAsync($"/api/v1/namespaces/{ns}/services", new StringContent("{\"kind\":", Encoding.UTF8, "application/json"));
        // Protobuf is the built-in kinds' serialization only: a custom resource has no protobuf schema (as on a real server).
        var protobuf = new ByteArrayContent([0x6b, 0x38, 0x73, 0x00]);
        protobuf.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.kubernetes.protobuf");
        var unsupported = await fixture.Http.PostAsync($"/apis/elbv2.k8s.aws/v1beta1/namespaces/{ns}/targetgroupbindings", protobuf);
        var notAllowed = await fixture.Http.PostAsync("/api/v1/services", new StringContent("{}", Encoding.UTF8, "application/json"));
        var secrets = await fixture.Http.GetAsync($"/api/v1/namespaces/{ns}/secrets");

        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Contains("json parse error", await malformed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, unsupported.StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, notAllowed.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, secrets.StatusCode);
        Assert.Equal("Status", JsonNode.Parse(await secrets.Content.ReadAsStringAsync())!["kind"]!.ToString());
    }

    [Fact]
    public async Task Table_responses_carry_columns_and_partial_object_metadata()
    {
        var ns = fixture.NewNamespace();
        await fixture.Client.CoreV1.CreateNamespacedServiceAsync(Service("tbl", "web"), ns);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/namespaces/{ns}/services?limit=500");
        request.Headers.TryAddWithoutValidation("Accept", "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json");

        using var response = await fixture.Http.SendAsync(request);
        var table = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal("Table", table["kind"]!.ToString());
        Assert.Equal(["Name", "Type", "Cluster-IP", "External-IP", "Port(s)", "Age", "Selector"],
            table["columnDefinitions"]!.AsArray().Select(c => c!["name"]!.ToString()));
        Assert.Equal(1, table["columnDefinitions"]![6]!["priority"]!.GetValue<int>());
        var row = Assert.Single(table["rows"]!.AsArray())!;
        Assert.Equal("tbl", row["cells"]![0]!.ToString());
        Assert.Equal("<pending>", row["cells"]![3]!.ToString());
        Assert.Equal("PartialObjectMetadata", row["object"]!["kind"]!.ToString());
        Assert.Equal("web", row["object"]!["metadata"]!["labels"]!["tier"]!.ToString());
    }

    private static JsonNode AssertStatus(HttpOperationException error, HttpStatusCode code, string reason, string message)
    {
        Assert.Equal(code, error.Response.StatusCode);
        var status = JsonNode.Parse(error.Response.Content)!;
        Assert.Equal("Status", status["kind"]!.ToString());
        Assert.Equal(reason, status["reason"]!.ToString());
        Assert.Equal((int)code, status["code"]!.GetValue<int>());
        Assert.Contains(message, status["message"]!.ToString(), StringComparison.Ordinal);
        return status;
    }
}
