using System.Collections.Immutable;

namespace Dashboard.Client.Model;

/// <summary>A listener rule: conditions and where it sends traffic; <see cref="Member"/> is the Ingress of a group that owns it.</summary>
public sealed record RuleView(string Arn, string Priority, ImmutableArray<string> Conditions, ImmutableArray<ForwardView> Forwards, string? OtherAction, ObjectRef? Member);
