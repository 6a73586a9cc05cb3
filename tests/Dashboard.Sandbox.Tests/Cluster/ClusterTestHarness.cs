using System.Text.Json.Nodes;
using System.Threading.Channels;
using Dashboard.Sandbox.Cluster;
using Dashboard.Sandbox.Kubernetes;
using Dashboard.Testing;

namespace Dashboard.Sandbox.Tests.Cluster;

/// <summary>A store plus a started simulation, and bounded waits that wake on store changes (never sleeps).</summary>
internal sealed class ClusterTestHarness : IAsyncDisposable
{
    public static readonly TimeSpan DefaultTimeout = Patience.Eventually;

    private ClusterTestHarness(ResourceStore store, ClusterSimulation simulation)
    {
        Store = store;
        Simulation = simulation;
    }

    public ResourceStore Store { get; }
    public ClusterSimulation Simulation { get; }

    public static ClusterTestHarness Start(Action<SandboxOptions>? configure = null, TimeProvider? time = null)
    {
        var options = new SandboxOptions { LoadScenario = false };
        configure?.Invoke(options);
        var store = new ResourceStore(time);
        var simulation = new ClusterSimulation(store, options, time);
        simulation.Start();
        return new ClusterTestHarness(store, simulation);
    }

    public JsonObject Create(ResourceType type, string yamlOrJson)
    {
        var obj = (JsonObject)JsonNode.Parse(yamlOrJson)!;
        return Store.Create(type, obj["metadata"]?["namespace"]?.GetValue<string>(), obj);
    }

    public void CreateNamespace(string name) =>
        Store.Create(ResourceTypes.Namespaces, null, new JsonObject { ["metadata"] = new JsonObject { ["name"] = name } });

    public JsonObject CreateDeployment(string ns, string name, int replicas, string app, string image = "nginx:1.27", JsonObject? annotations = null)
    {
        var template = new JsonObject
        {
            ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["app"] = app } },
            ["spec"] = new JsonObject
            {
                ["containers"] = new JsonArray
                {
                    new JsonObject
                    {
                        ["name"] = "web",
                        ["image"] = image,
                        ["ports"] = new JsonArray { new JsonObject { ["name"] = "http", ["containerPort"] = 8080 } },
                        ["readinessProbe"] = new JsonObject { ["httpGet"] = new JsonObject { ["path"] = "/healthz", ["port"] = "http" } },
                        ["livenessProbe"] = new JsonObject { ["httpGet"] = new JsonObject { ["path"] = "/healthz", ["port"] = "http" } },
                    },
                },
            },
        };
        if (annotations is not null)
        {
            template["metadata"]!["annotations"] = annotations;
        }
        return Store.Create(ResourceTypes.Deployments, ns, new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
            ["spec"] = new JsonObject
            {
                ["replicas"] = replicas,
                ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = app } },
                ["template"] = template,
            },
        });
    }

    public List<JsonObject> Pods(string ns, string? deployment = null) =>
        [.. Store.List(ResourceTypes.Pods, ns).Items.Where(p => deployment is null || p["metadata"]!["name"]!.GetValue<string>().StartsWith(deployment + "-", StringComparison.Ordinal))];

    public static bool IsReady(JsonObject pod) =>
        pod["status"]?["conditions"]?.AsArray().Any(c => c!["type"]!.GetValue<string>() == "Ready" && c["status"]!.GetValue<string>() == "True") == true;

    public List<JsonObject> Slices(string ns, string service) =>
        [.. Store.List(ResourceTypes.EndpointSlices, ns).Items.Where(s => s["metadata"]?["labels"]?["kubernetes.io/service-name"]?.GetValue<string>() == service)];

    public List<JsonObject> Events(string ns, string reason) =>
        [.. Store.List(ResourceTypes.Events, ns).Items.Where(e => e["reason"]?.GetValue<string>() == reason)];

    /// <summary>Waits until <paramref name="condition"/> holds, re-checking after every change in the store.</summary>
    public Task UntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null) => UntilAsync(Store, condition, what, timeout);

    public static async Task UntilAsync(ResourceStore store, Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        var changed = Channel.CreateUnbounded<bool>();
        var from = store.CurrentVersion;
        var watches = ResourceTypes.All.Select(type => Task.Run(async () =>
        {
            try
            {
                await foreach (var _ in store.WatchAsync(type, null, from, cts.Token))
                {
                    changed.Writer.TryWrite(true);
                }
            }
            catch (OperationCanceledException)
            {
            }
        })).ToList();
        try
        {
            while (!condition())
            {
                try
                {
                    await changed.Reader.ReadAsync(cts.Token);
                }
                catch (OperationCanceledException)
                {
                    Assert.Fail($"Timed out after {timeout ?? DefaultTimeout} waiting for: {what}");
                }
                while (changed.Reader.TryRead(out _))
                {
                }
            }
        }
        finally
        {
            await cts.CancelAsync();
            await Task.WhenAll(watches);
        }
    }

    public ValueTask DisposeAsync() => Simulation.DisposeAsync();
}

/// <summary>Reads JSON numbers whatever CLR type backs them in the store (int, long, parsed).</summary>
internal static class JsonNumberExtensions
{
    public static long AsLong(this JsonNode? node) =>
        long.Parse(node?.ToJsonString() ?? throw new InvalidOperationException("missing number"), System.Globalization.CultureInfo.InvariantCulture);
}
