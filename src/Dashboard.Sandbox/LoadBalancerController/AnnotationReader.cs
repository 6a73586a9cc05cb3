using System.Globalization;

namespace Dashboard.Sandbox.LoadBalancerController;

/// <summary>A model that cannot be built from the object as written (the controller's <c>FailedBuildModel</c>).</summary>
internal sealed class ModelBuildException(string message) : Exception(message);

/// <summary>Annotation prefixes and the values the controller understands.</summary>
internal static class ControllerAnnotations
{
    public const string ServicePrefix = "service.beta.kubernetes.io/";
    public const string IngressPrefix = "alb.ingress.kubernetes.io/";
    public const string IngressClass = "kubernetes.io/ingress.class";
    public const string DefaultIngressClass = "ingressclass.kubernetes.io/is-default-class";
    public const string NlbLoadBalancerClass = "service.k8s.aws/nlb";
    public const string AlbController = "ingress.k8s.aws/alb";
    public const string ReadinessGateInject = "elbv2.k8s.aws/pod-readiness-gate-inject";
    public const string ReadinessGatePrefix = "target-health.elbv2.k8s.aws/";

    /// <summary>
    /// Sandbox-only tag recording the CIDRs allowed in (Service <c>loadBalancerSourceRanges</c> / <c>source-ranges</c>,
    /// Ingress <c>inbound-cidrs</c>). The real controller writes them into the managed security group's inbound rules;
    /// the sandbox has no EC2, so they live on the load balancer as this tag (comma-separated).
    /// </summary>
    public const string SourceRangesTag = "sandbox.endpoint-dashboard.dev/source-ranges";
}

/// <summary>
/// Reads controller annotations with the real controller's parsing rules and error texts. Lookups try each source in
/// order (for an Ingress backend: the Service's annotations first, then the Ingress's), as the controller does.
/// </summary>
internal sealed class AnnotationReader(string prefix, params IReadOnlyDictionary<string, string>[] sources)
{
    public string Prefix { get; } = prefix;

    public bool Has(string suffix) => Raw(suffix, out _, out _);

    public string? String(string suffix) => Raw(suffix, out var value, out _) ? value : null;

    public int? Int32(string suffix)
    {
        if (!Raw(suffix, out var raw, out var key))
        {
            return null;
        }
        if (!int.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            throw new ModelBuildException($"failed to parse int32 annotation, {key}: {raw}: strconv.ParseInt: parsing \"{raw}\": invalid syntax");
        }
        return value;
    }

    public bool? Bool(string suffix)
    {
        if (!Raw(suffix, out var raw, out var key))
        {
            return null;
        }
        // Go's strconv.ParseBool.
        return raw switch
        {
            "1" or "t" or "T" or "TRUE" or "true" or "True" => true,
            "0" or "f" or "F" or "FALSE" or "false" or "False" => false,
            _ => throw new ModelBuildException($"failed to parse bool annotation, {key}: {raw}: strconv.ParseBool: parsing \"{raw}\": invalid syntax"),
        };
    }

    /// <summary>A comma-separated list, items trimmed, empty items dropped.</summary>
    public IReadOnlyList<string> List(string suffix) =>
        Raw(suffix, out var raw, out _)
            ? [.. raw.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)]
            : [];

    /// <summary>A comma-separated <c>key=value</c> map (line breaks allowed, as in YAML block scalars).</summary>
    public IReadOnlyDictionary<string, string> Map(string suffix)
    {
        var map = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (!Raw(suffix, out var raw, out var key))
        {
            return map;
        }
        foreach (var item in raw.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = item.Split('=', 2, StringSplitOptions.TrimEntries);
            if (parts.Length != 2 || parts[0].Length == 0)
            {
                throw new ModelBuildException($"failed to parse stringMap annotation, {key}: {raw.Trim()}");
            }
            map[parts[0]] = parts[1];
        }
        return map;
    }

    private bool Raw(string suffix, out string value, out string key)
    {
        key = Prefix + suffix;
        foreach (var source in sources)
        {
            if (source.TryGetValue(key, out var found))
            {
                value = found.Trim();
                return true;
            }
        }
        value = "";
        return false;
    }
}
