using System.Collections.Immutable;
using Dashboard.Client.Localization;
using Dashboard.Client.Model;
using k8s.Models;

namespace Dashboard.Server.Inventory;

public sealed partial class KubernetesInventory
{
    /// <summary>
    /// The annotations the AWS Load Balancer Controller applies to a whole IngressGroup's balancer, from whichever member
    /// sets them (members that set none take the value; two different values are a conflict the controller refuses).
    /// </summary>
    internal static readonly ImmutableArray<string> GroupWide =
    [
        "scheme", "ip-address-type", "ssl-redirect", "wafv2-acl-arn", "waf-acl-id", "shield-advanced-protection", "load-balancer-name",
        "security-groups", "subnets", "customer-owned-ipv4-pool",
    ];

    /// <summary>The other members of the Ingress's explicit group (keys), for recomputing them when it changes.</summary>
    private IEnumerable<string> GroupMembers(V1Ingress? ingress)
    {
        if (ingress is null || AnnotationValues.Get(ingress.Metadata?.Annotations, IngressDecoder.Prefix + "group.name") is not { } group)
        {
            return [];
        }
        var self = ClusterIndex.KeyOf(ingress.Metadata);
        return _index.Ingresses
            .Where(p => p.Key != self && AnnotationValues.Get(p.Value.Metadata?.Annotations, IngressDecoder.Prefix + "group.name") == group)
            .Select(p => p.Key)
            .ToList();
    }

    /// <summary>
    /// The group-wide settings other members set (<see cref="IngressViewModel.GroupSettings"/>), and the effective scheme
    /// when this Ingress sets none: the balancer it is on is what the group decides, not "internal (default)".
    /// </summary>
    private IngressViewModel WithGroupSettings(IngressViewModel model, V1Ingress ingress)
    {
        var members = GroupMembers(ingress)
            .Select(key => _index.Ingresses[key])
            .Where(m => m.Metadata?.DeletionTimestamp is null)
            .OrderBy(m => AnnotationValues.Int(AnnotationValues.Get(m.Metadata?.Annotations, IngressDecoder.Prefix + "group.order")) ?? 0)
            .ThenBy(m => ClusterIndex.KeyOf(m.Metadata), StringComparer.Ordinal)
            .ToList();
        if (members.Count == 0)
        {
            return model;
        }
        var own = ingress.Metadata?.Annotations;
        var settings = new List<GroupSetting>();
        foreach (var name in GroupWide)
        {
            var key = IngressDecoder.Prefix + name;
            var ownValue = AnnotationValues.Get(own, key);
            var setter = members.FirstOrDefault(m => AnnotationValues.Get(m.Metadata?.Annotations, key) is { } v && (ownValue is null || v != ownValue));
            if (setter is null)
            {
                continue;
            }
            settings.Add(new GroupSetting(key, AnnotationValues.Get(setter.Metadata?.Annotations, key)!, ClusterIndex.KeyOf(setter.Metadata), ownValue));
        }
        if (settings.Count == 0)
        {
            return model;
        }
        string? FromMember(string name) => settings.FirstOrDefault(s => s.Annotation == IngressDecoder.Prefix + name && !s.Conflict)?.Value;
        return model with
        {
            GroupSettings = [.. settings],
            // The effective values where this Ingress sets none: what the group's balancer has.
            Scheme = model.Scheme ?? FromMember("scheme")?.ToLowerInvariant(),
            SslRedirect = model.SslRedirect ?? FromMember("ssl-redirect"),
            WafAclArn = model.WafAclArn ?? FromMember("wafv2-acl-arn"),
        };
    }

    /// <summary>
    /// Each group-wide setting another member sets, as a finding naming that member and a command that changes it there
    /// (an edit of this Ingress would only make the group conflict); a conflict is an error: the controller builds nothing.
    /// </summary>
    private static IEnumerable<Lint> GroupSettingLints(IngressViewModel model)
    {
        foreach (var setting in model.GroupSettings)
        {
            var (ns, name) = Split(setting.Member);
            var shortName = setting.Annotation[IngressDecoder.Prefix.Length..];
            if (setting.Conflict)
            {
                var title = LocalText.Of("Lint.GroupSetting.Conflict.Title", shortName, model.GroupName ?? "");
                var detail = LocalText.Of("Lint.GroupSetting.Conflict.Detail", setting.Annotation, setting.OwnValue, setting.Member, setting.Value,
                    $"kubectl -n {model.Namespace} annotate ingress {model.Name} {setting.Annotation}-", $"kubectl -n {ns} annotate ingress {name} {setting.Annotation}={setting.OwnValue} --overwrite");
                yield return new Lint
                {
                    Code = "group-setting-conflict",
                    Severity = LintSeverity.Error,
                    Title = title.English,
                    Detail = detail.English,
                    TitleText = title,
                    DetailText = detail,
                };
            }
            else
            {
                var other = setting.Annotation == IngressDecoder.SchemeAnnotation
                    ? (setting.Value == "internal" ? "internet-facing" : "internal")
                    : "<value>";
                var title = LocalText.Of("Lint.GroupSetting.FromMember.Title", shortName, setting.Value, setting.Member);
                var detail = LocalText.Of("Lint.GroupSetting.FromMember.Detail", setting.Annotation, setting.Value, setting.Member, model.GroupName ?? "",
                    $"kubectl -n {ns} annotate ingress {name} {setting.Annotation}={other} --overwrite");
                yield return new Lint
                {
                    Code = "group-setting-from-member",
                    Severity = LintSeverity.Info,
                    Title = title.English,
                    Detail = detail.English,
                    TitleText = title,
                    DetailText = detail,
                };
            }
        }
    }

    private static (string Namespace, string Name) Split(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        return (key[..slash], key[(slash + 1)..]);
    }
}
