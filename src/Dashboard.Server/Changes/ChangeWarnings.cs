using System.Collections.Immutable;
using Dashboard.Client.Changes;
using Dashboard.Client.Model;
using k8s.Models;

namespace Dashboard.Server.Changes;

/// <summary>
/// What a user must know before applying, in the failure table's words (reference lbc-failures.md): changes that replace
/// the load balancer or a target group, objects Helm or GitOps manage, the other members of an IngressGroup, what an
/// unexpose removes. Pure.
/// </summary>
public static class ChangeWarnings
{
    public const string ReplacesLoadBalancer = "replaces-load-balancer";
    public const string ReplacesTargetGroup = "replaces-target-group";
    public const string MayReplaceTargetGroup = "may-replace-target-group";
    public const string ManagedByGitOps = "managed-by-gitops";
    public const string GroupBlastRadius = "group-blast-radius";
    public const string DeletesLoadBalancer = "deletes-load-balancer";
    public const string OpenToInternet = "open-to-internet";

    /// <summary>The fields of a form that replace something when changed, with what (for the wizard's marks).</summary>
    public static ImmutableDictionary<string, string> ReplacingFields(bool alb) => new Dictionary<string, string>
    {
        ["scheme"] = "Replaces the load balancer: a new DNS name; the old balancer is deleted. Plan the traffic move (DNS records, clients).",
        ["targetType"] = "Replaces the target group: a brief gap while the new targets register and pass health checks.",
        ["healthCheck.protocol"] = alb ? "" : "On an NLB, replaces the target group unless the controller's NLBHealthCheckAdvancedConfig feature gate is on.",
        ["healthCheck.intervalSeconds"] = alb ? "" : "On an NLB, replaces the target group unless the controller's NLBHealthCheckAdvancedConfig feature gate is on.",
        ["healthCheck.timeoutSeconds"] = alb ? "" : "On an NLB, replaces the target group unless the controller's NLBHealthCheckAdvancedConfig feature gate is on.",
        ["healthCheck.successCodes"] = alb ? "" : "On an NLB, replaces the target group unless the controller's NLBHealthCheckAdvancedConfig feature gate is on.",
    }.Where(p => p.Value.Length > 0).ToImmutableDictionary();

    /// <summary>Fields that cannot be changed on a live endpoint, with why.</summary>
    public static ImmutableDictionary<string, string> ReadOnlyFields() => new Dictionary<string, string>
    {
        ["loadBalancerName"] = "Applied only when the load balancer is created: changing it later does nothing. To rename, unexpose and expose again.",
    }.ToImmutableDictionary();

    /// <summary>Warnings for a reconfigure from <paramref name="before"/> to <paramref name="after"/>.</summary>
    public static ImmutableArray<ChangeWarning> ForReconfigure(ChangeRequest before, ChangeRequest after, bool alb)
    {
        var warnings = ImmutableArray.CreateBuilder<ChangeWarning>();
        if (Changed(before.Scheme, after.Scheme, alb ? "internal" : "internal"))
        {
            warnings.Add(new ChangeWarning(ReplacesLoadBalancer, LintSeverity.Error,
                $"Scheme {before.Scheme ?? "internal (default)"} → {after.Scheme}: the controller REPLACES the load balancer. The new one gets a new DNS name and the "
                + "old one is deleted: anything pointing at the old name (DNS records, clients, firewall rules) stops working until it points at the new one."));
        }
        if (Changed(before.TargetType, after.TargetType, alb ? "instance" : "instance"))
        {
            warnings.Add(new ChangeWarning(ReplacesTargetGroup, LintSeverity.Error,
                $"Target type {before.TargetType ?? "instance (default)"} → {after.TargetType}: the controller REPLACES the target group; expect a short gap while the new targets register and pass health checks."));
        }
        if (!alb)
        {
            var b = before.HealthCheck ?? new HealthCheckRequest();
            var a = after.HealthCheck ?? new HealthCheckRequest();
            var fields = new List<string>();
            if (Changed(b.Protocol, a.Protocol, null)) { fields.Add("protocol"); }
            if (Changed(Text(b.IntervalSeconds), Text(a.IntervalSeconds), null)) { fields.Add("interval"); }
            if (Changed(Text(b.TimeoutSeconds), Text(a.TimeoutSeconds), null)) { fields.Add("timeout"); }
            if (Changed(b.SuccessCodes, a.SuccessCodes, null)) { fields.Add("success codes"); }
            if (fields.Count > 0)
            {
                warnings.Add(new ChangeWarning(MayReplaceTargetGroup, LintSeverity.Warning,
                    $"NLB health-check {string.Join(", ", fields)} changed: unless the controller runs with the NLBHealthCheckAdvancedConfig feature gate, it "
                    + "REPLACES the target group (a brief registration gap)."));
            }
        }
        return warnings.ToImmutable();
    }

    /// <summary>Helm, Argo CD or Flux manage the object: a change made here is reverted at their next sync.</summary>
    public static ChangeWarning? GitOps(V1ObjectMeta? meta)
    {
        if (meta is null)
        {
            return null;
        }
        var labels = meta.Labels ?? new Dictionary<string, string>();
        var annotations = meta.Annotations ?? new Dictionary<string, string>();
        string? owner = null;
        if (labels.Keys.Concat(annotations.Keys).Any(k => k.StartsWith("argocd.argoproj.io/", StringComparison.Ordinal)) || labels.ContainsKey("app.kubernetes.io/instance") && annotations.ContainsKey("argocd.argoproj.io/tracking-id"))
        {
            owner = "Argo CD";
        }
        else if (labels.Keys.Concat(annotations.Keys).Any(k => k.StartsWith("kustomize.toolkit.fluxcd.io/", StringComparison.Ordinal) || k.StartsWith("helm.toolkit.fluxcd.io/", StringComparison.Ordinal)))
        {
            owner = "Flux";
        }
        else if (annotations.Keys.Any(k => k.StartsWith("meta.helm.sh/", StringComparison.Ordinal)) || (labels.TryGetValue("app.kubernetes.io/managed-by", out var by) && by == "Helm"))
        {
            owner = "Helm";
        }
        else if ((meta.ManagedFields ?? []).Select(m => m.Manager ?? "").FirstOrDefault(m => m.Contains("argocd", StringComparison.OrdinalIgnoreCase)
            || m.Contains("helm", StringComparison.OrdinalIgnoreCase) || m.Contains("flux", StringComparison.OrdinalIgnoreCase)) is { } manager)
        {
            owner = manager;
        }
        return owner is null ? null : new ChangeWarning(ManagedByGitOps, LintSeverity.Warning,
            $"This object is managed by {owner}: this change will be reverted by {owner} at its next sync unless it is made in its source (Git, the chart's values) too.");
    }

    /// <summary>The other Ingresses on the same ALB: a change to the shared settings reaches all of them.</summary>
    public static ChangeWarning? BlastRadius(string? group, string ns, string name, IEnumerable<IngressViewModel> ingresses)
    {
        if (string.IsNullOrEmpty(group))
        {
            return null;
        }
        var others = ingresses.Where(i => i.GroupName == group && !(i.Namespace == ns && i.Name == name)).ToList();
        if (others.Count == 0)
        {
            return null;
        }
        var hosts = others.SelectMany(i => i.Rules.Select(r => r.Host ?? "*")).Distinct().Order(StringComparer.Ordinal);
        return new ChangeWarning(GroupBlastRadius, LintSeverity.Warning,
            $"IngressGroup '{group}' shares one ALB with {others.Count} other Ingress(es): {string.Join(", ", others.Select(i => i.Key))} "
            + $"(hosts {string.Join(", ", hosts)}). Load-balancer settings (scheme, WAF, certificates, inbound CIDRs, tags) apply to all of them.");
    }

    public static ChangeWarning? OpenRanges(ChangeRequest request) =>
        request.Scheme == "internet-facing" && (request.SourceRanges is not { Count: > 0 } || request.SourceRanges.Any(r => r.Trim() is "0.0.0.0/0" or "::/0"))
            ? new ChangeWarning(OpenToInternet, LintSeverity.Info, "Internet-facing and open to every address: set source ranges to limit who can reach it.")
            : null;

    private static bool Changed(string? before, string? after, string? defaultValue) =>
        after is not null && !string.Equals(before ?? defaultValue, after, StringComparison.OrdinalIgnoreCase);

    private static string? Text(int? value) => value?.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
