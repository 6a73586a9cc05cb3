using System.Text.Json.Serialization;
using Dashboard.Client.Localization;

namespace Dashboard.Client.Model;

/// <summary>
/// The change in the cluster that came shortly before a failure began, as the server's bounded change history saw it: an
/// annotation or spec edit of the endpoint's Service or Ingress (or of the Service behind it), a rollout or a scale of a
/// Deployment behind it. "started 28 s after `healthcheck-path` changed from /ready to /nope on Service
/// payments/payments-api-nlb". Plain data (the incident history stores it as JSON); the sentence is <see cref="Text"/>.
/// </summary>
public sealed record PrecedingChange
{
    /// <summary>When the change was seen.</summary>
    public required DateTimeOffset At { get; init; }

    /// <summary>How long before the failure began it was.</summary>
    public required TimeSpan Lead { get; init; }

    /// <summary>What kind of change: an annotation edit, a spec field edit, a Deployment rollout or scale.</summary>
    public required PrecedingChangeKind Kind { get; init; }

    /// <summary>The kind of the changed object: Service, Ingress or Deployment.</summary>
    public required string ObjectKind { get; init; }

    public required string Namespace { get; init; }

    public required string Name { get; init; }

    /// <summary>The annotation's short name (<c>healthcheck-path</c>), the spec field (<c>spec.selector</c>), or for a rollout "image" when the image changed.</summary>
    public string? Field { get; init; }

    /// <summary>The value before; null when the annotation was added.</summary>
    public string? From { get; init; }

    /// <summary>The value after; null when the annotation was removed.</summary>
    public string? To { get; init; }

    /// <summary>"started 28 s after …", in the viewer's language (<see cref="LocalText.English"/> for the API).</summary>
    [JsonIgnore]
    public LocalText Text => LocalText.Of("Change.Preceded", LeadText, What);

    /// <summary>The change alone: "`healthcheck-path` changed from /ready to /nope on Service payments/api".</summary>
    [JsonIgnore]
    public LocalText What => Kind switch
    {
        PrecedingChangeKind.Annotation or PrecedingChangeKind.Field when From is null => LocalText.Of("Change.Set", Field, To, ObjectKind, Namespace, Name),
        PrecedingChangeKind.Annotation or PrecedingChangeKind.Field when To is null => LocalText.Of("Change.Removed", Field, From, ObjectKind, Namespace, Name),
        PrecedingChangeKind.Annotation or PrecedingChangeKind.Field => LocalText.Of("Change.Changed", Field, From, To, ObjectKind, Namespace, Name),
        PrecedingChangeKind.Scale => LocalText.Of("Change.Scaled", Namespace, Name, From, To),
        _ when From is not null && To is not null => LocalText.Of("Change.RolloutImage", Namespace, Name, From, To),
        _ => LocalText.Of("Change.Rollout", Namespace, Name),
    };

    private LocalText LeadText
    {
        get
        {
            var seconds = (int)Math.Max(0, Math.Round(Lead.TotalSeconds));
            return seconds < 120 ? LocalText.Of("Change.LeadSeconds", seconds) : LocalText.Of("Change.LeadMinutes", seconds / 60);
        }
    }
}

/// <summary>What a <see cref="PrecedingChange"/> was.</summary>
public enum PrecedingChangeKind
{
    /// <summary>An annotation added, changed or removed.</summary>
    Annotation,
    /// <summary>A spec field (selector, ports, type, class, rules…) changed.</summary>
    Field,
    /// <summary>A Deployment's pod template changed: a rollout began.</summary>
    Rollout,
    /// <summary>A Deployment's replicas changed.</summary>
    Scale,
}
