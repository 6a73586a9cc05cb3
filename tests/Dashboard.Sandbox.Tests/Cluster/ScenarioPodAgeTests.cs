using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Dashboard.Sandbox.Kubernetes;
using Dashboard.Sandbox.Tests.LoadBalancerController;
using Dashboard.Testing;

namespace Dashboard.Sandbox.Tests.Cluster;

/// <summary>
/// Read through the Kubernetes API with kubectl: the seed scenario's pods are as old as the Deployments that own
/// them (the scenario back-dates those), while a pod made later (here a scale-up) is born now.
/// </summary>
public sealed class ScenarioPodAgeTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("pod-age-").FullName;
    private SandboxHost? _host;
    private string _kubeconfig = "";

    public async Task InitializeAsync()
    {
        var options = new SandboxOptions { KubernetesUrl = "http://127.0.0.1:0", AwsUrl = "http://127.0.0.1:0" };
        _host = await SandboxHost.StartAsync(options, null, CancellationToken.None);
        _kubeconfig = _host.WriteKubeconfig(Path.Combine(_directory, "kubeconfig"));
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
        Directory.Delete(_directory, recursive: true);
    }

    private async Task<string> KubectlAsync(params string[] args)
    {
        var info = new ProcessStartInfo("kubectl") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in (string[])["--kubeconfig", _kubeconfig, "--cache-dir", Path.Combine(_directory, "cache"), .. args])
        {
            info.ArgumentList.Add(arg);
        }
        info.Environment["HOME"] = _directory;
        info.Environment.Remove("KUBECONFIG");
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Patience.Eventually);
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"kubectl {string.Join(' ', args)} failed: {await stderr}");
        return await stdout;
    }

    private async Task<List<JsonElement>> ItemsAsync(params string[] args) =>
        [.. JsonDocument.Parse(await KubectlAsync([.. args, "-o", "json"])).RootElement.GetProperty("items").EnumerateArray()];

    private static DateTimeOffset Time(JsonElement element, string property) =>
        DateTimeOffset.Parse(element.GetProperty(property).GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    private static string Owner(JsonElement pod) =>
        pod.GetProperty("metadata").GetProperty("namespace").GetString() + "/"
        + pod.GetProperty("metadata").GetProperty("ownerReferences")[0].GetProperty("name").GetString()![..^(pod.GetProperty("metadata").GetProperty("labels").GetProperty("pod-template-hash").GetString()!.Length + 1)];

    [Fact]
    public async Task Scenario_pods_are_as_old_as_their_Deployments_and_a_scaled_up_pod_is_new()
    {
        var started = DateTimeOffset.UtcNow;
        var deployments = (await ItemsAsync("get", "deployments", "-A")).ToDictionary(
            d => d.GetProperty("metadata").GetProperty("namespace").GetString() + "/" + d.GetProperty("metadata").GetProperty("name").GetString(),
            d => Time(d.GetProperty("metadata"), "creationTimestamp"));
        Assert.True(await Wait.UntilAsync(() => _host!.Store.List(ResourceTypes.Pods, "mlops").Items.Count == 3, Patience.Eventually), "mlops pods");
        var pods = await ItemsAsync("get", "pods", "-A");
        Assert.True(pods.Count >= 15, $"{pods.Count} scenario pods");

        foreach (var pod in pods)
        {
            var name = pod.GetProperty("metadata").GetProperty("name").GetString();
            var owner = deployments[Owner(pod)];
            var created = Time(pod.GetProperty("metadata"), "creationTimestamp");
            var status = pod.GetProperty("status");
            Assert.True(owner < started - TimeSpan.FromDays(1), $"{Owner(pod)} is back-dated");
            // Created by the ReplicaSet seconds after the Deployment, scheduled and started at once.
            Assert.InRange(created, owner, owner + TimeSpan.FromSeconds(10));
            Assert.Equal(created, Time(status, "startTime"));
            Assert.All(status.GetProperty("conditions").EnumerateArray(), c => Assert.True(Time(c, "lastTransitionTime") == created,
                $"{name}: condition {c.GetProperty("type")} changed at {c.GetProperty("lastTransitionTime")}, not at {created:O}"));
            foreach (var container in status.GetProperty("containerStatuses").EnumerateArray())
            {
                if (container.GetProperty("state").TryGetProperty("running", out var running))
                {
                    Assert.Equal(created, Time(running, "startedAt"));
                }
            }
        }
        // kubectl's AGE column counts in days.
        var table = await KubectlAsync("get", "pods", "-n", "mlops", "--no-headers");
        Assert.All(table.Split('\n', StringSplitOptions.RemoveEmptyEntries), line => Assert.Matches(@"\s\d+d(\d+h)?$", line));

        // Pods made later keep the real time: scale the seed Deployment up by one.
        await KubectlAsync("patch", "deployment", "retail-forecast-api", "-n", "mlops", "-p", """{"spec":{"replicas":4}}""");
        Assert.True(await Wait.UntilAsync(() => _host!.Store.List(ResourceTypes.Pods, "mlops").Items.Count == 4, Patience.Eventually), "fourth pod");
        var mlops = await ItemsAsync("get", "pods", "-n", "mlops");
        var young = Assert.Single(mlops, p => Time(p.GetProperty("metadata"), "creationTimestamp") > started - TimeSpan.FromMinutes(1));
        Assert.InRange(Time(young.GetProperty("status"), "startTime"), started - TimeSpan.FromMinutes(1), DateTimeOffset.UtcNow + TimeSpan.FromSeconds(1));
        Assert.Equal(3, mlops.Count(p => Time(p.GetProperty("metadata"), "creationTimestamp") < started - TimeSpan.FromDays(1)));
    }
}
