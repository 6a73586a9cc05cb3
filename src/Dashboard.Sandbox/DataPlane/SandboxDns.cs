using System.Collections.Concurrent;
using System.Collections.Immutable;
using Dashboard.Sandbox.Aws;

namespace Dashboard.Sandbox.DataPlane;

/// <summary>What the sandbox's DNS says about one name: its CNAME chain and addresses, or that it does not exist.</summary>
public sealed record SandboxDnsAnswer(string Host, bool Exists, ImmutableArray<string> CanonicalNames, ImmutableArray<string> Addresses)
{
    public static SandboxDnsAnswer NotFound(string host) => new(host, false, [], []);
}

/// <summary>
/// The sandbox's DNS: every simulated balancer's <c>*.elb.amazonaws.com</c> name (A records: the public addresses of its
/// nodes' network interfaces when internet-facing, the private ones when internal — the same addresses EC2
/// <c>DescribeNetworkInterfaces</c> reports) and the scenario's custom hosts as CNAMEs of a balancer, as a Route 53 record
/// would be. Only the dashboard's own resolver reads it in sandbox mode; the machine's resolver is never touched.
/// The scenario's records (<see cref="AddScenarioRecords"/>) carry the mistakes a checklist should catch:
/// <c>api.retail-forecast.com</c> is a CNAME of <c>retail-forecast-alb</c> (the seed's §4.1 record), so the second Ingress
/// naming that host (<c>retail-forecast-alb-advanced</c>) does not get its traffic, and <c>shop.example.com</c> was never
/// created (NXDOMAIN).
/// </summary>
public sealed class SandboxDns(AwsWorld world)
{
    // host → name of the balancer the CNAME points at (ELB names are unique per account and region).
    private readonly ConcurrentDictionary<string, string> _cnames = new(StringComparer.Ordinal);

    /// <summary>Points <paramref name="host"/> at the balancer named <paramref name="loadBalancerName"/> (a CNAME to its DNS name).</summary>
    public void SetRecord(string host, string loadBalancerName) => _cnames[Normalize(host)] = loadBalancerName;

    /// <summary>Deletes the record of <paramref name="host"/>; the name then answers NXDOMAIN.</summary>
    public void RemoveRecord(string host) => _cnames.TryRemove(Normalize(host), out _);

    /// <summary>The custom records: host → balancer name.</summary>
    public IReadOnlyDictionary<string, string> Records => _cnames.ToImmutableSortedDictionary(StringComparer.Ordinal);

    /// <summary>The seed scenario's records (see the class summary).</summary>
    public void AddScenarioRecords()
    {
        SetRecord("api.retail-forecast.com", "retail-forecast-alb");
    }

    public SandboxDnsAnswer Resolve(string host)
    {
        var name = Normalize(host);
        if (_cnames.TryGetValue(name, out var balancerName))
        {
            var target = world.FindLoadBalancerByName(balancerName);
            if (target is null)
            {
                // A dangling CNAME: the record names a balancer that no longer exists.
                return new SandboxDnsAnswer(name, false, [], []);
            }
            var cname = Normalize(target.DnsName);
            return new SandboxDnsAnswer(name, true, [cname], AddressesOf(target));
        }
        var balancer = FindByDnsName(name);
        return balancer is null ? SandboxDnsAnswer.NotFound(name) : new SandboxDnsAnswer(name, true, [], AddressesOf(balancer));
    }

    /// <summary>The balancer a name leads to (its own DNS name, or a CNAME of it); null when the name does not resolve.</summary>
    public LoadBalancer? BalancerFor(string host)
    {
        var name = Normalize(host);
        return _cnames.TryGetValue(name, out var balancerName) ? world.FindLoadBalancerByName(balancerName) : FindByDnsName(name);
    }

    private LoadBalancer? FindByDnsName(string name) =>
        world.GetLoadBalancers().FirstOrDefault(lb => string.Equals(Normalize(lb.DnsName), name, StringComparison.Ordinal));

    private ImmutableArray<string> AddressesOf(LoadBalancer balancer)
    {
        var description = "ELB " + balancer.MetricDimension;
        return [.. world.GetNetworkInterfaces().Where(eni => eni.Description == description)
            .Select(eni => balancer.Scheme == "internet-facing" && eni.PublicIp is { } ip ? ip : eni.PrivateIpAddress)];
    }

    public static string Normalize(string host)
    {
        var name = host.Trim().TrimEnd('.').ToLowerInvariant();
        var colon = name.LastIndexOf(':');
        return colon > 0 && !name.Contains(']', StringComparison.Ordinal) && name.IndexOf(':') == colon ? name[..colon] : name;
    }
}
