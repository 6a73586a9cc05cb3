using System.Collections.Immutable;
using System.Globalization;
using Dashboard.Client.Model;
using Dashboard.Server.Inventory;
using Dashboard.Server.LoadBalancers;
using Dashboard.Server.LoadBalancers.Security;
using k8s.Models;

namespace Dashboard.Server.Topology;

/// <summary>
/// The checklist rows that read the security part of the AWS snapshot (<see cref="AwsSecurity"/>): subnets tagged for the
/// scheme, the listener certificate covering every host and not expiring soon, HTTP→HTTPS redirect, the balancer's
/// security groups against the asked source ranges, the node/pod security group letting the balancer reach the target
/// port, and the WAF web ACL actually associated against the annotation. Pure, like the rest of the checklist.
/// </summary>
internal static partial class EndpointChecklist
{
    /// <summary>Certificates expiring within this many days are flagged.</summary>
    public const int CertificateWarningDays = 30;

    /// <summary>An ALB needs at least 8 free addresses in each of its subnets to scale.</summary>
    public const int MinimumFreeAddresses = 8;

    private const string ElbRoleTag = "kubernetes.io/role/elb";
    private const string InternalElbRoleTag = "kubernetes.io/role/internal-elb";

    private sealed record SecurityInputs(
        AwsSecurity? Security,
        AwsSnapshot Aws,
        V1Service? Service,
        V1Ingress? Ingress,
        ImmutableArray<LoadBalancerViewModel> Lbs,
        IReadOnlyList<string> Hosts,
        string? ClusterName,
        DateTimeOffset Now)
    {
        public IEnumerable<Aws.ElasticLoadBalancing.LoadBalancer> Balancers =>
            Lbs.Select(l => Aws.LoadBalancers.FirstOrDefault(b => b.LoadBalancerArn == l.Arn)).OfType<Aws.ElasticLoadBalancing.LoadBalancer>();
    }

    private static string? Stale(AwsSecurity security, string part) =>
        security.Errors.TryGetValue(part, out var error)
            ? $" (stale: {error}; data from {(security.AsOf.TryGetValue(part, out var at) ? at.ToString("u", CultureInfo.InvariantCulture) : "never")})"
            : null;

    private static ChecklistItem Subnets(SecurityInputs input)
    {
        const string title = "Subnets tagged for the scheme";
        var scheme = input.Lbs.FirstOrDefault()?.Scheme ?? AskedScheme(input.Service, input.Ingress);
        var roleTag = scheme == "internal" ? InternalElbRoleTag : ElbRoleTag;
        if (input.Security is not { } security || !security.Has(AwsSecurity.Ec2Part))
        {
            return new ChecklistItem("subnets", title, CheckState.Unknown, "EC2 subnets are not read yet" + (input.Security is null ? "." : Stale(input.Security, AwsSecurity.Ec2Part) + "."));
        }
        var stale = Stale(security, AwsSecurity.Ec2Part) ?? "";
        var balancers = input.Balancers.ToList();
        var vpcs = balancers.Select(b => b.VpcId).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var candidates = security.Subnets.Where(s => vpcs.Count == 0 || vpcs.Contains(s.VpcId)).ToList();
        var tagged = candidates.Where(s => HasRoleTag(s, roleTag) && ClusterMayUse(s, input.ClusterName)).ToList();
        var taggedZones = tagged.Select(s => s.AvailabilityZone).ToHashSet(StringComparer.Ordinal);
        // A zone where a subnet of the right kind (public for internet-facing, private for internal) exists but none is tagged.
        var untaggedZones = candidates.Where(s => s.Public == (scheme != "internal") && !taggedZones.Contains(s.AvailabilityZone))
            .GroupBy(s => s.AvailabilityZone).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => g.First()).ToList();
        var fix = $"tag it {roleTag}=1" + (input.ClusterName is null ? "" : $" (and kubernetes.io/cluster/{input.ClusterName}=shared)");

        if (tagged.Count == 0)
        {
            return new ChecklistItem("subnets", title, CheckState.Fail,
                $"No subnet{(vpcs.Count > 0 ? " of " + string.Join(", ", vpcs) : "")} is tagged {roleTag}=1 for a {scheme} balancer: the controller cannot resolve subnets ('unable to resolve at least one subnet'), so the balancer never gets an address. "
                + $"Tag one {(scheme == "internal" ? "private" : "public")} subnet per zone {roleTag}=1, or name subnets with the subnets annotation{stale}.");
        }

        var problems = new List<string>();
        foreach (var lb in balancers)
        {
            foreach (var zone in lb.AvailabilityZones.Where(z => z.SubnetId is not null))
            {
                var subnet = security.Subnets.FirstOrDefault(s => s.SubnetId == zone.SubnetId);
                if (subnet is null)
                {
                    continue;
                }
                if (subnet.FreeAddresses < MinimumFreeAddresses)
                {
                    problems.Add($"{subnet.SubnetId} ({subnet.AvailabilityZone}) has {subnet.FreeAddresses} free addresses; the balancer needs at least {MinimumFreeAddresses} to scale");
                }
                if (subnet.Public && scheme == "internal")
                {
                    problems.Add($"internal balancer in public subnet {subnet.SubnetId}");
                }
            }
        }
        foreach (var subnet in untaggedZones)
        {
            problems.Add($"{subnet.AvailabilityZone} has no subnet tagged {roleTag} ({subnet.SubnetId} {(subnet.Public ? "public" : "private")} is not): the balancer cannot use that zone — {fix}");
        }
        var summary = $"{tagged.Count} subnet{(tagged.Count == 1 ? "" : "s")} tagged {roleTag} in {string.Join(", ", taggedZones.Order(StringComparer.Ordinal))}";
        return problems.Count == 0
            ? new ChecklistItem("subnets", title, CheckState.Pass, summary + stale + ".")
            : new ChecklistItem("subnets", title, CheckState.Warn, summary + "; " + string.Join("; ", problems) + stale + ".");
    }

    private static bool HasRoleTag(SubnetFacts subnet, string roleTag) =>
        subnet.Tags.TryGetValue(roleTag, out var value) && value is "1" or "";

    /// <summary>A subnet tagged for another cluster only (kubernetes.io/cluster/other) is not this cluster's.</summary>
    private static bool ClusterMayUse(SubnetFacts subnet, string? cluster)
    {
        var clusterTags = subnet.Tags.Keys.Where(k => k.StartsWith("kubernetes.io/cluster/", StringComparison.Ordinal)).ToList();
        return cluster is null || clusterTags.Count == 0 || clusterTags.Contains("kubernetes.io/cluster/" + cluster);
    }

    private static string AskedScheme(V1Service? service, V1Ingress? ingress) =>
        service is not null ? ServiceDecoder.DecodeLoadBalancer(service).Scheme
        : ingress is not null ? IngressDecoder.Decode(ingress).Scheme ?? "internal"
        : "internet-facing";

    private static ChecklistItem Certificate(SecurityInputs input)
    {
        const string title = "Certificate covers the hosts and is valid";
        var tls = input.Lbs.SelectMany(l => l.Listeners).Where(l => l.Protocol is "HTTPS" or "TLS").ToList();
        if (tls.Count == 0)
        {
            return new ChecklistItem("certificate", title, CheckState.Unknown, "No HTTPS or TLS listener, so no certificate to check.");
        }
        if (input.Security is not { } security || !security.Has(AwsSecurity.AcmPart))
        {
            return new ChecklistItem("certificate", title, CheckState.Unknown, "ACM certificates are not read yet" + (input.Security is null ? "." : Stale(input.Security, AwsSecurity.AcmPart) + "."));
        }
        var certificateArns = input.Aws.Listeners.Values.SelectMany(l => l).Where(l => tls.Any(t => t.Arn == l.ListenerArn))
            .SelectMany(l => l.Certificates.Select(c => c.CertificateArn)).Distinct(StringComparer.Ordinal).ToList();
        if (certificateArns.Count == 0)
        {
            certificateArns = [.. tls.Select(l => l.CertificateArn).OfType<string>().Distinct(StringComparer.Ordinal)];
        }
        var certificates = certificateArns.Select(a => security.Certificates.GetValueOrDefault(a) ?? new CertificateFacts { Arn = a }).ToList();
        var results = new List<(CheckState State, string Reason)>();
        foreach (var missing in certificates.Where(c => c.Missing))
        {
            results.Add((CheckState.Fail, $"ACM has no certificate {ShortArn(missing.Arn)} (deleted, or in another region or account): TLS handshakes fail"));
        }
        var known = certificates.Where(c => !c.Missing && !c.Names.IsEmpty).ToList();
        foreach (var host in input.Hosts)
        {
            if (known.Count > 0 && !known.Any(c => c.Covers(host)))
            {
                results.Add((CheckState.Fail, $"{host} is not covered by {string.Join(", ", known.Select(c => $"{c.DomainName} [{string.Join(", ", c.Names)}]"))}: browsers reject the connection. Request an ACM certificate for {host} (or *.{ParentDomain(host)}) and add it to certificate-arn"));
            }
        }
        foreach (var certificate in known)
        {
            if (certificate.Status is { } status && status != "ISSUED")
            {
                results.Add((CheckState.Fail, $"{certificate.DomainName} is {status}, not ISSUED"));
            }
            if (certificate.NotAfter is { } notAfter)
            {
                var days = (notAfter - input.Now).TotalDays;
                if (days < 0)
                {
                    results.Add((CheckState.Fail, $"{certificate.DomainName} expired on {notAfter:yyyy-MM-dd}"));
                }
                else if (days < CertificateWarningDays)
                {
                    results.Add((CheckState.Warn, string.Create(CultureInfo.InvariantCulture,
                        $"{certificate.DomainName} expires on {notAfter:yyyy-MM-dd} (in {Math.Floor(days):0} days): ACM renews DNS-validated certificates only while their validation CNAME records exist — check them in Route 53")));
                }
            }
        }
        if (results.Count == 0)
        {
            var expiry = known.Where(c => c.NotAfter is not null).Select(c => c.NotAfter!.Value).DefaultIfEmpty().Min();
            return new ChecklistItem("certificate", title, CheckState.Pass,
                $"{string.Join(", ", known.Select(c => c.DomainName))} covers {(input.Hosts.Count == 0 ? "the listener (no custom host to check)" : string.Join(", ", input.Hosts))}"
                + (expiry == default ? "" : $"; valid until {expiry:yyyy-MM-dd}") + Stale(security, AwsSecurity.AcmPart) + ".");
        }
        var worst = results.Any(r => r.State == CheckState.Fail) ? CheckState.Fail : CheckState.Warn;
        return new ChecklistItem("certificate", title, worst, string.Join("; ", results.Select(r => r.Reason)) + Stale(security, AwsSecurity.AcmPart) + ".");
    }

    private static string ParentDomain(string host) => host.IndexOf('.', StringComparison.Ordinal) is var dot and > 0 ? host[(dot + 1)..] : host;

    private static ChecklistItem Redirect(SecurityInputs input)
    {
        const string title = "HTTP redirects to HTTPS";
        var listeners = input.Lbs.SelectMany(l => l.Listeners).ToList();
        if (input.Lbs.IsEmpty)
        {
            return new ChecklistItem("redirect", title, CheckState.Unknown, "No balancer.");
        }
        if (input.Lbs.All(l => l.Type != "application"))
        {
            return new ChecklistItem("redirect", title, CheckState.Unknown, "Not applicable: a Network Load Balancer forwards TCP/TLS and cannot redirect HTTP.");
        }
        var https = listeners.Where(l => l.Protocol == "HTTPS").ToList();
        var http = listeners.Where(l => l.Protocol == "HTTP").ToList();
        if (https.Count == 0)
        {
            return new ChecklistItem("redirect", title, CheckState.Unknown, "No HTTPS listener: nothing to redirect to (see the TLS row).");
        }
        var plain = http.Where(l => !l.DefaultAction.StartsWith("redirect", StringComparison.Ordinal) || !l.DefaultAction.Contains("HTTPS", StringComparison.Ordinal)
            || !l.Rules.IsEmpty && l.Rules.Any(r => r.OtherAction is null || !r.OtherAction.Contains("redirect", StringComparison.Ordinal))).ToList();
        if (http.Count == 0)
        {
            var asked = input.Ingress is not null ? IngressDecoder.Decode(input.Ingress).SslRedirect : null;
            return new ChecklistItem("redirect", title, asked is null ? CheckState.Pass : CheckState.Warn, asked is null
                ? $"Only HTTPS ({string.Join(", ", https.Select(l => l.Port))}): plain-HTTP clients are refused rather than redirected."
                : $"ssl-redirect '{asked}' is set but the balancer has no HTTP listener, so plain-HTTP clients are refused, not redirected: add alb.ingress.kubernetes.io/listen-ports: '[{{\"HTTP\": 80}}, {{\"HTTPS\": 443}}]'.");
        }
        return plain.Count == 0
            ? new ChecklistItem("redirect", title, CheckState.Pass, string.Join("; ", http.Select(l => $"HTTP:{l.Port} {l.DefaultAction}")) + ".")
            : new ChecklistItem("redirect", title, CheckState.Warn,
                $"{string.Join(", ", plain.Select(l => $"HTTP:{l.Port}"))} serves requests in clear text next to HTTPS: set alb.ingress.kubernetes.io/ssl-redirect: '{https[0].Port}' so every HTTP request is redirected.");
    }

    private static ChecklistItem SecurityGroups(SecurityInputs input)
    {
        const string title = "Security groups match the source ranges";
        if (input.Lbs.IsEmpty)
        {
            return new ChecklistItem("access", title, CheckState.Unknown, "No balancer.");
        }
        if (input.Security is not { } security || !security.Has(AwsSecurity.Ec2Part))
        {
            return new ChecklistItem("access", title, CheckState.Unknown, "EC2 security groups are not read yet" + (input.Security is null ? "." : Stale(input.Security, AwsSecurity.Ec2Part) + "."));
        }
        var stale = Stale(security, AwsSecurity.Ec2Part) ?? "";
        var (asked, askedKey) = AskedRanges(input.Service, input.Ingress);
        var results = new List<(CheckState State, string Reason)>();
        foreach (var lb in input.Balancers)
        {
            var view = input.Lbs.First(l => l.Arn == lb.LoadBalancerArn);
            var internalScheme = lb.Scheme == "internal";
            var ports = view.Listeners.Select(l => l.Port).Distinct().Order().ToList();
            if (lb.SecurityGroups.Count == 0)
            {
                results.Add((CheckState.Pass, $"{lb.LoadBalancerName} has no security group of its own (NLB): client ranges are enforced on the node security group (see the targets row)"
                    + (asked.IsEmpty ? "" : $"; asked {askedKey}: {string.Join(", ", asked)}")));
                continue;
            }
            var groups = lb.SecurityGroups.Select(id => security.SecurityGroups.GetValueOrDefault(id)).ToList();
            if (groups.Any(g => g is null))
            {
                results.Add((CheckState.Fail, $"{lb.LoadBalancerName} names security group {string.Join(", ", lb.SecurityGroups.Where(id => !security.SecurityGroups.ContainsKey(id)))}, which EC2 does not list: it was deleted, so nothing reaches the balancer"));
                continue;
            }
            var rules = groups.SelectMany(g => g!.Inbound).ToList();
            var world = rules.Where(r => r.IsWorld).ToList();
            if (internalScheme && world.Count > 0)
            {
                results.Add((CheckState.Fail, $"internal {lb.LoadBalancerName} has rules open to the world: {string.Join(", ", world.Select(r => $"{r.Ports} from {r.Source}" + (r.Description is null ? "" : $" ('{r.Description}')")))} — anything that reaches the VPC (peering, VPN, a compromised pod) can connect; remove them or narrow to the VPC CIDR"));
            }
            foreach (var port in ports)
            {
                var allowing = rules.Where(r => r.AllowsTcp(port)).ToList();
                if (allowing.Count == 0)
                {
                    results.Add((CheckState.Fail, $"listener port {port} is allowed by no inbound rule of {string.Join(", ", lb.SecurityGroups)}: clients time out"));
                    continue;
                }
                var sources = allowing.Where(r => r.Cidr is not null).Select(r => r.Cidr!).Distinct(StringComparer.Ordinal).ToList();
                if (!asked.IsEmpty)
                {
                    var extra = sources.Except(asked, StringComparer.Ordinal).ToList();
                    var missing = asked.Except(sources, StringComparer.Ordinal).ToList();
                    if (extra.Count > 0)
                    {
                        results.Add((CheckState.Warn, $"port {port} also allows {string.Join(", ", extra)}, not in {askedKey} ({string.Join(", ", asked)}): a rule added by hand, which the controller does not remove"));
                    }
                    if (missing.Count > 0)
                    {
                        results.Add((CheckState.Warn, $"port {port} does not allow {string.Join(", ", missing)} from {askedKey}: the controller has not reconciled yet, or the rule was removed by hand"));
                    }
                }
            }
            if (!internalScheme && world.Count > 0 && view.Type == "application"
                && (security.WebAcls.GetValueOrDefault(lb.LoadBalancerArn) is null))
            {
                results.Add((CheckState.Warn, $"internet-facing and open to 0.0.0.0/0 on {string.Join(", ", world.Select(r => r.Ports).Distinct())} with no WAF web ACL associated: restrict {askedKey} or attach a web ACL"));
            }
            if (results.Count == 0 || results.All(r => r.State == CheckState.Pass))
            {
                var sources = rules.Where(r => ports.Any(r.AllowsTcp)).Select(r => r.Source).Distinct(StringComparer.Ordinal);
                results.Add((CheckState.Pass, $"{string.Join(", ", lb.SecurityGroups)} allow{(lb.SecurityGroups.Count == 1 ? "s" : "")} {string.Join(", ", ports)} from {string.Join(", ", sources)}"));
            }
        }
        var worst = Worst(results.Select(r => r.State));
        return new ChecklistItem("access", title, worst, string.Join("; ", results.Where(r => worst == CheckState.Pass || r.State != CheckState.Pass).Select(r => r.Reason)) + stale + ".");
    }

    /// <summary>The ranges the object asks for: Service source ranges or Ingress inbound-cidrs.</summary>
    private static (ImmutableArray<string> Ranges, string Key) AskedRanges(V1Service? service, V1Ingress? ingress) =>
        service is not null && service.Spec?.Type == "LoadBalancer" ? (ServiceDecoder.DecodeLoadBalancer(service).SourceRanges, "loadBalancerSourceRanges")
        : ingress is not null ? (IngressDecoder.Decode(ingress).InboundCidrs, "inbound-cidrs")
        : ([], "source ranges");

    private static ChecklistItem TargetReachable(SecurityInputs input)
    {
        const string title = "Node/pod security group lets the balancer in";
        if (input.Lbs.IsEmpty)
        {
            return new ChecklistItem("target-port", title, CheckState.Unknown, "No balancer.");
        }
        if (input.Security is not { } security || !security.Has(AwsSecurity.Ec2Part))
        {
            return new ChecklistItem("target-port", title, CheckState.Unknown, "EC2 security groups are not read yet" + (input.Security is null ? "." : Stale(input.Security, AwsSecurity.Ec2Part) + "."));
        }
        var stale = Stale(security, AwsSecurity.Ec2Part) ?? "";
        var cluster = input.ClusterName;
        var nodeGroups = security.SecurityGroups.Values.Where(g => cluster is not null
            ? g.Tags.GetValueOrDefault("aws:eks:cluster-name") == cluster || g.Tags.GetValueOrDefault("kubernetes.io/cluster/" + cluster) == "owned"
            : g.Tags.ContainsKey("aws:eks:cluster-name")).ToList();
        if (nodeGroups.Count == 0)
        {
            return new ChecklistItem("target-port", title, CheckState.Unknown,
                $"No security group tagged aws:eks:cluster-name{(cluster is null ? "" : "=" + cluster)} (the EKS cluster security group that nodes and pods share) is visible, so the rule cannot be checked{stale}.");
        }
        var results = new List<(CheckState State, string Reason)>();
        foreach (var lb in input.Balancers)
        {
            var view = input.Lbs.First(l => l.Arn == lb.LoadBalancerArn);
            var ports = view.TargetGroups.SelectMany(g => !g.Targets.IsEmpty ? g.Targets.Select(t => t.Port) : [g.Port]).Where(p => p > 1).Distinct().Order().ToList();
            foreach (var port in ports)
            {
                var rules = nodeGroups.SelectMany(g => g.Inbound).Where(r => r.AllowsTcp(port)).ToList();
                var fromBalancer = lb.SecurityGroups.Count > 0
                    ? rules.Where(r => r.SourceGroupId is { } id && lb.SecurityGroups.Contains(id) || r.Cidr is not null).ToList()
                    : rules.Where(r => r.Cidr is not null).ToList();
                if (fromBalancer.Count == 0)
                {
                    var source = lb.SecurityGroups.Count > 0 ? $"--source-group {lb.SecurityGroups[0]}" : "--cidr <VPC CIDR>";
                    results.Add((CheckState.Fail, $"{nodeGroups[0].GroupName} ({nodeGroups[0].GroupId}) has no inbound rule for tcp {port} from {(lb.SecurityGroups.Count > 0 ? $"the balancer's group {string.Join(", ", lb.SecurityGroups)}" : "the VPC")}: health checks and requests time out (Target.Timeout). Fix: aws ec2 authorize-security-group-ingress --group-id {nodeGroups[0].GroupId} --protocol tcp --port {port.ToString(CultureInfo.InvariantCulture)} {source}"));
                }
                else
                {
                    results.Add((CheckState.Pass, $"tcp {port} from {string.Join(", ", fromBalancer.Select(r => r.Source).Distinct(StringComparer.Ordinal))}"));
                }
            }
        }
        if (results.Count == 0)
        {
            return new ChecklistItem("target-port", title, CheckState.Unknown, "No target port known yet (no registered targets)" + stale + ".");
        }
        var worst = Worst(results.Select(r => r.State));
        return new ChecklistItem("target-port", title, worst, string.Join("; ", results.Where(r => worst == CheckState.Pass || r.State != CheckState.Pass).Select(r => r.Reason)) + stale + ".");
    }

    private static ChecklistItem Waf(SecurityInputs input)
    {
        const string title = "WAF web ACL associated";
        var asked = input.Ingress is not null ? IngressDecoder.Decode(input.Ingress).WafAclArn : null;
        var albs = input.Lbs.Where(l => l.Type == "application").ToList();
        if (input.Lbs.IsEmpty)
        {
            return new ChecklistItem("waf", title, CheckState.Unknown, asked is null ? "No balancer." : $"No balancer; {WebAclName(asked)} is asked for.");
        }
        if (albs.Count == 0)
        {
            return new ChecklistItem("waf", title, CheckState.Unknown, "Not applicable: WAF protects Application Load Balancers only; an NLB relies on its security groups and source ranges.");
        }
        if (input.Security is not { } security || !security.Has(AwsSecurity.WafPart))
        {
            return new ChecklistItem("waf", title, CheckState.Unknown, "WAF associations are not read yet" + (input.Security is null ? "." : Stale(input.Security, AwsSecurity.WafPart) + "."));
        }
        var stale = Stale(security, AwsSecurity.WafPart) ?? "";
        var results = new List<(CheckState State, string Reason)>();
        foreach (var alb in albs)
        {
            var actual = security.WebAcls.GetValueOrDefault(alb.Arn);
            if (asked is not null && actual is null)
            {
                results.Add((CheckState.Fail, $"the annotation asks for {WebAclName(asked)} but no web ACL is associated with {alb.Name}: requests are not filtered. Check the controller's events and its IAM permissions (wafv2:AssociateWebACL, wafv2:GetWebACL), and that the ACL is REGIONAL in this region"));
            }
            else if (asked is not null && !string.Equals(actual!.Arn, asked, StringComparison.Ordinal))
            {
                results.Add((CheckState.Fail, $"{alb.Name} is associated with {actual.Name}, not with the asked {WebAclName(asked)}: someone changed it outside Kubernetes, or the ARN in the annotation is wrong"));
            }
            else if (actual is not null)
            {
                results.Add((CheckState.Pass, $"{actual.Name} is associated with {alb.Name} (default {actual.DefaultAction ?? "?"}; rules {string.Join(", ", actual.Rules)})" + (asked is null ? " — not through the annotation, so the controller leaves it alone" : "")));
            }
            else if (alb.Scheme == "internal")
            {
                results.Add((CheckState.Pass, $"no web ACL on internal {alb.Name}"));
            }
            else
            {
                results.Add((CheckState.Warn, $"no web ACL on internet-facing {alb.Name}: add alb.ingress.kubernetes.io/wafv2-acl-arn"));
            }
        }
        return new ChecklistItem("waf", title, Worst(results.Select(r => r.State)), string.Join("; ", results.Select(r => r.Reason)) + stale + ".");
    }

    /// <summary>The name in a web ACL ARN (<c>…:regional/webacl/{name}/{id}</c>), or the shortened ARN.</summary>
    private static string WebAclName(string arn)
    {
        var parts = arn.Split('/');
        return parts.Length >= 4 && parts[^3] == "webacl" ? $"web ACL {parts[^2]} ({parts[^1][..Math.Min(8, parts[^1].Length)]}…)" : ShortArn(arn);
    }

    private static CheckState Worst(IEnumerable<CheckState> states)
    {
        var list = states.ToList();
        return list.Contains(CheckState.Fail) ? CheckState.Fail
            : list.Contains(CheckState.Warn) ? CheckState.Warn
            : list.Contains(CheckState.Unknown) ? CheckState.Unknown
            : CheckState.Pass;
    }
}
