using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Dashboard.Client.Model;
using Dashboard.Client.Verify;
using Dashboard.Server.Sandbox;
using Dashboard.Server.Topology;

namespace Dashboard.Server.Verify;

/// <summary>What one connection saw: phase times (from the request's start) and the TLS certificate.</summary>
public sealed class ConnectionObservation
{
    public long StartTimestamp { get; set; } = Stopwatch.GetTimestamp();
    public TimeSpan? DnsDone { get; set; }
    public TimeSpan? Connected { get; set; }
    public TimeSpan? TlsDone { get; set; }
    public string? ResolvedAddress { get; set; }
    public X509Certificate2? Certificate { get; set; }
    public SslPolicyErrors PolicyErrors { get; set; }
    public string? ChainProblem { get; set; }

    public TimeSpan Elapsed => Stopwatch.GetElapsedTime(StartTimestamp);
}

/// <summary>
/// The one place that decides where Verify and smoke tests may send requests and how they connect:
/// <list type="bullet">
/// <item>Targets come only from the dashboard's own inventory (the topology's endpoint: its balancers' listeners, the
/// Ingress rules' hosts, the balancers' DNS names); a URL is accepted only when its scheme, host and port are one of
/// them. No free-form URL ever reaches the network.</item>
/// <item>The handler resolves names with the sandbox's DNS in sandbox mode (and connects to the data plane's plain or
/// TLS port), with the system resolver otherwise — never changing the machine's resolver; it records DNS, connect and
/// TLS times and the certificate the listener presented (accepted so it can be shown, as <c>curl -v -k</c> does: Verify
/// sends no credentials), checked against the sandbox root in sandbox mode and the system store otherwise.</item>
/// </list>
/// </summary>
public sealed class EndpointTargets(TopologyFeed topology, EmbeddedSandbox sandbox)
{
    /// <summary>The topology's view of an endpoint; null when the dashboard does not know it.</summary>
    public EndpointViewModel? Endpoint(ObjectRef endpoint) => topology.Current.Endpoints.GetValueOrDefault(endpoint.Key);

    /// <summary>The addresses of an endpoint, its own member's hosts first.</summary>
    public IReadOnlyList<VerifyTarget> For(ObjectRef endpoint) => Endpoint(endpoint) is { } ep ? TargetsOf(ep) : [];

    /// <summary>Builds the targets of an endpoint view (pure; tests call it directly).</summary>
    public static IReadOnlyList<VerifyTarget> TargetsOf(EndpointViewModel endpoint)
    {
        var result = new List<VerifyTarget>();
        foreach (var lb in endpoint.LoadBalancers)
        {
            var ownGroups = lb.TargetGroups.Where(g => g.Member is null || g.Member == endpoint.Object).ToList();
            var healthPath = ownGroups.Select(g => g.HealthCheck.Path).FirstOrDefault(p => !string.IsNullOrEmpty(p)) ?? "/";
            foreach (var listener in lb.Listeners.Where(l => l.Protocol is not ("UDP" or "TCP_UDP")).OrderBy(l => l.Protocol is "HTTPS" or "TLS" ? 0 : 1).ThenBy(l => l.Port))
            {
                var scheme = listener.Protocol is "HTTPS" or "TLS" ? "https" : "http";
                var seen = new HashSet<string>(StringComparer.Ordinal);
                void Add(string host, string path, ObjectRef? member)
                {
                    var id = $"{lb.Name}|{listener.Port}|{host}|{member?.Key}";
                    if (seen.Add(id))
                    {
                        result.Add(new VerifyTarget
                        {
                            Id = id,
                            LoadBalancer = lb.Name,
                            Scheme = scheme,
                            Host = host,
                            Port = listener.Port,
                            Listener = $"{listener.Protocol}:{listener.Port}",
                            DefaultPath = path,
                            Member = member,
                            BalancerScheme = lb.Scheme,
                        });
                    }
                }
                // An ALB rule's host (and first path) per member: the Host header its host rules need.
                foreach (var rule in listener.Rules.OrderBy(r => r.Member == endpoint.Object ? 0 : 1))
                {
                    var hosts = ConditionValues(rule.Conditions, "host-header").Where(h => !h.Contains('*', StringComparison.Ordinal) && !h.Contains('?', StringComparison.Ordinal)).ToList();
                    var path = ConditionValues(rule.Conditions, "path-pattern").Select(PathOf).FirstOrDefault(p => p is not null);
                    var member = lb.IngressGroup is null ? null : rule.Member;
                    var rulePath = member is null || member == endpoint.Object ? (path is null or "/" ? healthPath : path) : path ?? "/";
                    foreach (var host in hosts)
                    {
                        Add(DnsAnswer.Normalize(host), rulePath, member);
                    }
                }
                Add(DnsAnswer.Normalize(lb.DnsName), healthPath, null);
            }
        }
        return [.. result.OrderBy(t => t.Member is null || t.Member == endpoint.Object ? 0 : 1)];
    }

    /// <summary>Whether a URL is one of the endpoint's targets (scheme, host and port); the target when it is.</summary>
    public static VerifyTarget? Match(IReadOnlyList<VerifyTarget> targets, Uri url) =>
        targets.FirstOrDefault(t => t.Scheme == url.Scheme && t.Host == DnsAnswer.Normalize(url.Host) && t.Port == url.Port);

    /// <summary>
    /// Checks a user-given path: it must start with <c>/</c> (not <c>//</c>), carry no control characters or fragment,
    /// and be at most 2,048 characters. Returns the problem, or null.
    /// </summary>
    public static string? PathProblem(string path)
    {
        if (path.Length is 0 or > 2048)
        {
            return "path must be 1–2048 characters, starting with /, e.g. /healthz.";
        }
        if (!path.StartsWith('/') || path.StartsWith("//", StringComparison.Ordinal) || path.Contains('\\', StringComparison.Ordinal))
        {
            return $"path '{path}' must start with a single / (a path on the endpoint, not a URL), e.g. /healthz.";
        }
        if (path.Any(char.IsControl) || path.Contains('#', StringComparison.Ordinal) || path.Contains(' ', StringComparison.Ordinal))
        {
            return "path must not contain spaces, control characters or a #fragment; percent-encode them.";
        }
        return null;
    }

    /// <summary>
    /// The handler Verify and smoke tests send through. <paramref name="maxConnections"/> caps connections per target;
    /// <paramref name="observation"/> (Verify: one handler per request) records the phases and the certificate.
    /// </summary>
    public SocketsHttpHandler CreateHandler(int maxConnections, TimeSpan connectTimeout, ConnectionObservation? observation = null)
    {
        var sandboxHost = sandbox.Host;
        var root = sandboxHost?.DataPlane.Certificates.Root;
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            UseProxy = false,
            AutomaticDecompression = DecompressionMethods.None,
            MaxConnectionsPerServer = Math.Max(1, maxConnections),
            ConnectTimeout = connectTimeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            ConnectCallback = (context, cancellationToken) => ConnectAsync(context, observation, sandboxHost?.DataPlane, cancellationToken),
        };
        handler.SslOptions = new SslClientAuthenticationOptions
        {
            RemoteCertificateValidationCallback = (sender, certificate, chain, errors) =>
            {
                if (observation is not null && certificate is not null)
                {
                    observation.TlsDone = observation.Elapsed;
                    observation.Certificate = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
                    observation.PolicyErrors = errors;
                    observation.ChainProblem = ChainProblem(observation.Certificate, errors, root);
                }
                return true; // shown, not trusted: Verify sends no credentials (see the class summary)
            },
        };
        return handler;
    }

    private static async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, ConnectionObservation? observation,
        Dashboard.Sandbox.DataPlane.SandboxDataPlane? dataPlane, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        IPEndPoint endpoint;
        if (dataPlane is not null)
        {
            var answer = dataPlane.Dns.Resolve(host);
            if (!answer.Exists)
            {
                throw new HttpRequestException(HttpRequestError.NameResolutionError, $"{host} does not resolve (NXDOMAIN in the sandbox's DNS).");
            }
            if (observation is not null)
            {
                observation.ResolvedAddress = answer.Addresses.FirstOrDefault();
            }
            var tls = context.InitialRequestMessage.RequestUri?.Scheme == Uri.UriSchemeHttps;
            endpoint = new IPEndPoint(IPAddress.Loopback, tls ? dataPlane.HttpsUri.Port : dataPlane.HttpUri.Port);
        }
        else
        {
            IPAddress[] addresses;
            try
            {
                addresses = await Dns.GetHostAddressesAsync(host, cancellationToken);
            }
            catch (SocketException e)
            {
                throw new HttpRequestException(HttpRequestError.NameResolutionError, $"{host} does not resolve: {e.Message}", e);
            }
            if (addresses.Length == 0)
            {
                throw new HttpRequestException(HttpRequestError.NameResolutionError, $"{host} has no address records.");
            }
            endpoint = new IPEndPoint(addresses[0], context.DnsEndPoint.Port);
            if (observation is not null)
            {
                observation.ResolvedAddress = addresses[0].ToString();
            }
        }
        if (observation is not null)
        {
            observation.DnsDone = observation.Elapsed;
        }
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(endpoint, cancellationToken);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        if (observation is not null)
        {
            observation.Connected = observation.Elapsed;
        }
        return new NetworkStream(socket, ownsSocket: true);
    }

    private static string? ChainProblem(X509Certificate2 certificate, SslPolicyErrors errors, X509Certificate2? sandboxRoot)
    {
        if (sandboxRoot is not null)
        {
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(sandboxRoot);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            if (chain.Build(certificate))
            {
                return null;
            }
            return string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0).Distinct());
        }
        errors &= ~SslPolicyErrors.RemoteCertificateNameMismatch; // reported as "covers host" instead
        return errors == SslPolicyErrors.None ? null : errors.ToString();
    }

    private static IEnumerable<string> ConditionValues(IEnumerable<string> conditions, string field) =>
        conditions.Where(c => c.StartsWith(field + ":", StringComparison.Ordinal))
            .SelectMany(c => c[(field.Length + 1)..].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));

    /// <summary>A request path for a path-pattern: <c>/predict*</c> → <c>/predict</c>; null when it has other wildcards.</summary>
    private static string? PathOf(string pattern)
    {
        var path = pattern.TrimEnd('*');
        return path.Length == 0 || path.Contains('*', StringComparison.Ordinal) || path.Contains('?', StringComparison.Ordinal) ? null : path.Length > 1 ? path.TrimEnd('/') : path;
    }
}
