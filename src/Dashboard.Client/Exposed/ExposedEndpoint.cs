using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using Dashboard.Client.Model;

namespace Dashboard.Client.Exposed;

/// <summary>
/// One exposed address (a LoadBalancer Service's NLB or an Ingress's ALB) as the Exposed endpoints page and
/// <c>GET /api/v1/exposed</c> show it: where it answers, who can reach it, and how it is protected. Built by
/// <see cref="ExposedEndpoints.Build"/> from the Services, Ingresses and load balancers of the one dashboard feed.
/// </summary>
public sealed record ExposedEndpoint
{
    /// <summary>The endpoint's <see cref="ObjectRef.Key"/>.</summary>
    public string Key => Endpoint.Key;

    public required ObjectRef Endpoint { get; init; }

    public string Namespace => Endpoint.Namespace;

    /// <summary>The URLs (Ingress hosts with http/https per listener) or host:port pairs (NLB) it answers on.</summary>
    public ImmutableArray<string> Urls { get; init; } = [];

    /// <summary>The balancer's DNS name (AWS), else the address the object's status reports; null while none is known.</summary>
    public string? DnsName { get; init; }

    /// <summary>"ALB", "NLB" or "CLB".</summary>
    public required string BalancerType { get; init; }

    /// <summary>The effective scheme: AWS's when the balancer is known, else the decoded annotation or the controller's default.</summary>
    public required string Scheme { get; init; }

    /// <summary>inbound-cidrs / loadBalancerSourceRanges; empty means the controller's default (every address).</summary>
    public ImmutableArray<string> SourceRanges { get; init; } = [];

    /// <summary>The WAF (v2) web ACL ARN; null when none is set (NLBs cannot carry one).</summary>
    public string? WafAclArn { get; init; }

    /// <summary>The TLS certificate ARN(s) as written; null when the endpoint has no TLS listener.</summary>
    public string? CertificateArn { get; init; }

    /// <summary>The HTTPS port an Ingress's ssl-redirect sends plain HTTP to; null when it has none.</summary>
    public string? SslRedirect { get; init; }

    /// <summary>True when the balancer is internet-facing and no source range narrows who can reach it.</summary>
    public bool OpenToEveryone => string.Equals(Scheme, "internet-facing", StringComparison.Ordinal)
        && (SourceRanges.IsEmpty || SourceRanges.Any(r => r is "0.0.0.0/0" or "::/0"));

    /// <summary>The certificate(s) in short form: the id after "certificate/" of each ARN.</summary>
    public string? CertificateShort => CertificateArn is null
        ? null
        : string.Join(", ", CertificateArn.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(ExposedEndpoints.ShortArn));
}

/// <summary>Builds the exposed-endpoint rows (one pure function, used by the page and the API alike) and writes them as CSV.</summary>
public static class ExposedEndpoints
{
    private const string AlbPrefix = "alb.ingress.kubernetes.io/";

    /// <summary>The CSV columns, in order.</summary>
    public static readonly string[] CsvHeader =
        ["kind", "namespace", "name", "urls", "dns_name", "type", "scheme", "source_ranges", "open_to_everyone", "waf_acl", "certificate", "ssl_redirect"];

    /// <summary>One row per LoadBalancer Service an AWS controller handles and per ALB Ingress, ordered by namespace and name.</summary>
    public static ImmutableArray<ExposedEndpoint> Build(IEnumerable<ServiceViewModel> services, IEnumerable<IngressViewModel> ingresses,
        IEnumerable<LoadBalancerViewModel> loadBalancers)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(ingresses);
        ArgumentNullException.ThrowIfNull(loadBalancers);
        var byOwner = new Dictionary<string, LoadBalancerViewModel>(StringComparer.Ordinal);
        foreach (var lb in loadBalancers)
        {
            foreach (var owner in lb.Owners)
            {
                byOwner.TryAdd(owner.Object.Key, lb);
            }
        }
        var rows = new List<ExposedEndpoint>();
        foreach (var service in services)
        {
            if (service.Type == "LoadBalancer" && service.LoadBalancer is { Controller: not LoadBalancerController.Other } facts)
            {
                rows.Add(FromService(service, facts, byOwner.GetValueOrDefault(new ObjectRef(ObjectKind.Service, service.Namespace, service.Name).Key)));
            }
        }
        foreach (var ingress in ingresses)
        {
            var lb = byOwner.GetValueOrDefault(new ObjectRef(ObjectKind.Ingress, ingress.Namespace, ingress.Name).Key);
            if (lb is not null || ingress.IngressClass == "alb" || ingress.Annotations.Keys.Any(k => k.StartsWith(AlbPrefix, StringComparison.Ordinal)))
            {
                rows.Add(FromIngress(ingress, lb));
            }
        }
        return [.. rows.OrderBy(r => r.Namespace, StringComparer.Ordinal).ThenBy(r => r.Endpoint.Name, StringComparer.Ordinal).ThenBy(r => r.Endpoint.Kind)];
    }

    private static ExposedEndpoint FromService(ServiceViewModel service, LoadBalancerFacts facts, LoadBalancerViewModel? lb)
    {
        var dns = lb?.DnsName ?? service.ExternalAddresses.FirstOrDefault();
        var tlsPorts = facts.CertificateArn is null ? [] : (facts.TlsPorts ?? "*").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var urls = dns is null
            ? []
            : service.Ports.Select(p => $"{(IsTls(tlsPorts, p) ? "tls" : p.Protocol.ToLowerInvariant())}://{dns}:{p.Port.ToString(CultureInfo.InvariantCulture)}").ToImmutableArray();
        return new ExposedEndpoint
        {
            Endpoint = new ObjectRef(ObjectKind.Service, service.Namespace, service.Name),
            Urls = urls,
            DnsName = dns,
            BalancerType = lb is not null ? TypeOf(lb) : facts.BalancerType == "nlb" ? "NLB" : "CLB",
            Scheme = lb?.Scheme ?? facts.Scheme,
            SourceRanges = facts.SourceRanges,
            CertificateArn = facts.CertificateArn,
        };
    }

    private static bool IsTls(string[] tlsPorts, ServicePortView port) =>
        tlsPorts.Contains("*") || tlsPorts.Contains(port.Port.ToString(CultureInfo.InvariantCulture)) || (port.Name is { } name && tlsPorts.Contains(name));

    private static ExposedEndpoint FromIngress(IngressViewModel ingress, LoadBalancerViewModel? lb)
    {
        // A group member may set a group-wide setting for every Ingress of the group: take the effective value.
        string? Setting(string annotation, string? own) =>
            ingress.GroupSettings.FirstOrDefault(g => g.Annotation == AlbPrefix + annotation)?.Value ?? own;
        var dns = lb?.DnsName ?? ingress.Addresses.FirstOrDefault();
        var hosts = ingress.Rules.Select(r => r.Host).Where(h => !string.IsNullOrEmpty(h)).Distinct(StringComparer.Ordinal).ToList();
        if (hosts.Count == 0 && dns is not null)
        {
            hosts.Add(dns);
        }
        var urls = ImmutableArray.CreateBuilder<string>();
        foreach (var host in hosts)
        {
            foreach (var listener in ingress.Listeners)
            {
                var scheme = listener.Protocol.ToLowerInvariant();
                var standard = (scheme == "http" && listener.Port == 80) || (scheme == "https" && listener.Port == 443);
                urls.Add(standard ? $"{scheme}://{host}/" : $"{scheme}://{host}:{listener.Port.ToString(CultureInfo.InvariantCulture)}/");
            }
        }
        var cidrs = Setting("inbound-cidrs", null) is { } groupCidrs
            ? [.. groupCidrs.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)]
            : ingress.InboundCidrs;
        return new ExposedEndpoint
        {
            Endpoint = new ObjectRef(ObjectKind.Ingress, ingress.Namespace, ingress.Name),
            Urls = urls.ToImmutable(),
            DnsName = dns,
            BalancerType = lb is not null ? TypeOf(lb) : "ALB",
            // The controller makes an internal ALB unless the scheme says otherwise.
            Scheme = lb?.Scheme ?? Setting("scheme", ingress.Scheme) ?? "internal",
            SourceRanges = cidrs,
            WafAclArn = Setting("wafv2-acl-arn", ingress.WafAclArn),
            CertificateArn = ingress.CertificateArn,
            SslRedirect = Setting("ssl-redirect", ingress.SslRedirect),
        };
    }

    private static string TypeOf(LoadBalancerViewModel lb) => lb.Type switch
    {
        "application" => "ALB",
        "network" => "NLB",
        _ => "CLB",
    };

    /// <summary>The resource id at the end of an ARN ("arn:…:certificate/abc" → "abc"); anything else as written.</summary>
    public static string ShortArn(string arn)
    {
        ArgumentNullException.ThrowIfNull(arn);
        var slash = arn.LastIndexOf('/');
        return arn.StartsWith("arn:", StringComparison.Ordinal) && slash > 0 && slash < arn.Length - 1 ? arn[(slash + 1)..] : arn;
    }

    /// <summary>
    /// The rows as CSV (RFC 4180; lists joined with spaces). Hand-written because the client library carries no CSV
    /// package: a cell a spreadsheet would run as a formula (=, +, -, @) is prefixed with a quote, as the audit export does.
    /// </summary>
    public static string ToCsv(IEnumerable<ExposedEndpoint> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var text = new StringBuilder();
        text.AppendJoin(',', CsvHeader).Append("\r\n");
        foreach (var r in rows)
        {
            string[] cells =
            [
                r.Endpoint.Kind.ToString(), r.Namespace, r.Endpoint.Name, string.Join(' ', r.Urls), r.DnsName ?? "", r.BalancerType, r.Scheme,
                string.Join(' ', r.SourceRanges), r.OpenToEveryone ? "true" : "false", r.WafAclArn ?? "", r.CertificateArn ?? "", r.SslRedirect ?? "",
            ];
            text.AppendJoin(',', cells.Select(Cell)).Append("\r\n");
        }
        return text.ToString();
    }

    private static string Cell(string value)
    {
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@')
        {
            value = "'" + value;
        }
        return value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }
}
