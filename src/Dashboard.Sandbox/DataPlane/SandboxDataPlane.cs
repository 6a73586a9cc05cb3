using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Dashboard.Sandbox.Aws;
using Dashboard.Sandbox.Aws.CloudWatch;
using Dashboard.Sandbox.Cluster;
using Dashboard.Sandbox.Kubernetes;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace Dashboard.Sandbox.DataPlane;

/// <summary>Where the data plane listens (configuration <c>Sandbox:DataPlane</c>).</summary>
public sealed class SandboxDataPlaneOptions
{
    /// <summary>Plain listeners (HTTP, TCP). Port 0 (the default) picks a free port; the log line names it.</summary>
    public string HttpUrl { get; set; } = "http://127.0.0.1:0";

    /// <summary>TLS listeners (HTTPS, TLS), certificate chosen by SNI. Port 0 picks a free port.</summary>
    public string HttpsUrl { get; set; } = "https://127.0.0.1:0";

    /// <summary>
    /// How long a request to a <c>timeout</c> pod waits before the balancer gives up (504 on ALB, a reset on NLB). A real
    /// ALB waits its idle timeout (60 s); the sandbox keeps it short so a Verify shows the 504 instead of its own timeout.
    /// </summary>
    public TimeSpan TargetTimeout { get; set; } = TimeSpan.FromSeconds(5);
}

/// <summary>
/// The sandbox's data plane: every simulated load balancer answers real HTTP on loopback. One plain port and one TLS port
/// serve all balancers; the Host header (and SNI) says which balancer and the port in the Host header (80/443 when absent)
/// which listener — so a client connects to the data plane's port and sends the request it would send to the balancer
/// (<c>curl --connect-to ::127.0.0.1:PORT https://api.retail-forecast.com/healthz</c>). ALB listeners route by their rules
/// (<see cref="ListenerRouting"/>) to a target group; NLB listeners forward to their default group. A target is picked
/// round-robin among the healthy ones, or among all when none is healthy (fail-open, as ALB does); a group with no
/// target answers 503. The pod then answers as its health annotation says (<see cref="SimulatedPodAnswer"/>): <c>refuse</c>
/// is a 502 (ALB) or a reset (NLB), <c>timeout</c> a 504 after <see cref="SandboxDataPlaneOptions.TargetTimeout"/>.
/// Every request is counted in the simulated CloudWatch (<see cref="ElbTrafficModel.Record"/>).
/// </summary>
public sealed class SandboxDataPlane : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly AwsWorld _world;
    private readonly ResourceStore _store;
    private readonly ClusterSimulation _cluster;
    private readonly ElbTrafficModel _traffic;
    private readonly SandboxDataPlaneOptions _options;
    private readonly ConcurrentDictionary<string, int> _roundRobin = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _inFlight = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (DateTimeOffset At, IReadOnlyList<PodBehaviour> Pods)> _instancePods = new(StringComparer.Ordinal);

    private SandboxDataPlane(WebApplication app, AwsWorld world, ResourceStore store, ClusterSimulation cluster, ElbTrafficModel traffic,
        SandboxDns dns, SandboxCertificates certificates, SandboxDataPlaneOptions options)
    {
        _app = app;
        _world = world;
        _store = store;
        _cluster = cluster;
        _traffic = traffic;
        _options = options;
        Dns = dns;
        Certificates = certificates;
    }

    public SandboxDns Dns { get; }
    public SandboxCertificates Certificates { get; }

    /// <summary>The plain port's address (HTTP and TCP listeners).</summary>
    public Uri HttpUri { get; private set; } = null!;

    /// <summary>The TLS port's address (HTTPS and TLS listeners).</summary>
    public Uri HttpsUri { get; private set; } = null!;

    /// <summary>Requests served since start (all balancers).</summary>
    public long Requests => Interlocked.Read(ref _requests);

    private long _requests;

    public static async Task<SandboxDataPlane> StartAsync(SandboxDataPlaneOptions options, AwsWorld world, ResourceStore store, ClusterSimulation cluster,
        ElbTrafficModel traffic, SandboxDns dns, ILoggerFactory? loggerFactory, CancellationToken cancellationToken)
    {
        var certificates = new SandboxCertificates();
        var builder = WebApplication.CreateSlimBuilder();
        if (loggerFactory is not null)
        {
            builder.Services.AddSingleton(loggerFactory);
        }
        var http = new Uri(options.HttpUrl);
        var https = new Uri(options.HttpsUrl);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxConcurrentConnections = 10_000;
            kestrel.Listen(IPAddress.Loopback, http.Port);
            kestrel.Listen(IPAddress.Loopback, https.Port, listen => listen.UseHttps(new HttpsConnectionAdapterOptions
            {
                ServerCertificateSelector = (_, name) => SelectCertificate(world, dns, certificates, name),
            }));
        });
        var app = builder.Build();
        var plane = new SandboxDataPlane(app, world, store, cluster, traffic, dns, certificates, options);
        app.Run(plane.HandleAsync);
        await app.StartAsync(cancellationToken);
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Select(a => new Uri(a)).ToList();
        plane.HttpUri = addresses.First(a => a.Scheme == "http");
        plane.HttpsUri = addresses.First(a => a.Scheme == "https");
        return plane;
    }

    /// <summary>The certificate a TLS listener presents for an SNI name: the listener certificate covering it, else its default.</summary>
    internal static X509Certificate2 SelectCertificate(AwsWorld world, SandboxDns dns, SandboxCertificates certificates, string? serverName)
    {
        var balancer = serverName is null ? null : dns.BalancerFor(serverName);
        var listener = balancer is null ? null : world.GetListeners(balancer.Arn).Where(l => l.Protocol is "HTTPS" or "TLS").OrderBy(l => l.Port == 443 ? 0 : 1).FirstOrDefault();
        if (listener is null || listener.Certificates.IsEmpty)
        {
            return certificates.Fallback;
        }
        var acm = listener.Certificates.OrderBy(c => c.IsDefault ? 1 : 0).Select(c => world.FindCertificate(c.CertificateArn)).OfType<Aws.CertificateManager.Certificate>().ToList();
        var chosen = acm.FirstOrDefault(c => c.SubjectAlternativeNames.Any(n => NameCovers(n, serverName!)))
            ?? world.FindCertificate(listener.Certificates.FirstOrDefault(c => c.IsDefault)?.CertificateArn ?? listener.Certificates[0].CertificateArn);
        return chosen is null ? certificates.Fallback : certificates.For(chosen);
    }

    /// <summary>Whether a certificate name covers a host: equal, or a <c>*.</c> wildcard for exactly one label.</summary>
    public static bool NameCovers(string name, string host)
    {
        name = name.ToLowerInvariant();
        host = SandboxDns.Normalize(host);
        if (name.StartsWith("*.", StringComparison.Ordinal))
        {
            var dot = host.IndexOf('.', StringComparison.Ordinal);
            return dot > 0 && host[(dot + 1)..] == name[2..];
        }
        return name == host;
    }

    private async Task HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref _requests);
        var request = context.Request;
        var tls = request.IsHttps;
        var hostHeader = request.Host;
        var host = SandboxDns.Normalize(hostHeader.Host ?? "");
        var port = hostHeader.Port ?? (tls ? 443 : 80);
        var balancer = Dns.BalancerFor(host);
        if (balancer is null || balancer.State is LoadBalancerStateCode.Provisioning or LoadBalancerStateCode.Failed)
        {
            // Nothing would have answered: the name does not lead to a balancer that is up.
            await ElbAnswerAsync(context, null, 421, $"sandbox data plane: no active load balancer answers for '{host}'.");
            return;
        }
        var listener = _world.GetListeners(balancer.Arn).FirstOrDefault(l => l.Port == port);
        if (listener is null)
        {
            context.Abort(); // connection refused: nothing listens on that port
            return;
        }
        var wantsTls = listener.Protocol is "HTTPS" or "TLS";
        if (wantsTls != tls)
        {
            await ElbAnswerAsync(context, balancer.Arn, 400, wantsTls
                ? $"The plain HTTP request was sent to the {listener.Protocol} listener on port {port}."
                : $"A TLS connection was opened to the {listener.Protocol} listener on port {port}.");
            return;
        }
        var routed = new RoutedRequest(tls ? "HTTPS" : "HTTP", port, host, request.Path.Value ?? "/", request.QueryString.HasValue ? request.QueryString.Value![1..] : "", request.Method);
        var rules = listener.Protocol is "HTTP" or "HTTPS" ? _world.GetRules(listener.Arn) : [];
        var decision = ListenerRouting.Route(listener, rules, routed, Random.Shared.Next);
        var isNetwork = balancer.Type == LoadBalancerType.Network;
        switch (decision)
        {
            case RouteDecision.Fixed f:
                context.Response.Headers["Server"] = "awselb/2.0";
                await ElbAnswerAsync(context, balancer.Arn, int.TryParse(f.Response.StatusCode, out var code) ? code : 200, f.Response.MessageBody ?? "", f.Response.ContentType ?? "text/plain");
                return;
            case RouteDecision.Redirect r:
                context.Response.Headers.Location = r.Location;
                await ElbAnswerAsync(context, balancer.Arn, r.StatusCode, "");
                return;
            case RouteDecision.Unroutable u:
                await ElbAnswerAsync(context, balancer.Arn, 503, "503 Service Temporarily Unavailable (" + u.Reason + ")");
                return;
            case RouteDecision.Forward forward:
                await ForwardAsync(context, balancer, forward.TargetGroupArn, isNetwork);
                return;
        }
    }

    private async Task ForwardAsync(HttpContext context, LoadBalancer balancer, string targetGroupArn, bool isNetwork)
    {
        IReadOnlyList<RegisteredTarget> targets;
        TargetGroup? group = _world.FindTargetGroup(targetGroupArn);
        try
        {
            targets = group is null ? [] : [.. _world.GetTargets(targetGroupArn).Where(t => t.Health.State != TargetHealthState.Draining)];
        }
        catch (AwsApiException)
        {
            targets = [];
        }
        if (targets.Count == 0 || group is null)
        {
            if (isNetwork)
            {
                Reset(context, balancer.Arn, targetGroupArn);
                return;
            }
            await ElbAnswerAsync(context, balancer.Arn, 503, "503 Service Temporarily Unavailable", targetGroupArn: targetGroupArn);
            return;
        }
        var healthy = targets.Where(t => t.Health.State == TargetHealthState.Healthy).ToList();
        var pool = healthy.Count > 0 ? healthy : targets; // fail-open
        var index = _roundRobin.AddOrUpdate(targetGroupArn, 0, (_, i) => unchecked(i + 1) & int.MaxValue);
        var target = pool[index % pool.Count];
        var pod = PodFor(group, target);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var behaviour = pod?.EffectiveHealth ?? PodHealth.Timeout; // an address nobody holds: the connection times out
        if (behaviour == PodHealth.Refuse)
        {
            if (isNetwork)
            {
                Reset(context, balancer.Arn, targetGroupArn, connectionError: true);
                return;
            }
            await ElbAnswerAsync(context, balancer.Arn, 502, "502 Bad Gateway", targetGroupArn: targetGroupArn, connectionError: true);
            return;
        }
        if (behaviour == PodHealth.Timeout)
        {
            try
            {
                await Task.Delay(_options.TargetTimeout, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            if (isNetwork)
            {
                Reset(context, balancer.Arn, targetGroupArn);
                return;
            }
            await ElbAnswerAsync(context, balancer.Arn, 504, "504 Gateway Time-out", targetGroupArn: targetGroupArn);
            return;
        }
        string? body = null;
        if (context.Request.ContentLength is > 0 and < 1_000_000 || context.Request.Headers.TransferEncoding.Count > 0)
        {
            using var reader = new StreamReader(context.Request.Body);
            body = await reader.ReadToEndAsync(context.RequestAborted);
        }
        var podKey = pod!.Namespace + "/" + pod.Name;
        var inFlight = _inFlight.AddOrUpdate(podKey, 1, (_, n) => n + 1);
        try
        {
            var podObject = _store.Get(ResourceTypes.Pods, pod.Namespace, pod.Name);
            var answer = SimulatedPodAnswer.Answer(_world.Seed, pod, podObject, context.Request.Method, context.Request.Path.Value ?? "/", body, inFlight, _world.TimeProvider.GetUtcNow());
            await Task.Delay(answer.Latency, context.RequestAborted);
            var seconds = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds;
            context.Response.StatusCode = answer.StatusCode;
            context.Response.ContentType = answer.ContentType;
            context.Response.Headers["Server"] = "sandbox-pod";
            context.Response.Headers["X-Sandbox-Pod"] = podKey;
            context.Response.Headers["X-Sandbox-Target"] = target.Id + ":" + target.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await context.Response.WriteAsync(answer.Body, context.RequestAborted);
            _traffic.Record(new ServedRequest(balancer.Arn, targetGroupArn, answer.StatusCode, true, seconds,
                (context.Request.ContentLength ?? 0) + answer.Body.Length + 200, false));
        }
        catch (OperationCanceledException)
        {
            // The client went away.
        }
        finally
        {
            _inFlight.AddOrUpdate(podKey, 0, (_, n) => Math.Max(0, n - 1));
        }
    }

    /// <summary>The pod a target leads to: the pod holding the IP, or for an instance target a ready pod of the Service behind the NodePort.</summary>
    private PodBehaviour? PodFor(TargetGroup group, RegisteredTarget target)
    {
        if (group.TargetType != "instance")
        {
            return _cluster.BehaviourByIp(target.Id);
        }
        var key = group.Arn + "|" + target.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var now = _world.TimeProvider.GetUtcNow();
        if (!_instancePods.TryGetValue(key, out var cached) || now - cached.At > TimeSpan.FromSeconds(2))
        {
            cached = (now, PodsBehindNodePort(target.Port));
            _instancePods[key] = cached;
        }
        // kube-proxy picks one of the Service's ready pods at random.
        return cached.Pods.Count == 0 ? null : cached.Pods[Random.Shared.Next(cached.Pods.Count)];
    }

    private IReadOnlyList<PodBehaviour> PodsBehindNodePort(int nodePort)
    {
        var service = _store.List(ResourceTypes.Services, null, s => JsonFields.Objects(s["spec"]?["ports"]).Any(p => JsonFields.Long(p, "nodePort") == nodePort)).Items.FirstOrDefault();
        if (service is null || JsonFields.Namespace(service) is not { } ns || JsonFields.Name(service) is not { } name)
        {
            return [];
        }
        var slices = _store.List(ResourceTypes.EndpointSlices, ns, s => JsonFields.Labels(s).GetValueOrDefault("kubernetes.io/service-name") == name).Items;
        return [.. slices.SelectMany(s => JsonFields.Objects(s["endpoints"]))
            .Where(e => JsonFields.Bool(e["conditions"], "ready") != false)
            .Select(e => (e["addresses"] as System.Text.Json.Nodes.JsonArray)?.FirstOrDefault()?.ToString())
            .OfType<string>()
            .Select(_cluster.BehaviourByIp)
            .OfType<PodBehaviour>()];
    }

    private void Reset(HttpContext context, string loadBalancerArn, string? targetGroupArn, bool connectionError = false)
    {
        _traffic.Record(new ServedRequest(loadBalancerArn, targetGroupArn, 0, false, null, 0, connectionError));
        context.Abort();
    }

    private async Task ElbAnswerAsync(HttpContext context, string? loadBalancerArn, int statusCode, string body, string contentType = "text/plain; charset=utf-8",
        string? targetGroupArn = null, bool connectionError = false)
    {
        context.Response.StatusCode = statusCode;
        context.Response.ContentType = contentType;
        context.Response.Headers["Server"] = "awselb/2.0";
        await context.Response.WriteAsync(body, context.RequestAborted);
        if (loadBalancerArn is not null)
        {
            _traffic.Record(new ServedRequest(loadBalancerArn, targetGroupArn, statusCode, false, null, body.Length + 200, connectionError));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Certificates.Dispose();
    }
}
