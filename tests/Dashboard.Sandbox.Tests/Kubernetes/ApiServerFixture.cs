using System.Text.Json.Nodes;
using Dashboard.Sandbox.Kubernetes;
using Dashboard.Sandbox.Kubernetes.Api;
using k8s;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Dashboard.Testing;

namespace Dashboard.Sandbox.Tests.Kubernetes;

/// <summary>The API layer alone on 127.0.0.1:0 over a fresh store, with bookmarks every 200 ms so tests can see them.</summary>
public sealed class ApiServerFixture : IAsyncLifetime
{
    private WebApplication? _app;

    public ResourceStore Store { get; } = new();
    public Uri BaseUri { get; private set; } = new("http://127.0.0.1");
    public HttpClient Http { get; private set; } = new();
    public IKubernetes Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _app = builder.Build();
        _app.MapKubernetesApi(Store, new KubernetesApiOptions { BookmarkInterval = TimeSpan.FromMilliseconds(200) });
        await _app.StartAsync();
        BaseUri = new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        Http = new HttpClient { BaseAddress = BaseUri, Timeout = Patience.Eventually };
        Client = new k8s.Kubernetes(new KubernetesClientConfiguration { Host = BaseUri.ToString() });
    }

    public string NewNamespace()
    {
        var ns = "c-" + Guid.NewGuid().ToString("N")[..8];
        Store.Create(ResourceTypes.Namespaces, null, new JsonObject { ["metadata"] = new JsonObject { ["name"] = ns } });
        return ns;
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        Http.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
