using System.Text.Json;
using Dashboard.Client.Localization;
using Dashboard.Client.Model;
using Dashboard.Server.Kubernetes;
using k8s.Models;

namespace Dashboard.Server.Inventory;

public sealed partial class KubernetesInventory
{
    /// <summary>One setting an IngressClassParams forces: the annotation it replaces, its value, the merge patch that sets another.</summary>
    private sealed record ClassParamsSetting(string Annotation, string Value, Func<string, object> Patch);

    private static IEnumerable<ClassParamsSetting> SettingsOf(IngressClassParamsSpec spec)
    {
        if (spec.Scheme is { Length: > 0 } scheme)
        {
            yield return new("scheme", scheme, v => new { spec = new { scheme = v } });
        }
        if (spec.IpAddressType is { Length: > 0 } ipAddressType)
        {
            yield return new("ip-address-type", ipAddressType, v => new { spec = new { ipAddressType = v } });
        }
        if (spec.SslPolicy is { Length: > 0 } sslPolicy)
        {
            yield return new("ssl-policy", sslPolicy, v => new { spec = new { sslPolicy = v } });
        }
        if (spec.Group?.Name is { Length: > 0 } group)
        {
            yield return new("group.name", group, v => new { spec = new { group = new { name = v } } });
        }
        if (spec.InboundCidrs is { Count: > 0 } cidrs)
        {
            yield return new("inbound-cidrs", string.Join(',', cidrs), v => new { spec = new { inboundCIDRs = v.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) } });
        }
    }

    /// <summary>
    /// The effective values an IngressClassParams forces on the Ingress (its IngressClass names it in
    /// <c>spec.parameters</c>): the AWS Load Balancer Controller takes them over the Ingress's own annotations and
    /// over other group members', so they are applied last.
    /// </summary>
    private IngressViewModel WithClassParams(IngressViewModel model, V1Ingress ingress)
    {
        if (_index.ClassParamsOf(ingress)?.Spec is not { } spec)
        {
            return model;
        }
        return model with
        {
            Scheme = spec.Scheme is { Length: > 0 } scheme ? scheme.ToLowerInvariant() : model.Scheme,
            GroupName = spec.Group?.Name is { Length: > 0 } group ? group : model.GroupName,
            InboundCidrs = spec.InboundCidrs is { Count: > 0 } cidrs ? [.. cidrs] : model.InboundCidrs,
        };
    }

    /// <summary>
    /// A finding per setting the IngressClassParams forces, naming it and giving the <c>kubectl patch</c> that changes
    /// it there: a warning when the Ingress's own annotation asks for something else (the controller ignores it), the
    /// patch then setting the IngressClassParams to what the annotation asked for; else a note on where the value comes from.
    /// </summary>
    private IEnumerable<Lint> ClassParamsLints(V1Ingress ingress)
    {
        if (_index.ClassParamsOf(ingress) is not { Spec: { } spec } found)
        {
            yield break;
        }
        var name = found.Metadata?.Name ?? "";
        var className = ingress.Spec?.IngressClassName ?? "";
        foreach (var setting in SettingsOf(spec))
        {
            var annotation = IngressDecoder.Prefix + setting.Annotation;
            var own = AnnotationValues.Get(ingress.Metadata?.Annotations, annotation);
            var conflict = own is not null && !string.Equals(Normalise(own), Normalise(setting.Value), StringComparison.OrdinalIgnoreCase);
            var target = conflict ? own! : setting.Annotation == "scheme"
                ? (setting.Value.Equals("internal", StringComparison.OrdinalIgnoreCase) ? "internet-facing" : "internal")
                : "<value>";
            var command = $"kubectl patch ingressclassparams {name} --type merge -p '{JsonSerializer.Serialize(setting.Patch(target))}'";
            var title = conflict
                ? LocalText.Of("Lint.ClassParams.Override.Title", setting.Annotation, own!, name, setting.Value)
                : LocalText.Of("Lint.ClassParams.Setting.Title", setting.Annotation, setting.Value, name);
            var detail = conflict
                ? LocalText.Of("Lint.ClassParams.Override.Detail", annotation, own!, name, className, setting.Value, command)
                : LocalText.Of("Lint.ClassParams.Setting.Detail", setting.Annotation, setting.Value, name, className, command);
            yield return new Lint
            {
                Code = conflict ? "class-params-overrides-annotation" : "class-params-setting",
                Severity = conflict ? LintSeverity.Warning : LintSeverity.Info,
                Title = title.English,
                Detail = detail.English,
                TitleText = title,
                DetailText = detail,
            };
        }
    }

    private static string Normalise(string value) => string.Join(',', value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
}
