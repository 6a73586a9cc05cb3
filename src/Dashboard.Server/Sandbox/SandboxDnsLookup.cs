using Dashboard.Server.Configuration;
using Dashboard.Server.Topology;
using Microsoft.Extensions.Options;

namespace Dashboard.Server.Sandbox;

/// <summary>
/// The dashboard's resolver: in sandbox mode the sandbox's DNS answers (the simulated balancers' names and the scenario's
/// custom hosts — the machine's resolver is neither asked nor changed); otherwise the real lookup (<see cref="DnsLookup"/>).
/// </summary>
public sealed class SandboxDnsLookup(EmbeddedSandbox sandbox, DnsLookup real, IOptions<KubernetesSourceOptions> source, TimeProvider time) : IDnsLookup
{
    public Task<DnsAnswer> LookupAsync(string host, CancellationToken cancellationToken)
    {
        if (source.Value.SourceKind != KubernetesSourceKind.Sandbox)
        {
            return real.LookupAsync(host, cancellationToken);
        }
        var name = DnsAnswer.Normalize(host);
        if (sandbox.Host is not { } running)
        {
            return Task.FromResult(DnsAnswer.Unavailable(name, "the sandbox has not started yet", time.GetUtcNow()));
        }
        var answer = running.DataPlane.Dns.Resolve(name);
        return Task.FromResult(answer.Exists
            ? new DnsAnswer(name, DnsOutcome.Resolved, answer.CanonicalNames, answer.Addresses, null, time.GetUtcNow())
            : new DnsAnswer(name, DnsOutcome.NotFound, [], [], "NXDOMAIN (sandbox DNS)", time.GetUtcNow()));
    }
}
