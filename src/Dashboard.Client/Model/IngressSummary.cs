namespace Dashboard.Client.Model;

/// <summary>Short phrases for an Ingress's ALB settings, for dense rows.</summary>
public static class IngressSummary
{
    /// <summary>"group-name (order 10)", "group-name", or null for an implicit group of one.</summary>
    public static string? Group(IngressViewModel ingress) =>
        ingress.GroupName is null ? null
        : ingress.GroupOrder is { } order ? $"{ingress.GroupName} (order {order.ToString(System.Globalization.CultureInfo.InvariantCulture)})"
        : ingress.GroupName;

    /// <summary>Every (host, path, backend) route, in spec order; a rule without paths yields nothing.</summary>
    public static IReadOnlyList<(string? Host, IngressPathView Path)> Routes(IngressViewModel ingress) =>
        [.. ingress.Rules.SelectMany(r => r.Paths.Select(p => (r.Host, p)))];

    /// <summary>Settings as short tokens: listen ports, redirect, WAF, target type, source CIDRs.</summary>
    public static IReadOnlyList<string> Tokens(IngressViewModel ingress)
    {
        var tokens = new List<string>();
        if (ingress.ListenPorts is not null)
        {
            tokens.Add(ingress.ListenPorts.Replace("\"", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal));
        }
        if (ingress.SslRedirect is not null)
        {
            tokens.Add("redirect → " + ingress.SslRedirect);
        }
        if (ingress.WafAclArn is not null)
        {
            tokens.Add("WAF");
        }
        if (ingress.TargetType is not null)
        {
            tokens.Add(ingress.TargetType + " targets");
        }
        if (ingress.InboundCidrs.Length > 0)
        {
            tokens.Add("from " + string.Join(", ", ingress.InboundCidrs));
        }
        if (ingress.TargetGroupAttributes.Count > 0)
        {
            tokens.Add("TG " + string.Join(", ", ingress.TargetGroupAttributes.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}")));
        }
        return tokens;
    }
}
