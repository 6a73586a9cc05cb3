using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Dashboard.EndToEnd.Tests.Infrastructure;
using Dashboard.EndToEnd.Tests.Inventory;
using Dashboard.EndToEnd.Tests.LoadBalancers;
using Microsoft.Playwright;
using Dashboard.Testing;

namespace Dashboard.EndToEnd.Tests.Triage;

/// <summary>
/// One dashboard process in sandbox mode for the triage tests, in a world of two endpoints the fixture creates with
/// kubectl: the seed's retail-forecast Deployment (three pods) behind the seed's <c>retail-forecast-nlb</c> Service as
/// intended (AWS Load Balancer Controller, ip targets, /healthz every 5 s, two failures to turn unhealthy), once in
/// <see cref="Namespace"/> and once in <see cref="OtherNamespace"/>. The seed scenario is not loaded: it holds
/// deliberate faults (a canary failing, a health-check path nobody serves, a target group no listener uses), so its
/// Triage page is never empty.
/// The simulated kubelet's readiness delay is an hour (a pod told to fail stays Ready and registered, so what is seen
/// is the load balancer's own health check, not the controller deregistering it); AWS polling intervals are shortened
/// to values a small real account could afford: fast reads every 3 s, host counts every 10 s, listings every 10 s,
/// back-off 2 s doubling to 10 s.
/// </summary>
public sealed partial class TriageServerFixture : ServerAndBrowserFixture
{
    /// <summary>The longest wait for anything the health checks drive: three failed checks 10 s apart plus polling.</summary>
    public static readonly TimeSpan HealthTimeout = Patience.Scale(TimeSpan.FromSeconds(150));
    public static readonly TimeSpan Timeout = Patience.Slowly;

    public const string Namespace = "mlops";
    public const string OtherNamespace = "mlops-eu";
    public const string ServiceName = "retail-forecast-nlb";
    public const string PodSelector = "app=retail-forecast-api";
    public const int PodPort = 8080;

    public SandboxFaults Faults { get; private set; } = null!;

    public static string ScreenshotDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");

    protected override IDictionary<string, string>? Settings => new Dictionary<string, string>
    {
        ["Sandbox__LoadScenario"] = "false",
        ["Sandbox__ProvisioningDelay"] = "00:00:02",
        ["Sandbox__Cluster__ReadinessDelay"] = "01:00:00",
        ["Dashboard__Aws__Polling__FastInterval"] = "00:00:03",
        ["Dashboard__Aws__Polling__MetricsInterval"] = "00:00:10",
        ["Dashboard__Aws__Polling__ConfigurationInterval"] = "00:00:10",
        ["Dashboard__Aws__Polling__SweepInterval"] = "00:01:00",
        ["Dashboard__Aws__Polling__BackoffInitialDelay"] = "00:00:02",
        ["Dashboard__Aws__Polling__BackoffMaxDelay"] = "00:00:10",
    };

    protected override async Task ServerStartedAsync()
    {
        var line = await Server.WaitForOutputAsync(AwsEndpointLine().ToString(), Timeout);
        Faults = new SandboxFaults(new Uri(AwsEndpointLine().Match(line).Groups[1].Value));
        await WaitUntilAsync(() => Task.FromResult(File.Exists(Server.KubeconfigPath)), Timeout, "the sandbox kubeconfig");
        foreach (var ns in new[] { Namespace, OtherNamespace })
        {
            await Kubectl.CreateAsync(SeedNlbManifest.Workload(ns));
            await Kubectl.CreateAsync(SeedNlbManifest.IntendedService(ns));
        }
    }

    /// <summary>
    /// Opens <paramref name="path"/> and waits until the Blazor circuit has sent its first render batch (a
    /// <c>JS.RenderBatch</c> frame on the <c>_blazor</c> socket), so changes made afterwards reach the page over the live
    /// connection: the prerendered HTML alone would never change.
    /// </summary>
    public static async Task GotoLiveAsync(IPage page, string path)
    {
        var rendered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnSocket(object? sender, IWebSocket socket)
        {
            if (socket.Url.Contains("/_blazor", StringComparison.Ordinal))
            {
                socket.FrameReceived += (_, frame) =>
                {
                    var content = frame.Text ?? (frame.Binary is { } bytes ? Encoding.ASCII.GetString(bytes) : "");
                    if (content.Contains("JS.RenderBatch", StringComparison.Ordinal))
                    {
                        rendered.TrySetResult();
                    }
                };
            }
        }
        page.WebSocket += OnSocket;
        try
        {
            await page.GotoAsync(path);
            await rendered.Task.WaitAsync(Timeout);
        }
        finally
        {
            page.WebSocket -= OnSocket;
        }
    }

    public static async Task ScreenshotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(ScreenshotDirectory);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDirectory, name + ".png"), FullPage = true });
    }

    /// <summary>The IPs of the ready pods labelled <paramref name="selector"/> in <paramref name="ns"/>, by pod name.</summary>
    public async Task<Dictionary<string, string>> ReadyPodsAsync(string ns, string selector, int expected)
    {
        Dictionary<string, string> ready = [];
        await WaitUntilAsync(async () =>
        {
            using var pods = JsonDocument.Parse(await Kubectl.RunAsync("get", "pods", "-n", ns, "-l", selector, "-o", "json"));
            ready = pods.RootElement.GetProperty("items").EnumerateArray()
                .Where(p => p.GetProperty("status").TryGetProperty("podIP", out _) && IsReady(p))
                .ToDictionary(p => p.GetProperty("metadata").GetProperty("name").GetString()!,
                    p => p.GetProperty("status").GetProperty("podIP").GetString()!, StringComparer.Ordinal);
            return ready.Count == expected;
        }, Timeout, $"{expected} ready pods {selector} in {ns}");
        return ready;
    }

    /// <summary>Sets the sandbox's behaviour annotation of one pod (<c>ok</c>, <c>http-500</c>, <c>timeout</c>, <c>refuse</c>).</summary>
    public Task AnnotateHealthAsync(string ns, string pod, string health) =>
        Kubectl.RunAsync("annotate", "pod", pod, "-n", ns, $"sandbox.endpoint-dashboard.dev/health={health}", "--overwrite");

    private static bool IsReady(JsonElement pod) =>
        pod.GetProperty("status").TryGetProperty("conditions", out var conditions)
        && conditions.EnumerateArray().Any(c => c.GetProperty("type").GetString() == "Ready" && c.GetProperty("status").GetString() == "True");

    public static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return;
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"Timed out after {timeout} waiting for {what}");
    }

    [GeneratedRegex(@"Sandbox AWS endpoint listening on (http://127\.0\.0\.1:\d+)")]
    private static partial Regex AwsEndpointLine();

    public override async Task DisposeAsync()
    {
        Faults?.Dispose();
        await base.DisposeAsync();
    }
}

/// <summary>The sandbox AWS endpoint's fault switch (<c>/_sandbox/faults</c>, docs/sandbox.md).</summary>
public sealed class SandboxFaults(Uri awsEndpoint) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = awsEndpoint, Timeout = Patience.Eventually };

    public async Task AddAsync(object rule)
    {
        using var response = await _http.PostAsJsonAsync("/_sandbox/faults", rule);
        Assert.True(response.IsSuccessStatusCode, $"POST /_sandbox/faults answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    public async Task ClearAsync()
    {
        using var response = await _http.DeleteAsync("/_sandbox/faults");
        Assert.True(response.IsSuccessStatusCode, $"DELETE /_sandbox/faults answered {(int)response.StatusCode}");
    }

    public void Dispose() => _http.Dispose();
}

/// <summary>The triage tests share one server; they run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class TriageServerCollection : ICollectionFixture<TriageServerFixture>
{
    public const string Name = "Triage server";
}
