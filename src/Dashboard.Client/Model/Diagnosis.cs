using System.Collections.Immutable;

namespace Dashboard.Client.Model;

/// <summary>A reasoned explanation of why a target is not healthy, with the evidence it rests on.</summary>
public sealed record Diagnosis(string Code, string Title, ImmutableArray<string> Evidence, string Fix);
