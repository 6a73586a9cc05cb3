using System.Collections.Immutable;
using Dashboard.Client.Model;

namespace Dashboard.Client.Changes;

/// <summary>
/// A validated change, previewed: the objects it creates, updates or deletes (each with the manifest sent, the server's
/// dry-run answer and the diff against the live object), warnings (replacements, GitOps owners, blast radius), the lints
/// of the result and the cost of the choice. Belongs to the user who made it and expires.
/// </summary>
public sealed record ChangePlan
{
    public required string PlanId { get; init; }
    public required string Action { get; init; }
    public required string User { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset ExpiresAt { get; init; }
    public required ChangeRequest Request { get; init; }
    public ImmutableArray<PlannedObject> Objects { get; init; } = [];
    public ImmutableArray<ChangeWarning> Warnings { get; init; } = [];
    public ImmutableArray<Lint> Lints { get; init; } = [];
    public CostComparison? Cost { get; init; }

    /// <summary>The change this plan rolls back, when it is a rollback.</summary>
    public string? RollsBack { get; init; }

    /// <summary>Every object's dry run passed.</summary>
    public bool DryRunOk => Objects.All(o => o.DryRun.Ok);

    /// <summary>A dry run that passed with nothing different from the live objects (a failed dry run has no diff, yet is not "no change").</summary>
    public bool NoChange => Objects.All(o => o.Operation == PlannedOperation.Update && o.DryRun.Ok && o.Diff.Length == 0);
}

public enum PlannedOperation { Create, Update, Delete }

/// <summary>One object of a plan.</summary>
public sealed record PlannedObject
{
    public required ObjectRef Object { get; init; }
    public required PlannedOperation Operation { get; init; }

    /// <summary>The manifest sent (server-side apply), YAML with a comment per annotation; empty for a delete.</summary>
    public required string Manifest { get; init; }

    /// <summary>The live object as YAML without noise (managedFields, status, resourceVersion …); empty when it does not exist.</summary>
    public required string Live { get; init; }

    /// <summary>The server's dry-run answer, as YAML without noise; empty for a delete.</summary>
    public required string Result { get; init; }

    /// <summary>Unified diff of <see cref="Live"/> against <see cref="Result"/>, empty when they are the same.</summary>
    public required string Diff { get; init; }

    /// <summary>Side-by-side rows of the same diff.</summary>
    public ImmutableArray<DiffRow> SideBySide { get; init; } = [];

    public required DryRunResult DryRun { get; init; }

    /// <summary>The live object's resourceVersion when planned: apply refuses if it has changed since.</summary>
    public string? ResourceVersion { get; init; }
}

/// <summary>A side-by-side row: old line and new line (either may be absent) and how they differ.</summary>
public sealed record DiffRow(int? OldNumber, string? Old, int? NewNumber, string? New, DiffRowKind Kind);

public enum DiffRowKind { Same, Changed, Added, Removed }

/// <summary>The server's answer to the dry run: ok, or its status message.</summary>
public sealed record DryRunResult(bool Ok, string Message);

/// <summary>Something the user must know before applying; Severity Error = red (e.g. the load balancer is replaced).</summary>
public sealed record ChangeWarning(string Code, LintSeverity Severity, string Message);

/// <summary>ALB against NLB for this workload: what each offers, and its hourly and LCU price from the configured prices.</summary>
public sealed record CostComparison
{
    public required string Region { get; init; }
    public required BalancerOption Alb { get; init; }
    public required BalancerOption Nlb { get; init; }
}

public sealed record BalancerOption
{
    public required string Layer { get; init; }
    public required decimal HourPrice { get; init; }
    public required decimal LcuHourPrice { get; init; }

    /// <summary>A 730-hour month at one LCU on average.</summary>
    public required decimal MonthAtOneLcu { get; init; }
    public ImmutableArray<string> Features { get; init; } = [];
}
