using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Dashboard.Sandbox.Kubernetes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Dashboard.Server.Tests.Kubernetes;

/// <summary>
/// A test-only Kubernetes API on 127.0.0.1:0 serving list and watch (one JSON event per line, flushed) from the
/// sandbox's <see cref="ResourceStore"/>, as kubernetes-client/csharp's MockKubeApiServer does. It stands in for the
/// sandbox's full HTTP API (branch k8s-api) until that lands in main. Faults: <see cref="Down"/> answers 503 to
/// everything; <see cref="HoldWatches"/> parks new watch requests until released.
/// </summary>
internal sealed class MockKubeApiServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private volatile TaskCompletionSource _watchGate = Completed();

    private MockKubeApiServer(WebApplication app, ResourceStore store, Uri uri)
    {
        _app = app;
        Store = store;
        Uri = uri;
    }

    public ResourceStore Store { get; }

    public Uri Uri { get; }

    /// <summary>When true every request gets 503, as a server that is going away.</summary>
    public volatile bool Down;

    private readonly SemaphoreSlim _parkedWatches = new(0);

    public static async Task<MockKubeApiServer> StartAsync()
    {
        var store = new ResourceStore();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        MockKubeApiServer? server = null;
        app.Run(context => server!.HandleAsync(context));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server = new MockKubeApiServer(app, store, new Uri(address));
        return server;
    }

    /// <summary>New watch requests wait until <see cref="ReleaseWatches"/>.</summary>
    public void HoldWatches() => _watchGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Waits until <paramref name="count"/> watch requests are parked by <see cref="HoldWatches"/>.</summary>
    public async Task WaitForParkedWatchesAsync(int count, TimeSpan timeout)
    {
        for (var i = 0; i < count; i++)
        {
            if (!await _parkedWatches.WaitAsync(timeout))
            {
                throw new TimeoutException($"Only {i} of {count} watch requests arrived within {timeout}.");
            }
        }
    }

    public void ReleaseWatches() => _watchGate.TrySetResult();

    public JsonObject Create(ResourceType type, string? ns, string json) => Store.Create(type, ns, JsonNode.Parse(json)!.AsObject());

    private async Task HandleAsync(HttpContext context)
    {
        if (Down)
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return;
        }
        if (!TryRoute(context.Request.Path.Value ?? "", out var type, out var ns))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        if (context.Request.Query["watch"] == "true")
        {
            var gate = _watchGate.Task;
            if (!gate.IsCompleted)
            {
                _parkedWatches.Release();
            }
            await gate.WaitAsync(context.RequestAborted);
            await WatchAsync(context, type, ns);
            return;
        }
        var list = Store.List(type, ns);
        var body = new JsonObject
        {
            ["kind"] = type.Kind + "List",
            ["apiVersion"] = type.ApiVersion,
            ["metadata"] = new JsonObject { ["resourceVersion"] = list.ResourceVersion.ToString(CultureInfo.InvariantCulture) },
            ["items"] = new JsonArray([.. list.Items]),
        };
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString(), context.RequestAborted);
    }

    private async Task WatchAsync(HttpContext context, ResourceType type, string? ns)
    {
        long? from = long.TryParse(context.Request.Query["resourceVersion"], CultureInfo.InvariantCulture, out var rv) ? rv : null;
        context.Response.ContentType = "application/json";
        await context.Response.StartAsync(context.RequestAborted);
        try
        {
            await foreach (var e in Store.WatchAsync(type, ns, from, context.RequestAborted))
            {
                var line = new JsonObject { ["type"] = e.Type.ToString().ToUpperInvariant(), ["object"] = e.Object };
                await WriteLineAsync(context, line);
            }
        }
        catch (StoreException ex) when ((int)ex.Code == StatusCodes.Status410Gone)
        {
            var status = new JsonObject { ["kind"] = "Status", ["apiVersion"] = "v1", ["status"] = "Failure", ["message"] = ex.Message, ["reason"] = "Expired", ["code"] = 410 };
            await WriteLineAsync(context, new JsonObject { ["type"] = "ERROR", ["object"] = status });
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away.
        }
    }

    private static async Task WriteLineAsync(HttpContext context, JsonObject line)
    {
        await context.Response.WriteAsync(line.ToJsonString() + "\n", Encoding.UTF8, context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
    }

    /// <summary>/api/v1[/namespaces/{ns}]/{plural} and /apis/{group}/{version}[/namespaces/{ns}]/{plural}.</summary>
    private static bool TryRoute(string path, out ResourceType type, out string? ns)
    {
        type = null!;
        ns = null;
        var parts = path.Trim('/').Split('/');
        int rest;
        string group, version;
        if (parts is ["api", var v, ..])
        {
            (group, version, rest) = ("", v, 2);
        }
        else if (parts is ["apis", var g, var v2, ..])
        {
            (group, version, rest) = (g, v2, 3);
        }
        else
        {
            return false;
        }
        if (parts.Length == rest + 3 && parts[rest] == "namespaces")
        {
            ns = parts[rest + 1];
            rest += 2;
        }
        if (parts.Length != rest + 1)
        {
            return false;
        }
        type = ResourceTypes.Find(group, version, parts[rest])!;
        return type is not null;
    }

    private static TaskCompletionSource Completed()
    {
        var done = new TaskCompletionSource();
        done.SetResult();
        return done;
    }

    public async ValueTask DisposeAsync()
    {
        ReleaseWatches();
        Store.DropWatches();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _parkedWatches.Dispose();
    }
}
