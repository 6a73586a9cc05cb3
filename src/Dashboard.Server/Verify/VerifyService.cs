using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Net.Sockets;
using System.Reflection;
using System.Text;
using Dashboard.Client.Changes;
using Dashboard.Client.Model;
using Dashboard.Client.Verify;
using Dashboard.Server.LoadBalancers.Security;
using Microsoft.Extensions.Options;

namespace Dashboard.Server.Verify;

/// <summary>
/// Verify: one request through the balancer to a path the user picks, to a target from <see cref="EndpointTargets"/> only,
/// reporting status, headers, a body excerpt, the certificate and where the time went. Pages and the HTTP API call this.
/// </summary>
public sealed partial class VerifyService(EndpointTargets targets, EndpointProbeBoard board, IOptions<VerifyOptions> options, TimeProvider time,
    ILogger<VerifyService> logger) : IEndpointVerifier
{
    private const int ExcerptBytes = 4096;
    private const int MaxBodyRead = 1024 * 1024;
    private static readonly string[] _methods = ["GET", "HEAD", "POST"];
    private readonly ConcurrentDictionary<string, VerifyResult> _last = new(StringComparer.Ordinal);

    /// <summary>The product's User-Agent; each request adds its run id.</summary>
    public static string UserAgent(string kind, string runId) =>
        $"EndpointDashboard/{typeof(VerifyService).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "1.0"} ({kind}; run {runId})";

    public IReadOnlyList<VerifyTarget> Targets(ObjectRef endpoint) => targets.For(endpoint);

    public VerifyResult? Last(ObjectRef endpoint) => _last.GetValueOrDefault(endpoint.Key);

    /// <summary>Resolves what to send: the target (by id, by URL in the inventory, or the first) and the path.</summary>
    public (VerifyTarget Target, string Path) Resolve(ObjectRef endpoint, string? targetId, string? path, string? url)
    {
        if (targets.Endpoint(endpoint) is null)
        {
            throw new VerifyRefusedException("endpoint", $"The dashboard knows no exposed {endpoint}: it only sends requests to endpoints in its own inventory.", 404);
        }
        var list = targets.For(endpoint);
        if (list.Count == 0)
        {
            throw new VerifyRefusedException("target", $"{endpoint} has no load balancer listener to send to yet.", 409);
        }
        if (url is not null)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || !string.IsNullOrEmpty(uri.UserInfo))
            {
                throw new VerifyRefusedException("url", $"'{url}' is not an http(s) URL of this endpoint; pick a target instead (GET …/verify-targets).");
            }
            var matched = EndpointTargets.Match(list, uri)
                ?? throw new VerifyRefusedException("url", $"{uri.Scheme}://{uri.Authority} is not an address of {endpoint} in the dashboard's inventory; "
                    + "the dashboard only sends requests to its own endpoints: " + string.Join(", ", list.Select(t => t.Url("")).Distinct()) + ".");
            return (matched, uri.PathAndQuery);
        }
        var target = targetId is null ? list[0] : list.FirstOrDefault(t => t.Id == targetId)
            ?? throw new VerifyRefusedException("target", $"'{targetId}' is not a target of {endpoint}; choose one of: {string.Join(", ", list.Select(t => t.Id))}.");
        path ??= target.DefaultPath;
        if (EndpointTargets.PathProblem(path) is { } problem)
        {
            throw new VerifyRefusedException("path", problem);
        }
        return (target, path);
    }

    public async Task<VerifyResult> VerifyAsync(ObjectRef endpoint, VerifyRequest request, ChangeActor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var method = (request.Method ?? (request.Body is null ? "GET" : "POST")).ToUpperInvariant();
        if (!_methods.Contains(method))
        {
            throw new VerifyRefusedException("method", $"method must be GET, HEAD or POST (got '{request.Method}').");
        }
        if (request.Body is { Length: > 65536 })
        {
            throw new VerifyRefusedException("body", "body must be at most 64 KiB.");
        }
        var (target, path) = Resolve(endpoint, request.Target, request.Path, request.Url);
        var runId = Guid.NewGuid().ToString("N")[..12];
        var url = target.Url(path);
        var observation = new ConnectionObservation();
        using var handler = targets.CreateHandler(1, options.Value.RequestTimeout, observation);
        using var client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        using var message = new HttpRequestMessage(new HttpMethod(method), url);
        message.Headers.UserAgent.ParseAdd(UserAgent("verify", runId));
        message.Headers.Accept.ParseAdd("*/*");
        if (method == "POST")
        {
            message.Content = new StringContent(request.Body ?? "{}", Encoding.UTF8, "application/json");
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.RequestTimeout);
        var at = time.GetUtcNow();
        var result = new VerifyResult
        {
            RunId = runId,
            At = at,
            Endpoint = endpoint,
            Target = target,
            Method = method,
            Url = url,
            RunBy = actor.Name,
        };
        observation.StartTimestamp = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            using var response = await client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var firstByte = observation.Elapsed;
            var (excerpt, bytes) = await ReadBodyAsync(response, timeout.Token);
            var total = observation.Elapsed;
            result = result with
            {
                StatusCode = (int)response.StatusCode,
                ReasonPhrase = response.ReasonPhrase,
                HttpVersion = "HTTP/" + response.Version.ToString(2),
                Headers = [.. response.Headers.Concat(response.Content.Headers).SelectMany(h => h.Value.Select(v => new KeyValuePair<string, string>(h.Key, v)))],
                BodyExcerpt = excerpt,
                BodyBytes = bytes,
                Timing = Timing(observation, firstByte, total),
            };
        }
        catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            var (kind, text) = Classify(e, options.Value.RequestTimeout);
            result = result with { ErrorKind = kind, Error = text, Timing = Timing(observation, null, observation.Elapsed) };
        }
        result = result with
        {
            ResolvedAddress = observation.ResolvedAddress,
            Certificate = observation.Certificate is { } certificate ? Describe(certificate, target.Host, observation.ChainProblem) : null,
        };
        observation.Certificate?.Dispose();
        _last[endpoint.Key] = result;
        board.RecordVerify(result);
        LogVerified(logger, actor.Name, endpoint.ToString(), method, url, result.StatusCode, result.ErrorKind, runId);
        return result;
    }

    private static async Task<(string Excerpt, long Bytes)> ReadBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[16 * 1024];
        using var kept = new MemoryStream();
        long total = 0;
        int read;
        while (total < MaxBodyRead && (read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
        {
            if (kept.Length < ExcerptBytes)
            {
                kept.Write(buffer, 0, (int)Math.Min(read, ExcerptBytes - kept.Length));
            }
            total += read;
        }
        return (Encoding.UTF8.GetString(kept.ToArray()), total);
    }

    private static VerifyTiming Timing(ConnectionObservation o, TimeSpan? firstByte, TimeSpan total)
    {
        var dns = o.DnsDone ?? TimeSpan.Zero;
        var connected = o.Connected ?? dns;
        var tls = o.TlsDone ?? connected;
        double Ms(TimeSpan t) => Math.Round(Math.Max(0, t.TotalMilliseconds), 2);
        return new VerifyTiming(Ms(dns), Ms(connected - dns), Ms(tls - connected), firstByte is { } fb ? Ms(fb - tls) : 0, Ms(total));
    }

    internal static VerifyCertificate Describe(System.Security.Cryptography.X509Certificates.X509Certificate2 certificate, string host, string? chainProblem)
    {
        var names = certificate.Extensions.OfType<System.Security.Cryptography.X509Certificates.X509SubjectAlternativeNameExtension>()
            .SelectMany(e => e.EnumerateDnsNames()).ToImmutableArray();
        return new VerifyCertificate
        {
            Subject = certificate.Subject,
            Issuer = certificate.Issuer,
            SubjectAlternativeNames = names,
            NotBefore = new DateTimeOffset(certificate.NotBefore.ToUniversalTime()),
            NotAfter = new DateTimeOffset(certificate.NotAfter.ToUniversalTime()),
            CoversHost = names.Any(n => AcmCertificateCovers(n, host)),
            ChainProblem = chainProblem,
        };
    }

    private static bool AcmCertificateCovers(string name, string host) => CertificateFacts.NameCovers(name, host);

    internal static (string Kind, string Message) Classify(Exception e, TimeSpan timeout)
    {
        if (e is OperationCanceledException)
        {
            return ("timeout", $"No complete answer within {timeout.TotalSeconds:0.#} s.");
        }
        var request = e as HttpRequestException ?? e.InnerException as HttpRequestException;
        var socket = e.InnerException as SocketException ?? e.InnerException?.InnerException as SocketException;
        return request?.HttpRequestError switch
        {
            HttpRequestError.NameResolutionError => ("dns", e.Message),
            HttpRequestError.SecureConnectionError => ("tls", e.InnerException?.Message ?? e.Message),
            HttpRequestError.ConnectionError when socket?.SocketErrorCode == SocketError.ConnectionRefused => ("connect", "Connection refused: " + e.Message),
            HttpRequestError.ConnectionError => ("connect", e.Message),
            _ when socket?.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionAborted => ("reset", "Connection reset by the peer."),
            HttpRequestError.ResponseEnded => ("reset", "The connection closed before a complete answer (reset)."),
            _ => ("other", e.Message),
        };
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Verify by {User} of {Endpoint}: {Method} {Url} answered {Status} {ErrorKind} (run {RunId})")]
    private static partial void LogVerified(ILogger logger, string user, string endpoint, string method, string url, int? status, string? errorKind, string runId);
}
