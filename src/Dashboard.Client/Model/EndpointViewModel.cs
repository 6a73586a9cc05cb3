using System.Collections.Immutable;

namespace Dashboard.Client.Model;

/// <summary>Everything the endpoint detail page shows for one Service or Ingress.</summary>
public sealed record EndpointViewModel
{
    public string Key => Object.Key;
    public required ObjectRef Object { get; init; }
    public ImmutableArray<LoadBalancerViewModel> LoadBalancers { get; init; } = [];
    public ImmutableArray<ChecklistItem> Checklist { get; init; } = [];
    public ImmutableArray<Diagnosis> Diagnoses { get; init; } = [];
    public ImmutableArray<EventView> Events { get; init; } = [];
    /// <summary>Why the object has no balancer although it should (controller Warning events), when so.</summary>
    public string? MissingBalancerReason { get; init; }
    public DateTimeOffset? AsOf { get; init; }
    /// <summary>Set while the Service or Ingress is being deleted but still exists (finalizers, grace period).</summary>
    public ObjectDeletion? Deletion { get; init; }
}
