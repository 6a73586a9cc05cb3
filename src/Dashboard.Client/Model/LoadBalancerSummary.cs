using System.Globalization;

namespace Dashboard.Client.Model;

/// <summary>Short, readable phrases for decoded load-balancer facts, for dense rows and their tooltips.</summary>
public static class LoadBalancerSummary
{
    /// <summary>"AWS LBC", "in-tree" or the foreign class.</summary>
    public static string Controller(LoadBalancerFacts facts) => facts.Controller switch
    {
        LoadBalancerController.AwsLoadBalancerController => "AWS LBC",
        LoadBalancerController.InTree => "in-tree",
        _ => facts.LoadBalancerClass ?? "other",
    };

    /// <summary>e.g. "HTTP :8080 /healthz every 10s, 3↑ 3↓"; null when every setting is the controller's default.</summary>
    public static string? HealthCheck(HealthCheckFacts hc)
    {
        var parts = new List<string>();
        if (hc.Protocol is not null)
        {
            parts.Add(hc.Protocol);
        }
        if (hc.Port is not null)
        {
            parts.Add(":" + hc.Port);
        }
        if (hc.Path is not null)
        {
            parts.Add(hc.Path);
        }
        if (hc.IntervalSeconds is { } interval)
        {
            parts.Add(Localization.UiText.Format("every {0}s", interval.ToString(CultureInfo.InvariantCulture)));
        }
        if (hc.TimeoutSeconds is { } timeout)
        {
            parts.Add(Localization.UiText.Format("timeout {0}s", timeout.ToString(CultureInfo.InvariantCulture)));
        }
        if (hc.HealthyThreshold is not null || hc.UnhealthyThreshold is not null)
        {
            parts.Add($"{Number(hc.HealthyThreshold)}↑ {Number(hc.UnhealthyThreshold)}↓");
        }
        if (hc.SuccessCodes is not null)
        {
            parts.Add(Localization.UiText.Format("codes {0}", hc.SuccessCodes));
        }
        return parts.Count == 0 ? null : string.Join(' ', parts);
    }

    /// <summary>The facts as short tokens, in reading order: controller, type, scheme, targets, health check, …</summary>
    public static IReadOnlyList<string> Tokens(LoadBalancerFacts facts)
    {
        var tokens = new List<string> { Controller(facts), facts.BalancerType, facts.Scheme, Localization.UiText.Format("{0} targets", facts.TargetType) };
        if (HealthCheck(facts.HealthCheck) is { } hc)
        {
            tokens.Add("HC " + hc);
        }
        if (facts.CrossZone is { } crossZone)
        {
            tokens.Add(crossZone ? Localization.UiText.Get("cross-zone") : Localization.UiText.Get("no cross-zone"));
        }
        if (facts.SourceRanges.Length > 0)
        {
            tokens.Add(Localization.UiText.Format("from {0}", string.Join(", ", facts.SourceRanges)));
        }
        if (!string.Equals(facts.ExternalTrafficPolicy, "Cluster", StringComparison.Ordinal))
        {
            tokens.Add(Localization.UiText.Format("traffic policy {0}", facts.ExternalTrafficPolicy));
        }
        if (facts.CertificateArn is not null)
        {
            tokens.Add(facts.TlsPorts is null ? "TLS" : Localization.UiText.Format("TLS on {0}", facts.TlsPorts));
        }
        return tokens;
    }

    /// <summary>The whole summary on one line, for a row's title text.</summary>
    public static string OneLine(LoadBalancerFacts facts) => string.Join(" · ", Tokens(facts));

    private static string Number(int? value) => value?.ToString(CultureInfo.InvariantCulture) ?? Localization.UiText.Get("default");
}
