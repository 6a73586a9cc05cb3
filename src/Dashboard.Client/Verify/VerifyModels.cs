using System.Collections.Immutable;
using Dashboard.Client.Changes;
using Dashboard.Client.Model;

namespace Dashboard.Client.Verify;

/// <summary>
/// One address of an endpoint the dashboard may send requests to: a listener of one of its balancers, with the host a client
/// would use (an Ingress rule's host, else the balancer's DNS name). Built only from the dashboard's own inventory.
/// </summary>
public sealed record VerifyTarget
{
    /// <summary>Stable id (<c>{balancer}|{port}|{host}</c>) the API and the page pass back.</summary>
    public required string Id { get; init; }
    public required string LoadBalancer { get; init; }

    /// <summary><c>http</c> or <c>https</c>.</summary>
    public required string Scheme { get; init; }
    public required string Host { get; init; }
    public required int Port { get; init; }

    /// <summary>The listener, e.g. <c>HTTPS:443</c>.</summary>
    public required string Listener { get; init; }

    /// <summary>The path to try first: the member's rule path or the health-check path.</summary>
    public required string DefaultPath { get; init; }

    /// <summary>For an IngressGroup: the member whose rule this host/path belongs to.</summary>
    public ObjectRef? Member { get; init; }

    /// <summary>The balancer's scheme: <c>internet-facing</c> or <c>internal</c>.</summary>
    public required string BalancerScheme { get; init; }

    /// <summary>The URL for a path (the only URLs the dashboard calls).</summary>
    public string Url(string path) => $"{Scheme}://{Host}{(Port == (Scheme == "https" ? 443 : 80) ? "" : ":" + Port)}{path}";

    public string Label => $"{Listener} {Host}" + (Member is { } m ? $" ({m.Name})" : "");
}

/// <summary>What a user asks Verify to send (POST /api/v1/endpoints/{kind}/{ns}/{name}/verify).</summary>
public sealed record VerifyRequest
{
    /// <summary>A <see cref="VerifyTarget.Id"/>; default the first target (own member first).</summary>
    public string? Target { get; init; }

    /// <summary>Path and query starting with <c>/</c>; default the target's <see cref="VerifyTarget.DefaultPath"/>.</summary>
    public string? Path { get; init; }

    /// <summary><c>GET</c> (default), <c>HEAD</c> or <c>POST</c>.</summary>
    public string? Method { get; init; }

    /// <summary>A JSON body for POST (at most 64 KiB).</summary>
    public string? Body { get; init; }

    /// <summary>Instead of target + path: a full URL, accepted only when its scheme, host and port are a target of this endpoint.</summary>
    public string? Url { get; init; }
}

/// <summary>The certificate a TLS listener presented.</summary>
public sealed record VerifyCertificate
{
    public required string Subject { get; init; }
    public required string Issuer { get; init; }
    public required ImmutableArray<string> SubjectAlternativeNames { get; init; }
    public required DateTimeOffset NotBefore { get; init; }
    public required DateTimeOffset NotAfter { get; init; }

    /// <summary>Whether a name on the certificate covers the host asked for.</summary>
    public required bool CoversHost { get; init; }

    /// <summary>Null when the chain is trusted; otherwise why not (untrusted root, expired, name mismatch …).</summary>
    public string? ChainProblem { get; init; }
}

/// <summary>Where the time of the request went, in milliseconds (as curl -w reports it, but per phase rather than cumulative).</summary>
public sealed record VerifyTiming(double DnsMs, double ConnectMs, double TlsMs, double FirstByteMs, double TotalMs);

/// <summary>What one Verify request saw.</summary>
public sealed record VerifyResult
{
    public required string RunId { get; init; }
    public required DateTimeOffset At { get; init; }
    public required ObjectRef Endpoint { get; init; }
    public required VerifyTarget Target { get; init; }
    public required string Method { get; init; }
    public required string Url { get; init; }

    /// <summary>The address the name resolved to (from the sandbox's DNS in sandbox mode).</summary>
    public string? ResolvedAddress { get; init; }

    /// <summary>The HTTP status; null when no response came (see <see cref="ErrorKind"/>).</summary>
    public int? StatusCode { get; init; }
    public string? ReasonPhrase { get; init; }
    public string? HttpVersion { get; init; }
    public ImmutableArray<KeyValuePair<string, string>> Headers { get; init; } = [];

    /// <summary>The first 4 KiB of the body as text.</summary>
    public string? BodyExcerpt { get; init; }
    public long BodyBytes { get; init; }
    public VerifyCertificate? Certificate { get; init; }
    public VerifyTiming? Timing { get; init; }

    /// <summary><c>dns</c>, <c>connect</c>, <c>tls</c>, <c>timeout</c>, <c>reset</c> or <c>other</c> when the request failed.</summary>
    public string? ErrorKind { get; init; }
    public string? Error { get; init; }
    public required string RunBy { get; init; }

    /// <summary>Whether the endpoint answered with a status below 500.</summary>
    public bool Answered => StatusCode is < 500;
}

/// <summary>Verify: one request through the balancer, for pages and the API alike.</summary>
public interface IEndpointVerifier
{
    /// <summary>The addresses of an endpoint the dashboard may call (empty when it has no balancer yet).</summary>
    IReadOnlyList<VerifyTarget> Targets(ObjectRef endpoint);

    /// <summary>Sends one request; throws <see cref="VerifyRefusedException"/> when the request is not allowed or invalid.</summary>
    Task<VerifyResult> VerifyAsync(ObjectRef endpoint, VerifyRequest request, ChangeActor actor, CancellationToken cancellationToken);

    /// <summary>The last Verify of an endpoint, if any.</summary>
    VerifyResult? Last(ObjectRef endpoint);
}

/// <summary>A Verify or smoke test that is not allowed or not valid; <see cref="Field"/> names what to fix.</summary>
public sealed class VerifyRefusedException(string field, string message, int status = 422) : Exception(message)
{
    public string Field { get; } = field;

    /// <summary>The HTTP status the API answers (422 invalid, 404 unknown endpoint, 409 busy, 403 read-only).</summary>
    public int Status { get; } = status;
}
