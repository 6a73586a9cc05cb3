using System.Collections.Immutable;
using System.Globalization;
using Dashboard.Sandbox.Aws.CertificateManager;
using Dashboard.Sandbox.Aws.Ec2;
using Dashboard.Sandbox.Aws.Waf;
using Dashboard.Sandbox.Cluster;

namespace Dashboard.Sandbox.Aws;

/// <summary>
/// The account's network and edge security as EC2, ACM and WAFv2 show it: the VPC's subnets (public ones tagged
/// <c>kubernetes.io/role/elb</c>, private ones <c>kubernetes.io/role/internal-elb</c>), the security groups (each
/// balancer's managed group with its listener ports open to its source ranges, the EKS cluster group that nodes and pods
/// share with the rules the controllers add for each balancer), the ACM certificates and the WAF web ACLs with their
/// associations.
/// <para>
/// Security groups and network interfaces are derived from the balancers on every read, so they always agree with what
/// the load balancer controller built. The scenario's planted mistakes (<see cref="PlantedMistakes"/>) are what an
/// operator meets in real accounts: a private subnet without its role tag, a certificate that does not cover the host
/// it serves, a certificate expiring within 20 days, a WAF annotation whose web ACL is not associated, a cluster security
/// group missing the rule for one balancer.
/// </para>
/// </summary>
public sealed partial class AwsWorld
{
    /// <summary>The VPC's address range; internal balancers default to it as their source range, as the controller does.</summary>
    public const string VpcCidr = "10.0.0.0/16";

    private readonly Dictionary<string, Certificate> _certificates = new(StringComparer.Ordinal);
    private readonly Dictionary<string, WebAcl> _webAcls = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _webAclAssociations = new(StringComparer.Ordinal);
    private bool _securitySeeded;

    /// <summary>Names that select the scenario's planted mistakes.</summary>
    public static class PlantedMistakes
    {
        /// <summary>The zone suffix whose private subnet lacks <c>kubernetes.io/role/internal-elb</c>.</summary>
        public const string UntaggedPrivateZone = "c";

        /// <summary>The stack (controller tag value) whose balancer the cluster security group does not let in.</summary>
        public const string NodeRuleMissingForStack = "payments/payments-api-nlb";

        /// <summary>A port of that internal balancer someone opened to the whole internet by hand.</summary>
        public const int InternalPortOpenToWorld = 9090;

        /// <summary>The Ingress group whose balancer is associated with the shop web ACL (the seed's asked-for ACL is not associated anywhere).</summary>
        public const string ShopGroupStack = "shop";
    }

    /// <summary>The public subnets (the balancers' default for internet-facing) and the private ones, one per zone.</summary>
    public ImmutableArray<Subnet> GetSubnets()
    {
        var zones = new[] { "a", "b", "c" };
        var builder = ImmutableArray.CreateBuilder<Subnet>(6);
        for (var i = 0; i < zones.Length; i++)
        {
            var zone = Region + zones[i];
            builder.Add(new Subnet
            {
                SubnetId = DefaultAvailabilityZones[i].SubnetId,
                VpcId = DefaultVpcId,
                CidrBlock = string.Create(CultureInfo.InvariantCulture, $"10.0.{i * 16}.0/20"),
                AvailabilityZone = zone,
                AvailableIpAddressCount = 4091 - CountInterfaces(DefaultAvailabilityZones[i].SubnetId),
                MapPublicIpOnLaunch = true,
                Tags = SubnetTags($"{ClusterName}-public-{zone}", "kubernetes.io/role/elb"),
            });
            builder.Add(new Subnet
            {
                SubnetId = PrivateSubnetId(zones[i]),
                VpcId = DefaultVpcId,
                CidrBlock = string.Create(CultureInfo.InvariantCulture, $"10.0.{128 + i * 16}.0/20"),
                AvailabilityZone = zone,
                AvailableIpAddressCount = 4091 - CountInterfaces(PrivateSubnetId(zones[i])),
                MapPublicIpOnLaunch = false,
                Tags = SubnetTags($"{ClusterName}-private-{zone}", zones[i] == PlantedMistakes.UntaggedPrivateZone ? null : "kubernetes.io/role/internal-elb"),
            });
        }
        return builder.MoveToImmutable();
    }

    /// <summary>
    /// The subnets a balancer of this scheme lands in when its spec names none: what the controller's subnet discovery
    /// finds (the subnets tagged for the scheme, one per zone).
    /// </summary>
    public ImmutableArray<LoadBalancerAvailabilityZone> DefaultZonesFor(string scheme) => scheme == "internal"
        ? [.. GetSubnets().Where(s => !s.MapPublicIpOnLaunch && s.Tags.ContainsKey("kubernetes.io/role/internal-elb"))
            .Select(s => new LoadBalancerAvailabilityZone(s.AvailabilityZone, s.SubnetId))]
        : DefaultAvailabilityZones;

    /// <summary>The EKS cluster security group (shared by nodes and pods) and its id.</summary>
    public string ClusterSecurityGroupId => "sg-0" + AwsArns.HexId(Seed, "sg/eks-cluster");

    /// <summary>Every security group of the VPC: default, cluster, and one managed group per balancer that has one.</summary>
    public ImmutableArray<SecurityGroup> GetSecurityGroups()
    {
        var balancers = GetLoadBalancers();
        var groups = ImmutableArray.CreateBuilder<SecurityGroup>();
        var defaultId = "sg-0" + AwsArns.HexId(Seed, "sg/default");
        groups.Add(Group(defaultId, "default", "default VPC security group", ImmutableSortedDictionary<string, string>.Empty,
            [Inbound(defaultId, "-1", 0, 0, new RuleSource(GroupId: defaultId)), Outbound(defaultId)]));

        var clusterRules = new List<SecurityGroupRule> { Inbound(ClusterSecurityGroupId, "-1", 0, 0, new RuleSource(GroupId: ClusterSecurityGroupId, Description: "Allow nodes and pods to talk to each other")) };
        foreach (var lb in balancers)
        {
            var tags = GetTags(lb.Arn);
            var stack = tags.GetValueOrDefault("service.k8s.aws/stack") ?? tags.GetValueOrDefault("ingress.k8s.aws/stack");
            var sources = SourceRanges(lb, tags);
            var ports = TargetPorts(lb.Arn);
            if (!lb.SecurityGroups.IsEmpty)
            {
                var managed = lb.SecurityGroups[0];
                var listenerRules = GetListeners(lb.Arn).SelectMany(l => sources.Select(s => Inbound(managed, "tcp", l.Port, l.Port, s with { Description = $"{l.Protocol} {l.Port}" }))).ToList();
                if (stack == PlantedMistakes.NodeRuleMissingForStack)
                {
                    listenerRules.Add(Inbound(managed, "tcp", PlantedMistakes.InternalPortOpenToWorld, PlantedMistakes.InternalPortOpenToWorld, new RuleSource("0.0.0.0/0", Description: "temporary debug access")));
                }
                var groupTags = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, tags.Where(t => t.Key.StartsWith("elbv2.k8s.aws/", StringComparison.Ordinal) || t.Key.EndsWith(".k8s.aws/stack", StringComparison.Ordinal)));
                groups.Add(Group(managed, lb.Name, "[k8s] Managed SecurityGroup for LoadBalancer", groupTags, [.. listenerRules, Outbound(managed)]));
                if (stack != PlantedMistakes.NodeRuleMissingForStack)
                {
                    clusterRules.AddRange(ports.Select(p => Inbound(ClusterSecurityGroupId, "tcp", p, p, new RuleSource(GroupId: managed, Description: $"elbv2.k8s.aws/targetGroupBinding=shared ({lb.Name})"))));
                }
            }
            else
            {
                // The in-tree provider opens each NodePort to the client ranges (client addresses are preserved) and to the VPC for health checks.
                clusterRules.AddRange(ports.SelectMany(p => sources.Append(new RuleSource(VpcCidr)).Distinct()
                    .Select(s => Inbound(ClusterSecurityGroupId, "tcp", p, p, s with { Description = $"kubernetes.io/rule/nlb/client={lb.Name}" }))));
            }
        }
        clusterRules.Add(Outbound(ClusterSecurityGroupId));
        groups.Add(Group(ClusterSecurityGroupId, $"eks-cluster-sg-{ClusterName}-{AwsArns.HexId(Seed, "sg/eks-cluster-name")[..8]}",
            "EKS created security group applied to ENI that is attached to EKS Control Plane master nodes, as well as any managed workloads.",
            ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, new Dictionary<string, string>
            {
                [$"kubernetes.io/cluster/{ClusterName}"] = "owned",
                ["aws:eks:cluster-name"] = ClusterName,
                ["Name"] = $"eks-cluster-sg-{ClusterName}",
            }),
            [.. clusterRules]));
        return groups.ToImmutable();
    }

    /// <summary>One interface per balancer node (one per subnet), public addresses on internet-facing balancers.</summary>
    public ImmutableArray<NetworkInterface> GetNetworkInterfaces()
    {
        var result = ImmutableArray.CreateBuilder<NetworkInterface>();
        foreach (var lb in GetLoadBalancers())
        {
            foreach (var zone in lb.AvailabilityZones)
            {
                var key = lb.Arn + "/" + zone.SubnetId;
                var octets = AwsArns.HexId(Seed, "eni-ip/" + key);
                result.Add(new NetworkInterface
                {
                    NetworkInterfaceId = "eni-0" + AwsArns.HexId(Seed, "eni/" + key),
                    SubnetId = zone.SubnetId,
                    VpcId = lb.VpcId,
                    AvailabilityZone = zone.ZoneName,
                    Description = $"ELB {lb.MetricDimension}",
                    PrivateIpAddress = PrivateAddress(zone.SubnetId, octets),
                    PublicIp = lb.Scheme == "internet-facing"
                        ? string.Create(CultureInfo.InvariantCulture, $"3.{Convert.ToInt32(octets[..2], 16)}.{Convert.ToInt32(octets[2..4], 16)}.{Convert.ToInt32(octets[4..6], 16)}")
                        : null,
                    Groups = lb.SecurityGroups,
                });
            }
        }
        return result.ToImmutable();
    }

    // ---- ACM -----------------------------------------------------------------------------------------------------

    public ImmutableArray<Certificate> GetCertificates()
    {
        lock (_gate)
        {
            SeedSecurityLocked();
            return [.. _certificates.Values.OrderBy(c => c.CreatedAt).ThenBy(c => c.Arn, StringComparer.Ordinal)];
        }
    }

    public Certificate? FindCertificate(string arn)
    {
        lock (_gate)
        {
            SeedSecurityLocked();
            return _certificates.GetValueOrDefault(arn);
        }
    }

    /// <summary>
    /// Makes sure an issued certificate with this ARN exists for <paramref name="host"/> (what certificate discovery of
    /// the controller finds: the account holds one for every host the sandbox's Ingresses name).
    /// </summary>
    public Certificate EnsureCertificate(string arn, string host)
    {
        lock (_gate)
        {
            SeedSecurityLocked();
            if (!_certificates.TryGetValue(arn, out var certificate))
            {
                certificate = NewCertificate(arn, host, [host], Now.AddDays(-60), Now.AddDays(305));
                _certificates[arn] = certificate;
            }
            return certificate;
        }
    }

    /// <summary>Adds or replaces a certificate (tests use it for expiry and coverage cases).</summary>
    public void PutCertificate(Certificate certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        lock (_gate)
        {
            SeedSecurityLocked();
            _certificates[certificate.Arn] = certificate;
            _version++;
        }
        OnChanged(certificate.Arn);
    }

    /// <summary>The listener ARNs that serve a certificate (ACM's <c>InUseBy</c> names the balancers).</summary>
    public ImmutableArray<string> CertificateUsers(string certificateArn)
    {
        lock (_gate)
        {
            return [.. _listeners.Values.Where(l => l.Certificates.Any(c => c.CertificateArn == certificateArn)).Select(l => l.LoadBalancerArn).Distinct(StringComparer.Ordinal)];
        }
    }

    // ---- WAFv2 ---------------------------------------------------------------------------------------------------

    public ImmutableArray<WebAcl> GetWebAcls()
    {
        lock (_gate)
        {
            SeedSecurityLocked();
            return [.. _webAcls.Values.OrderBy(a => a.Name, StringComparer.Ordinal)];
        }
    }

    /// <summary>The web ACL associated with a balancer, or null; explicit associations first, then the scenario's default for the shop group.</summary>
    public WebAcl? WebAclFor(string resourceArn)
    {
        lock (_gate)
        {
            SeedSecurityLocked();
            if (_webAclAssociations.TryGetValue(resourceArn, out var aclArn))
            {
                return aclArn.Length == 0 ? null : _webAcls.GetValueOrDefault(aclArn);
            }
            var stack = _tags.GetValueOrDefault(resourceArn)?.GetValueOrDefault("ingress.k8s.aws/stack");
            return stack == PlantedMistakes.ShopGroupStack ? _webAcls.Values.FirstOrDefault(a => a.Name == "shop-waf") : null;
        }
    }

    /// <summary>Associates (or, with null, disassociates) a web ACL and a balancer.</summary>
    public void AssociateWebAcl(string resourceArn, string? webAclArn)
    {
        lock (_gate)
        {
            SeedSecurityLocked();
            if (webAclArn is not null && !_webAcls.ContainsKey(webAclArn))
            {
                throw new AwsApiException("WAFNonexistentItemException", "AWS WAF couldn’t perform the operation because your resource doesn’t exist.");
            }
            _webAclAssociations[resourceArn] = webAclArn ?? "";
            _version++;
        }
        OnChanged(resourceArn);
    }

    // ---- helpers -------------------------------------------------------------------------------------------------

    private void SeedSecurityLocked()
    {
        if (_securitySeeded)
        {
            return;
        }
        _securitySeeded = true;
        if (!HoldsScenarioSecurity)
        {
            return;
        }
        var now = Now;
        // The seed's certificate was issued for the apex and www, not for the api host its Ingress serves.
        var retail = CertificateArn(StableHash.Uuid($"{Seed}/acm/retail-forecast"));
        _certificates[retail] = NewCertificate(retail, "retail-forecast.com", ["retail-forecast.com", "www.retail-forecast.com"], now.AddDays(-120), now.AddDays(245));
        // The shop's certificate covers its host but expires in 20 days (a DNS validation record was deleted, so no renewal).
        var shop = CertificateArn(StableHash.Uuid($"{Seed}/acm/shop"));
        _certificates[shop] = NewCertificate(shop, "shop.example.com", ["shop.example.com", "*.shop.example.com"], now.AddDays(-345), now.AddDays(20));

        foreach (var (name, description, rules) in new[]
        {
            ("retail-forecast-waf", "Rate limit and common rule set for the retail forecast API", ImmutableArray.Create(
                new WebAclRule("RateLimitRule", 1, "Block", "RateBasedStatement Limit=2000 AggregateKeyType=IP"),
                new WebAclRule("AWSManagedRulesCommonRuleSet", 2, "None (rule group actions)", "ManagedRuleGroupStatement AWS/AWSManagedRulesCommonRuleSet"))),
            ("shop-waf", "Storefront protection", ImmutableArray.Create(
                new WebAclRule("AWSManagedRulesCommonRuleSet", 1, "None (rule group actions)", "ManagedRuleGroupStatement AWS/AWSManagedRulesCommonRuleSet"))),
        })
        {
            var id = StableHash.Uuid($"{Seed}/waf/{(name == "shop-waf" ? "shop" : "retail-forecast")}");
            var arn = $"arn:aws:wafv2:{Region}:{AccountId}:regional/webacl/{name}/{id}";
            _webAcls[arn] = new WebAcl
            {
                Name = name,
                Id = id,
                Arn = arn,
                Description = description,
                DefaultAction = "Allow",
                Rules = rules,
                LockToken = StableHash.Uuid($"{Seed}/waf-lock/{name}"),
            };
        }
    }

    private Certificate NewCertificate(string arn, string domain, ImmutableArray<string> names, DateTimeOffset notBefore, DateTimeOffset notAfter) => new()
    {
        Arn = arn,
        DomainName = domain,
        SubjectAlternativeNames = names,
        Serial = string.Join(':', Enumerable.Range(0, 8).Select(i => AwsArns.HexId(Seed, "serial/" + arn)[(i * 2)..(i * 2 + 2)])),
        CreatedAt = notBefore.AddMinutes(-5),
        NotBefore = notBefore,
        NotAfter = notAfter,
    };

    private string CertificateArn(string id) => $"arn:aws:acm:{Region}:{AccountId}:certificate/{id}";

    private string PrivateSubnetId(string zoneSuffix) => "subnet-0" + AwsArns.HexId(Seed, "subnet/private-" + zoneSuffix);

    private ImmutableSortedDictionary<string, string> SubnetTags(string name, string? roleTag)
    {
        var tags = new Dictionary<string, string>
        {
            ["Name"] = name,
            [$"kubernetes.io/cluster/{ClusterName}"] = "shared",
        };
        if (roleTag is not null)
        {
            tags[roleTag] = "1";
        }
        return ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, tags);
    }

    private int CountInterfaces(string subnetId)
    {
        lock (_gate)
        {
            return _loadBalancers.Values.Count(lb => lb.AvailabilityZones.Any(z => z.SubnetId == subnetId));
        }
    }

    private string PrivateAddress(string subnetId, string hex)
    {
        var subnet = GetSubnets().FirstOrDefault(s => s.SubnetId == subnetId);
        var third = subnet is null ? 0 : int.Parse(subnet.CidrBlock.Split('.')[2], CultureInfo.InvariantCulture);
        return string.Create(CultureInfo.InvariantCulture, $"10.0.{third + Convert.ToInt32(hex[..1], 16)}.{4 + Convert.ToInt32(hex[1..3], 16) % 250}");
    }

    /// <summary>The ranges a balancer lets in: its source-ranges tag, else the VPC for internal and everyone for internet-facing.</summary>
    private static ImmutableArray<RuleSource> SourceRanges(LoadBalancer lb, ImmutableSortedDictionary<string, string> tags)
    {
        var tagged = tags.GetValueOrDefault("sandbox.endpoint-dashboard.dev/source-ranges");
        if (!string.IsNullOrWhiteSpace(tagged))
        {
            return [.. tagged.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(c => c.Contains(':', StringComparison.Ordinal) ? new RuleSource(CidrIpv6: c) : new RuleSource(c))];
        }
        if (lb.Scheme == "internal")
        {
            return [new RuleSource(VpcCidr)];
        }
        return lb.IpAddressType.StartsWith("dualstack", StringComparison.Ordinal) ? [new RuleSource("0.0.0.0/0"), new RuleSource(CidrIpv6: "::/0")] : [new RuleSource("0.0.0.0/0")];
    }

    private ImmutableArray<int> TargetPorts(string loadBalancerArn)
    {
        lock (_gate)
        {
            var groups = _targetGroups.Values.Where(tg => tg.LoadBalancerArns.Contains(loadBalancerArn)).ToList();
            // Registered targets carry the port traffic reaches; a group with none yet is known only by its own port.
            return [.. groups.SelectMany(tg => _targets.GetValueOrDefault(tg.Arn) is { IsEmpty: false } targets ? targets.Select(t => t.Port) : [tg.Port]).Distinct().Order()];
        }
    }

    private SecurityGroup Group(string id, string name, string description, ImmutableSortedDictionary<string, string> tags, ImmutableArray<SecurityGroupRule> rules) => new()
    {
        GroupId = id,
        GroupName = name,
        Description = description,
        VpcId = DefaultVpcId,
        Rules = rules,
        Tags = tags,
    };

    private SecurityGroupRule Inbound(string groupId, string protocol, int from, int to, RuleSource source) => new()
    {
        RuleId = "sgr-0" + AwsArns.HexId(Seed, $"sgr/{groupId}/in/{protocol}/{from}/{to}/{source.CidrIpv4}{source.CidrIpv6}{source.GroupId}"),
        GroupId = groupId,
        IsEgress = false,
        IpProtocol = protocol,
        FromPort = protocol == "-1" ? -1 : from,
        ToPort = protocol == "-1" ? -1 : to,
        Source = source,
    };

    private SecurityGroupRule Outbound(string groupId) => new()
    {
        RuleId = "sgr-0" + AwsArns.HexId(Seed, $"sgr/{groupId}/out"),
        GroupId = groupId,
        IsEgress = true,
        IpProtocol = "-1",
        FromPort = -1,
        ToPort = -1,
        Source = new RuleSource("0.0.0.0/0"),
    };
}
