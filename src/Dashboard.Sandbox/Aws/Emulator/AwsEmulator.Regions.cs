using System.Collections.Concurrent;
using System.Net;
using System.Text.RegularExpressions;
using Dashboard.Sandbox.Aws.CertificateManager;
using Dashboard.Sandbox.Aws.CloudWatch;
using Dashboard.Sandbox.Aws.Ec2;
using Dashboard.Sandbox.Aws.Elbv2;
using Dashboard.Sandbox.Aws.Waf;
using Dashboard.Sandbox.Cluster;

namespace Dashboard.Sandbox.Aws.Emulator;

/// <summary>
/// Regions. An AWS account is a separate world per region: ELBv2, CloudWatch, EC2, ACM and WAFv2 answer from the world of
/// the region a request is signed for (the credential scope), so a request signed for <c>eu-west-1</c> never sees the
/// load balancers of <c>us-east-1</c>. The emulator starts with the world it was given (the scenario's region); more
/// are added with <see cref="AddRegion"/>, and any other well-formed region answers as an empty region does (no load
/// balancers, its own default subnets). Cost Explorer is global (one endpoint in us-east-1) and reports the scenario
/// region's balancers.
/// </summary>
public sealed partial class AwsEmulator
{
    private static readonly Regex RegionName = new(@"^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d{1,2}$", RegexOptions.CultureInvariant);
    private readonly ConcurrentDictionary<string, RegionalApis> _regions = new(StringComparer.Ordinal);

    /// <summary>The regional services of one region's world.</summary>
    private sealed class RegionalApis(AwsWorld world, ElbTrafficModel traffic)
    {
        public AwsWorld World { get; } = world;
        public ElbTrafficModel Traffic { get; } = traffic;
        public Elbv2QueryApi Elbv2 { get; } = new(world);
        public CloudWatchApi CloudWatch { get; } = new(world, traffic);
        public Ec2QueryApi Ec2 { get; } = new(world);
        public AcmApi Acm { get; } = new(world);
        public Wafv2Api Wafv2 { get; } = new(world);
    }

    /// <summary>Serves <paramref name="world"/> to requests signed for its region (replacing an empty world made on demand).</summary>
    public void AddRegion(AwsWorld world, ElbTrafficModel? traffic = null) =>
        _regions[world.Region] = new RegionalApis(world, traffic ?? new ElbTrafficModel(world) { PublicationDelay = Traffic.PublicationDelay });

    /// <summary>The world of a region, or null when no request or caller has used that region yet.</summary>
    public AwsWorld? World(string region) => _regions.TryGetValue(region, out var apis) ? apis.World : null;

    /// <summary>The regions that have a world (the scenario's first).</summary>
    public IReadOnlyList<string> Regions => [_primary.World.Region, .. _regions.Keys.Where(r => r != _primary.World.Region).Order(StringComparer.Ordinal)];

    private RegionalApis RegionFor(string region, AwsProtocol protocol)
    {
        if (_regions.TryGetValue(region, out var apis))
        {
            return apis;
        }
        if (!RegionName.IsMatch(region))
        {
            // What AWS answers when the credential scope names no region it has.
            throw new AwsApiException(protocol == AwsProtocol.Query ? "SignatureDoesNotMatch" : "InvalidSignatureException",
                $"Credential should be scoped to a valid region, not '{region}'. ", HttpStatusCode.Forbidden);
        }
        return _regions.GetOrAdd(region, r =>
        {
            var primary = _primary.World;
            var world = new AwsWorld(r, primary.AccountId, primary.ClusterName, primary.Seed ^ (int)(StableHash.Of(r) & 0x7fffffff), primary.TimeProvider) { HoldsScenarioSecurity = false };
            return new RegionalApis(world, new ElbTrafficModel(world) { PublicationDelay = Traffic.PublicationDelay });
        });
    }
}
