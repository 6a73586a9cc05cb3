namespace Dashboard.Client.Model;

/// <summary>Short phrases for an Ingress's ALB settings, for dense rows.</summary>
public static class IngressSummary
{
    /// <summary>"group-name (order 10)", "group-name", or null for an implicit group of one.</summary>
    public static string? Group(IngressViewModel ingress) =>
        ingress.GroupName is null ? null
        : ingress.GroupOrder is { } order ? Localization.UiText.Format("{0} (order {1})", ingress.GroupName, order.ToString(System.Globalization.CultureInfo.InvariantCulture))
        : ingress.GroupName;

    /// <summary>Every (host, path, backend) route, in spec order; a rule without paths yields nothing.</summary>
    public static IReadOnlyList<(string? Host, IngressPathView Path)> Routes(IngressViewModel ingress) =>
        [.. ingress.Rules.SelectMany(r => r.Paths.Select(p => (r.Host, p)))];

    /// <summary>
    /// The listeners the ALB gets, as AWS will show them: "HTTP:80, HTTPS:443"; without listen-ports, "HTTPS:443 (default
    /// with certificate-arn)" or "HTTP:80 (default)"; an invalid listen-ports says so.
    /// </summary>
    public static string Listeners(IngressViewModel ingress) =>
        ingress.Listeners.IsEmpty ? Localization.UiText.Format("none — listen-ports is invalid: {0}", ingress.ListenPorts)
        : ingress.Listeners.All(l => l.FromDefault)
            ? string.Join(", ", ingress.Listeners) + " " + (ingress.Listeners.Any(l => l.Protocol == "HTTPS") ? Localization.UiText.Get("(default with certificate-arn)") : Localization.UiText.Get("(default)"))
        : string.Join(", ", ingress.Listeners);

    /// <summary>Settings as short tokens: listeners, redirect, WAF, target type, source CIDRs.</summary>
    public static IReadOnlyList<string> Tokens(IngressViewModel ingress)
    {
        var tokens = new List<string>();
        if (ingress.Listeners.Length > 0)
        {
            tokens.Add(string.Join(",", ingress.Listeners));
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
            tokens.Add(Localization.UiText.Format("{0} targets", ingress.TargetType));
        }
        if (ingress.InboundCidrs.Length > 0)
        {
            tokens.Add(Localization.UiText.Format("from {0}", string.Join(", ", ingress.InboundCidrs)));
        }
        if (ingress.TargetGroupAttributes.Count > 0)
        {
            tokens.Add("TG " + string.Join(", ", ingress.TargetGroupAttributes.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}")));
        }
        return tokens;
    }
}
