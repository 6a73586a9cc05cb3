using Dashboard.Client.Changes;
using Dashboard.Client.Model;

namespace Dashboard.Server.Changes;

/// <summary>A plan as /api/v1/changes answers it.</summary>
public sealed record PlanDto(
    string PlanId,
    string Action,
    DateTimeOffset ExpiresAt,
    string Manifest,
    string Diff,
    DryRunDto DryRun,
    IReadOnlyList<PlannedObjectDto> Objects,
    IReadOnlyList<WarningDto> Warnings,
    IReadOnlyList<LintDto> Lints,
    CostComparison? CostEstimate,
    string? RollsBack);

public sealed record PlannedObjectDto(ObjectDto Object, string Operation, string Manifest, string Diff, DryRunDto DryRun, string? ResourceVersion);

public sealed record ObjectDto(string Kind, string Namespace, string Name);

public sealed record DryRunDto(bool Ok, string Message);

public sealed record WarningDto(string Code, string Severity, string Message);

public sealed record LintDto(string Code, string Severity, string Title, string Detail);

/// <summary>The answer of an accepted apply (202).</summary>
public sealed record ApplyDto(string ChangeId, string Outcome);

/// <summary>An audit entry.</summary>
public sealed record AuditEntryDto(
    string Id,
    DateTimeOffset At,
    string User,
    IReadOnlyList<string> Roles,
    string Action,
    ObjectDto Object,
    IReadOnlyList<ObjectDto> Objects,
    string Outcome,
    string? Error,
    string Diff,
    string DryRun,
    bool Forced,
    string? RollsBack,
    string? RequestId,
    string? ClientAddress,
    string? ImpersonatedUser);

/// <summary>A change: its audit entry and its progress.</summary>
public sealed record ChangeDto(AuditEntryDto Change, IReadOnlyList<StepDto> Steps, string? Stuck);

public sealed record StepDto(string Name, string State, DateTimeOffset? At, string? Detail);

public sealed record AuditListDto(IReadOnlyList<AuditEntryDto> Items);

/// <summary>GET /api/v1/changes/access: what the signed-in user may change (namespaces null: every namespace).</summary>
public sealed record ChangeAccessDto(bool ReadOnly, bool Operator, IReadOnlyList<string>? Namespaces, bool MayChangeAny, bool? MayChangeNamespace);

internal static class ChangeMapping
{
    public static PlanDto Plan(ChangePlan plan) => new(
        plan.PlanId,
        plan.Action,
        plan.ExpiresAt,
        string.Join("---\n", plan.Objects.Where(o => o.Manifest.Length > 0).Select(o => o.Manifest)),
        string.Concat(plan.Objects.Select(o => o.Diff)),
        new DryRunDto(plan.DryRunOk, string.Join(" ", plan.Objects.Select(o => $"{Object(o.Object).Kind} {o.Object.Namespace}/{o.Object.Name}: {o.DryRun.Message}"))),
        [.. plan.Objects.Select(o => new PlannedObjectDto(Object(o.Object), o.Operation.ToString().ToLowerInvariant(), o.Manifest, o.Diff,
            new DryRunDto(o.DryRun.Ok, o.DryRun.Message), o.ResourceVersion))],
        [.. plan.Warnings.Select(w => new WarningDto(w.Code, Severity(w.Severity), w.Message))],
        [.. plan.Lints.Select(l => new LintDto(l.Code, Severity(l.Severity), l.Title, l.Detail))],
        plan.Cost,
        plan.RollsBack);

    public static AuditEntryDto Entry(ChangeRecord record) => new(
        record.ChangeId, record.At, record.User, record.Roles, record.Action, Object(record.Object), [.. record.Objects.Select(Object)],
        record.Outcome, record.Error, record.Diff, record.DryRun, record.Forced, record.RollsBack, record.RequestId, record.ClientAddress, record.ImpersonatedUser);

    public static ChangeDto Change(ChangeRecord record, ChangeProgress progress) => new(
        Entry(record),
        [.. progress.Steps.Select(s => new StepDto(s.Name, s.State.ToString().ToLowerInvariant(), s.At, s.Detail))],
        progress.Stuck);

    public static ObjectDto Object(ObjectRef o) => new(o.Kind.ToString(), o.Namespace, o.Name);

    private static string Severity(LintSeverity severity) => severity.ToString().ToLowerInvariant();
}
