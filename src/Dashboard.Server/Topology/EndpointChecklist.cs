using System.Collections.Immutable;
using Dashboard.Client.Localization;
using Dashboard.Client.Model;
using Dashboard.Server.Inventory;
using k8s.Models;

namespace Dashboard.Server.Topology;

/// <summary>
/// The seed workflow's "Kết quả kỳ vọng" for one exposed endpoint, checked against the live data: balancer exists,
/// external address assigned, health checks passing, TLS, custom domain → balancer (from DNS answers the feed looked up),
/// WAF or source ranges, monitoring. Each item is Pass/Warn/Fail/Unknown with the reason. Pure.
/// </summary>
internal static partial class EndpointChecklist
{
    public const string ExternalDnsHostnameAnnotation = "external-dns.alpha.kubernetes.io/hostname";

    public static ImmutableArray<ChecklistItem> Build(KubernetesIndex k8s, TopologyContext ctx, EndpointViewModel endpoint, LoadBalancers.AwsSnapshot? aws = null)
    {
        var obj = endpoint.Object;
        var service = obj.Kind == ObjectKind.Service ? k8s.Services.GetValueOrDefault($"{obj.Namespace}/{obj.Name}") : null;
        var ingress = obj.Kind == ObjectKind.Ingress ? k8s.Ingresses.GetValueOrDefault($"{obj.Namespace}/{obj.Name}") : null;
        var lbs = endpoint.LoadBalancers;
        var security = new SecurityInputs(aws?.Security, aws ?? LoadBalancers.AwsSnapshot.Empty, service, ingress, lbs, CustomDomains(k8s, obj).ToList(),
            lbs.Select(l => l.Cluster).FirstOrDefault(c => c is not null) ?? ctx.ClusterName, ctx.Now);
        var subnets = Subnets(security);
        var balancer = BalancerExists(endpoint);
        if (balancer.State == CheckState.Fail && subnets.State == CheckState.Fail)
        {
            // The most frequent reason a new endpoint never gets an address: say it where the user looks first.
            balancer = balancer with { Reason = balancer.Reason + " Likely cause: " + subnets.Reason };
        }
        return
        [
            balancer,
            ExternalAddress(service, ingress, lbs),
            subnets,
            HealthChecks(obj, lbs),
            TargetReachable(security),
            Tls(service, ingress, lbs),
            Certificate(security),
            Redirect(security),
            Domain(k8s, ctx, obj, lbs),
            security.Security is null ? Access(service, ingress, lbs) : SecurityGroups(security),
            Waf(security),
            Monitoring(ctx, lbs),
            .. ProbeRows(ctx, obj, lbs),
        ];
    }

    /// <summary>Custom domains of the endpoint and its balancers' DNS names: what the feed should look up.</summary>
    public static IEnumerable<string> HostsOf(KubernetesIndex k8s, ObjectRef obj, IEnumerable<LoadBalancerViewModel> lbs)
    {
        var domains = CustomDomains(k8s, obj).ToList();
        if (domains.Count == 0)
        {
            return [];
        }
        return domains.Concat(lbs.Select(l => l.DnsName).Where(d => d.Length > 0)).Select(DnsAnswer.Normalize);
    }

    private static IEnumerable<string> CustomDomains(KubernetesIndex k8s, ObjectRef obj)
    {
        if (obj.Kind == ObjectKind.Ingress && k8s.Ingresses.TryGetValue($"{obj.Namespace}/{obj.Name}", out var ingress))
        {
            var hosts = (ingress.Spec?.Rules ?? []).Select(r => r.Host).OfType<string>().Where(h => h.Length > 0 && !h.Contains('*', StringComparison.Ordinal));
            var external = AnnotationValues.List(AnnotationValues.Get(ingress.Metadata?.Annotations, ExternalDnsHostnameAnnotation));
            return hosts.Concat(external).Select(DnsAnswer.Normalize).Distinct(StringComparer.Ordinal);
        }
        if (obj.Kind == ObjectKind.Service && k8s.Services.TryGetValue($"{obj.Namespace}/{obj.Name}", out var service))
        {
            return AnnotationValues.List(AnnotationValues.Get(service.Metadata?.Annotations, ExternalDnsHostnameAnnotation)).Select(DnsAnswer.Normalize).Distinct(StringComparer.Ordinal);
        }
        return [];
    }

    private static ChecklistItem BalancerExists(EndpointViewModel endpoint)
    {
        const string title = "Load balancer exists";
        if (endpoint.LoadBalancers.IsEmpty)
        {
            return new ChecklistItem("balancer", title, CheckState.Fail, endpoint.MissingBalancerReason ?? "No load balancer found for this object.");
        }
        var lb = endpoint.LoadBalancers[0];
        var state = lb.State switch
        {
            "active" => CheckState.Pass,
            "provisioning" or "active_impaired" => CheckState.Warn,
            _ => CheckState.Fail,
        };
        return new ChecklistItem("balancer", title, state,
            string.Join("; ", endpoint.LoadBalancers.Select(l => $"{l.Name} ({l.Type}, {l.Scheme}) is {l.State}" + (l.LinkedBy is { } by ? $", linked by {Describe(by)}" : ""))));
    }

    private static ChecklistItem ExternalAddress(V1Service? service, V1Ingress? ingress, ImmutableArray<LoadBalancerViewModel> lbs)
    {
        const string title = "External address assigned";
        var addresses = service is not null
            ? (service.Status?.LoadBalancer?.Ingress ?? []).Select(i => i.Hostname ?? i.Ip)
            : (ingress?.Status?.LoadBalancer?.Ingress ?? []).Select(i => i.Hostname ?? i.Ip);
        var list = addresses.OfType<string>().Where(a => a.Length > 0).ToList();
        if (service is not null && service.Spec?.Type != "LoadBalancer")
        {
            return Item("address", title, CheckState.Pass, LocalText.Of("Check.Address.IngressBackend", string.Join(", ", lbs.Select(l => l.DnsName))));
        }
        if (list.Count == 0)
        {
            return new ChecklistItem("address", title, lbs.IsEmpty ? CheckState.Fail : CheckState.Warn,
                lbs.IsEmpty ? "status.loadBalancer.ingress is empty: EXTERNAL-IP shows <pending>." : LocalText.Of("Check.Address.NotInStatus", lbs[0].DnsName).English)
            {
                ReasonText = lbs.IsEmpty ? null : LocalText.Of("Check.Address.NotInStatus", lbs[0].DnsName),
            };
        }
        var dnsNames = lbs.Select(l => DnsAnswer.Normalize(l.DnsName)).ToHashSet(StringComparer.Ordinal);
        if (lbs.Length > 0 && !list.Any(a => dnsNames.Contains(DnsAnswer.Normalize(a))))
        {
            return Item("address", title, CheckState.Warn, LocalText.Of("Check.Address.Mismatch", string.Join(", ", list), lbs[0].DnsName));
        }
        return new ChecklistItem("address", title, CheckState.Pass, string.Join(", ", list));
    }

    private static ChecklistItem HealthChecks(ObjectRef obj, ImmutableArray<LoadBalancerViewModel> lbs)
    {
        const string title = "Health checks passing";
        var groups = lbs.SelectMany(l => l.TargetGroups).Where(g => g.Member is null || g.Member == obj || obj.Kind == ObjectKind.Service).ToList();
        if (lbs.IsEmpty || groups.Count == 0)
        {
            return new ChecklistItem("health", title, CheckState.Unknown, lbs.IsEmpty ? "No balancer, so no target groups." : "The balancer has no target groups yet.");
        }
        if (groups.All(g => g.HealthAsOf is null))
        {
            return new ChecklistItem("health", title, CheckState.Unknown, "Target health has not been read yet.");
        }
        var targets = groups.SelectMany(g => g.Targets).ToList();
        var healthy = targets.Count(t => t.State == "healthy");
        if (targets.Count == 0)
        {
            return new ChecklistItem("health", title, CheckState.Fail, "No target is registered: the Service has no ready endpoints, or registration has not happened.");
        }
        if (healthy == targets.Count)
        {
            return Item("health", title, CheckState.Pass, LocalText.Of("Check.Health.AllHealthy", healthy, targets.Count));
        }
        // AWS reason codes are never translated: they stay arguments.
        var reasons = string.Join(", ", targets.Where(t => t.State != "healthy").GroupBy(t => t.Reason ?? t.State).Select(g => $"{g.Key} ×{g.Count()}"));
        return Item("health", title, healthy == 0 ? CheckState.Fail : CheckState.Warn, LocalText.Of("Check.Health.SomeUnhealthy", healthy, targets.Count, reasons));
    }

    private static ChecklistItem Tls(V1Service? service, V1Ingress? ingress, ImmutableArray<LoadBalancerViewModel> lbs)
    {
        const string title = "TLS configured";
        var asked = service is not null
            ? ServiceDecoder.DecodeLoadBalancer(service).CertificateArn
            : ingress is not null ? IngressDecoder.Decode(ingress).CertificateArn : null;
        var tls = lbs.SelectMany(l => l.Listeners).Where(l => l.Protocol is "HTTPS" or "TLS").ToList();
        if (lbs.IsEmpty)
        {
            return new ChecklistItem("tls", title, CheckState.Unknown, "No balancer.");
        }
        if (tls.Count > 0)
        {
            var missingCert = tls.Where(l => l.CertificateArn is null).ToList();
            return missingCert.Count > 0
                ? Item("tls", title, CheckState.Fail, LocalText.Of("Check.Tls.NoCertificate", $"{missingCert[0].Protocol}:{missingCert[0].Port}"))
                : Item("tls", title, CheckState.Pass, LocalText.Join("; ", tls.Select(l => LocalText.Of("Check.Tls.ListenerWith", $"{l.Protocol}:{l.Port}", ShortArn(l.CertificateArn!)))));
        }
        return asked is not null
            ? Item("tls", title, CheckState.Fail, LocalText.Of("Check.Tls.RequestedNoListener", ShortArn(asked)))
            : Item("tls", title, CheckState.Warn, LocalText.Of("Check.Tls.PlainOnly", string.Join(", ", lbs.SelectMany(l => l.Listeners).Select(l => $"{l.Protocol}:{l.Port}"))));
    }

    private static ChecklistItem Domain(KubernetesIndex k8s, TopologyContext ctx, ObjectRef obj, ImmutableArray<LoadBalancerViewModel> lbs)
    {
        const string title = "Custom domain resolves to the balancer";
        var domains = CustomDomains(k8s, obj).ToList();
        if (domains.Count == 0)
        {
            return new ChecklistItem("dns", title, CheckState.Warn, "No custom domain (Ingress host or external-dns hostname annotation): clients must use the generated balancer name, which changes if the balancer is recreated.");
        }
        if (lbs.IsEmpty)
        {
            return new ChecklistItem("dns", title, CheckState.Unknown, "No balancer to resolve to.");
        }
        var lbNames = lbs.Select(l => DnsAnswer.Normalize(l.DnsName)).ToHashSet(StringComparer.Ordinal);
        var lbAddresses = lbNames.Select(n => ctx.Dns.GetValueOrDefault(n)).OfType<DnsAnswer>().Where(a => a.Outcome == DnsOutcome.Resolved).SelectMany(a => a.Addresses).ToHashSet(StringComparer.Ordinal);
        var results = new List<(CheckState State, string Reason)>();
        foreach (var domain in domains)
        {
            var answer = ctx.Dns.GetValueOrDefault(domain);
            if (answer is null)
            {
                results.Add((CheckState.Unknown, $"{domain}: lookup pending"));
            }
            else if (answer.Outcome == DnsOutcome.Unavailable)
            {
                results.Add((CheckState.Unknown, $"{domain}: cannot look up ({answer.Error})"));
            }
            else if (answer.Outcome == DnsOutcome.NotFound)
            {
                results.Add((CheckState.Fail, $"{domain} does not resolve" + (answer.Error is null ? "" : $" ({answer.Error})")));
            }
            else if (answer.CanonicalNames.Select(DnsAnswer.Normalize).Any(lbNames.Contains))
            {
                results.Add((CheckState.Pass, $"{domain} is a CNAME of {answer.CanonicalNames.Select(DnsAnswer.Normalize).First(lbNames.Contains)}"));
            }
            else if (!answer.CanonicalNames.IsEmpty)
            {
                results.Add((CheckState.Fail, $"{domain} is a CNAME of {answer.CanonicalNames[^1]}, not of this endpoint's balancer {lbs[0].DnsName}: its traffic goes to another balancer. Point the record at {lbs[0].DnsName}"));
            }
            else if (lbAddresses.Count > 0 && answer.Addresses.Any(lbAddresses.Contains))
            {
                results.Add((CheckState.Pass, $"{domain} resolves to the balancer's addresses (alias record)"));
            }
            else if (lbAddresses.Count == 0)
            {
                results.Add((CheckState.Unknown, $"{domain} resolves to {string.Join(", ", answer.Addresses)}; the balancer's own addresses are not known to compare"));
            }
            else
            {
                results.Add((CheckState.Fail, $"{domain} resolves to {string.Join(", ", answer.Addresses)}, not to {lbs[0].DnsName}"));
            }
        }
        var worst = results.Any(r => r.State == CheckState.Fail) ? CheckState.Fail
            : results.Any(r => r.State == CheckState.Unknown) ? CheckState.Unknown
            : CheckState.Pass;
        return new ChecklistItem("dns", title, worst, string.Join("; ", results.Select(r => r.Reason)) + ".");
    }

    private static ChecklistItem Access(V1Service? service, V1Ingress? ingress, ImmutableArray<LoadBalancerViewModel> lbs)
    {
        const string title = "WAF / source ranges restricted";
        if (lbs.IsEmpty)
        {
            return new ChecklistItem("access", title, CheckState.Unknown, "No balancer.");
        }
        if (lbs.All(l => l.Scheme == "internal"))
        {
            return new ChecklistItem("access", title, CheckState.Pass, "Internal balancer: reachable only from inside the VPC.");
        }
        var ranges = ImmutableArray<string>.Empty;
        string? waf = null;
        if (service is not null && service.Spec?.Type == "LoadBalancer")
        {
            ranges = ServiceDecoder.DecodeLoadBalancer(service).SourceRanges;
        }
        else if (ingress is not null)
        {
            var facts = IngressDecoder.Decode(ingress);
            ranges = facts.InboundCidrs;
            waf = facts.WafAclArn;
        }
        var open = ranges.IsEmpty || ranges.Any(r => r is "0.0.0.0/0" or "::/0");
        if (waf is not null)
        {
            return new ChecklistItem("access", title, CheckState.Pass, $"WAF web ACL {ShortArn(waf)} requested (the association is not visible through ELBv2)" + (open ? "; open to every address." : $"; from {string.Join(", ", ranges)}."));
        }
        return open
            ? Item("access", title, CheckState.Warn, LocalText.Of(ranges.IsEmpty ? "Check.Access.OpenNoRanges" : "Check.Access.Open"))
            : Item("access", title, CheckState.Pass, LocalText.Of("Check.Access.Ranges", string.Join(", ", ranges)));
    }

    /// <summary>A checklist row whose reason each viewer reads in their language; <see cref="ChecklistItem.Reason"/> keeps the English for the API.</summary>
    private static ChecklistItem Item(string code, string title, CheckState state, LocalText reason) =>
        new(code, title, state, reason.English) { ReasonText = reason };

    private static string Describe(LinkSource source) => source switch
    {
        LinkSource.TargetGroupBinding => "TargetGroupBinding",
        LinkSource.ControllerTags => "controller tags",
        _ => "status hostname",
    };

    private static string ShortArn(string arn) => arn.Length > 60 ? "…" + arn[^40..] : arn;
}
