using System.Text.Json.Nodes;
using Dashboard.Sandbox.Kubernetes;
using Dashboard.Sandbox.Kubernetes.Protobuf;

namespace Dashboard.Sandbox.Tests.Kubernetes.Protobuf;

/// <summary>
/// Answers in protobuf for clients that prefer it (kubectl's typed clients: <c>create</c>, <c>describe</c>, <c>auth</c>),
/// judged by kubectl decoding them, and every object of the seed scenario surviving an encode and decode.
/// </summary>
public sealed class ProtobufAnswerTests(SeededKubectlFixture fixture) : IClassFixture<SeededKubectlFixture>
{
    [Fact]
    public void Every_seeded_object_of_a_built_in_kind_survives_encoding_and_decoding()
    {
        var checkedKinds = new List<string>();
        foreach (var type in ResourceTypes.All.Where(t => KindSchemaHasProtobuf(t)))
        {
            foreach (var item in fixture.Store.List(type, null).Items)
            {
                var obj = (JsonObject)item.DeepClone();
                obj["kind"] = type.Kind;
                obj["apiVersion"] = type.ApiVersion;

                var bytes = ProtobufEnvelope.Encode(obj) ?? throw new Xunit.Sdk.XunitException($"{type.Kind} has no protobuf form");
                var decoded = ProtobufEnvelope.Decode(bytes);

                Assert.Equal(Normalized(obj), Normalized(decoded));
            }
            checkedKinds.Add(type.Kind);
        }
        Assert.Contains("Pod", checkedKinds);
        Assert.Contains("EndpointSlice", checkedKinds);
        Assert.Contains("Ingress", checkedKinds);
    }

    [Fact]
    public async Task Kubectl_describe_reads_objects_and_events_in_protobuf()
    {
        var result = (await fixture.RunAsync("describe", "deployment", "retail-forecast-api", "-n", "mlops", "-v=8")).Succeeded();

        Assert.Contains("Response Headers", result.Stderr);
        Assert.Contains("Content-Type: application/vnd.kubernetes.protobuf", result.Stderr);
        Assert.Matches(@"Name:\s+retail-forecast-api", result.Stdout);
        Assert.Matches(@"RollingUpdateStrategy:\s+25% max unavailable, 25% max surge", result.Stdout);
        Assert.Matches(@"Limits:\s+cpu:\s+1\s+memory:\s+1Gi", result.Stdout);
    }

    [Theory]
    [InlineData("pods")]
    [InlineData("services")]
    [InlineData("ingresses")]
    [InlineData("nodes")]
    [InlineData("endpointslices")]
    public async Task Kubectl_describe_decodes_every_seeded_object_of_a_kind(string resource)
    {
        var result = (await fixture.RunAsync("describe", resource, "-A")).Succeeded();

        Assert.Contains("Name:", result.Stdout);
        Assert.Empty(result.Stderr);
    }

    [Fact]
    public async Task Kubectl_create_prints_the_protobuf_answer_and_reads_a_protobuf_error()
    {
        var name = "pb-" + Guid.NewGuid().ToString("N")[..6];

        var created = JsonNode.Parse((await fixture.RunAsync("create", "deployment", name, "-n", "mlops", "--image=nginx:1.27", "-o", "json")).Succeeded().Stdout)!;
        var again = (await fixture.RunAsync("create", "deployment", name, "-n", "mlops", "--image=nginx:1.27")).Failed();

        Assert.Equal(name, created["metadata"]!["name"]!.ToString());
        Assert.Equal("25%", created["spec"]!["strategy"]!["rollingUpdate"]!["maxSurge"]!.ToString());
        Assert.False(string.IsNullOrEmpty(created["metadata"]!["uid"]!.ToString()));
        Assert.Contains($"deployments.apps \"{name}\" already exists", again.Stderr);
    }

    [Fact]
    public async Task Objects_and_lists_are_answered_in_protobuf_and_custom_resources_in_json()
    {
        using var http = new HttpClient { BaseAddress = fixture.Host.KubernetesUri };

        var ns = await GetAsync(http, "/api/v1/namespaces/mlops", "application/vnd.kubernetes.protobuf");
        var pods = await GetAsync(http, "/api/v1/namespaces/mlops/pods", "application/vnd.kubernetes.protobuf,application/json");
        var bindings = await GetAsync(http, "/apis/elbv2.k8s.aws/v1beta1/targetgroupbindings", "application/vnd.kubernetes.protobuf,application/json");

        Assert.Equal("application/vnd.kubernetes.protobuf", ns.ContentType);
        Assert.Equal("mlops", ProtobufEnvelope.Decode(ns.Body)["metadata"]!["name"]!.ToString());
        Assert.Equal("application/vnd.kubernetes.protobuf", pods.ContentType);
        var podList = ProtobufEnvelope.Decode(pods.Body);
        Assert.Equal("PodList", podList["kind"]!.ToString());
        Assert.Equal(fixture.Store.List(ResourceTypes.Pods, "mlops").Items.Count, podList["items"]!.AsArray().Count);
        Assert.False(string.IsNullOrEmpty(podList["metadata"]!["resourceVersion"]!.ToString()));
        Assert.Equal("application/json", bindings.ContentType);
        Assert.Equal("TargetGroupBindingList", JsonNode.Parse(bindings.Body)!["kind"]!.ToString());
    }

    private static async Task<(string? ContentType, byte[] Body)> GetAsync(HttpClient http, string path, string accept)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.TryAddWithoutValidation("Accept", accept);
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return (response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsByteArrayAsync());
    }

    private static bool KindSchemaHasProtobuf(ResourceType type) => ProtoSchema.ForKind(type.ApiVersion, type.Kind) is not null;

    /// <summary>
    /// The object without what protobuf cannot tell from "not set" (null, "", 0, false and empty lists outside
    /// pointer fields), with keys sorted: what an encode and decode must preserve.
    /// </summary>
    private static string Normalized(JsonNode node) => Strip(node)?.ToJsonString() ?? "null";

    private static JsonNode? Strip(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.Select(p => KeyValuePair.Create(p.Key, Strip(p.Value))).Where(p => p.Value is not null).OrderBy(p => p.Key, StringComparer.Ordinal)),
        JsonArray { Count: 0 } => null,
        JsonArray a => new JsonArray(a.Select(i => Strip(i) ?? JsonValue.Create("")).ToArray()),
        JsonValue v when v.GetValueKind() is System.Text.Json.JsonValueKind.False => null,
        JsonValue v when v.GetValueKind() is System.Text.Json.JsonValueKind.String && v.GetValue<string>().Length == 0 => null,
        JsonValue v when v.GetValueKind() is System.Text.Json.JsonValueKind.Number && v.ToJsonString() == "0" => null,
        _ => node?.DeepClone(),
    };
}
