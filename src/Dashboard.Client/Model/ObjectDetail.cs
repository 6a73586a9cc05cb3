using System.Collections.Immutable;

namespace Dashboard.Client.Model;

/// <summary>What the detail panel shows for one object.</summary>
public sealed record ObjectDetail
{
    public required ObjectKind Kind { get; init; }
    public required string Namespace { get; init; }
    public required string Name { get; init; }
    /// <summary>The object as YAML, managedFields removed.</summary>
    public required string Yaml { get; init; }
    /// <summary>Pods behind the object (for a Service: its EndpointSlices).</summary>
    public ImmutableArray<EndpointView> Endpoints { get; init; } = [];
    /// <summary>Events about the object, newest first.</summary>
    public ImmutableArray<EventView> Events { get; init; } = [];
    /// <summary>When the data was read from the cache's source.</summary>
    public required DateTimeOffset AsOf { get; init; }
}

public sealed record EndpointView(string Address, string? PodName, string? NodeName, string? Zone, bool Ready, bool Serving, bool Terminating);

public sealed record EventView(string Type, string Reason, string Message, string Source, int Count, DateTimeOffset? LastSeen, string InvolvedObject);
