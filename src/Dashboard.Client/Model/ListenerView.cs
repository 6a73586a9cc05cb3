using System.Collections.Immutable;

namespace Dashboard.Client.Model;

public sealed record ListenerView(string Arn, string Protocol, int Port, string? CertificateArn, string DefaultAction, ImmutableArray<RuleView> Rules);
