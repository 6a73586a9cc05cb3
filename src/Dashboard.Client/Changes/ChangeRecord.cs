using System.Collections.Immutable;
using System.Security.Claims;
using Dashboard.Client.Model;

namespace Dashboard.Client.Changes;

/// <summary>
/// One audit record: a plan applied (or conflicted, failed, refused) — who, when, what, the diff, the dry-run result, the
/// outcome. Append-only; the object's state before the change is kept so it can be rolled back.
/// </summary>
public sealed record ChangeRecord
{
    public required string ChangeId { get; init; }
    public required string PlanId { get; init; }
    public required DateTimeOffset At { get; init; }
    public required string User { get; init; }
    public ImmutableArray<string> Roles { get; init; } = [];
    public required string Action { get; init; }
    public required ObjectRef Object { get; init; }

    /// <summary>Every object the change touched (an ALB expose from a Deployment: its Service and its Ingress).</summary>
    public ImmutableArray<ObjectRef> Objects { get; init; } = [];
    public required string Outcome { get; init; }
    public string? Error { get; init; }
    public string Diff { get; init; } = "";
    public string DryRun { get; init; } = "";
    public string? RequestId { get; init; }
    public string? ClientAddress { get; init; }
    public bool Forced { get; init; }

    /// <summary>The change this one rolled back.</summary>
    public string? RollsBack { get; init; }

    /// <summary>The Kubernetes user the writes were sent as (Impersonate-User), when impersonation is on.</summary>
    public string? ImpersonatedUser { get; init; }

    /// <summary>What the user asked for.</summary>
    public ChangeRequest? Request { get; init; }

    /// <summary>JSON of what restores the state before this change (a request, or a delete of what it created).</summary>
    public string? Previous { get; init; }
}

/// <summary>Outcomes of an attempted apply.</summary>
public static class ChangeOutcomes
{
    public const string Applied = "applied";
    public const string Conflicted = "conflicted";
    public const string Failed = "failed";
    public const string Refused = "refused";
}

/// <summary>What the audit list shows (GET /api/v1/audit): filters, all optional.</summary>
public sealed record AuditQuery
{
    public string? Namespace { get; init; }
    public string? User { get; init; }
    public string? Object { get; init; }
    public DateTimeOffset? Since { get; init; }
    public int Limit { get; init; } = 500;
}

/// <summary>A change's progress towards a working endpoint, built from the feeds the pages use.</summary>
public sealed record ChangeProgress
{
    public required string ChangeId { get; init; }
    public ImmutableArray<ProgressStep> Steps { get; init; } = [];

    /// <summary>The first step not done, with how long it usually takes.</summary>
    public string? Stuck { get; init; }
}

public sealed record ProgressStep(string Name, ProgressState State, DateTimeOffset? At, string? Detail);

public enum ProgressState { Done, Waiting, Failed }

/// <summary>The signed-in user a change is made for.</summary>
public sealed record ChangeActor(string Name, ImmutableArray<string> Roles, string? ClientAddress = null, string? RequestId = null)
{
    /// <summary>The claim types read as the user's groups: identity providers' group and app-role claims.</summary>
    public static readonly IReadOnlyList<string> GroupClaimTypes = ["groups", "roles", ClaimTypes.Role, ClaimTypes.GroupSid, "cognito:groups"];

    /// <summary>The user's groups (for namespace scopes and Kubernetes impersonation), from <see cref="GroupClaimTypes"/>.</summary>
    public ImmutableArray<string> Groups { get; init; } = [];

    /// <summary>The actor of a signed-in user: the one way the page and the HTTP API both build it.</summary>
    public static ChangeActor Of(ClaimsPrincipal user, string? clientAddress = null, string? requestId = null)
    {
        ArgumentNullException.ThrowIfNull(user);
        return new ChangeActor(
            user.Identity?.Name ?? user.FindFirst("sub")?.Value ?? "unknown",
            [.. Authorization.DashboardUser.RolesOf(user)],
            clientAddress,
            requestId)
        {
            Groups = [.. user.Claims.Where(c => GroupClaimTypes.Contains(c.Type)).Select(c => c.Value).Distinct(StringComparer.Ordinal)],
        };
    }
}

/// <summary>A field another manager owns (server-side apply conflict).</summary>
public sealed record FieldConflict(string Manager, string Field);

/// <summary>Why the change service refused: the HTTP API turns it into problem details, the wizard shows it.</summary>
public sealed class ChangeRefusedException : Exception
{
    public ChangeRefusedException(ChangeRefusal reason, string message, IReadOnlyDictionary<string, string[]>? errors = null,
        IReadOnlyList<FieldConflict>? conflicts = null, ChangeRecord? record = null) : base(message)
    {
        Reason = reason;
        Errors = errors ?? new Dictionary<string, string[]>();
        Conflicts = conflicts ?? [];
        Record = record;
    }

    public ChangeRefusedException() : this(ChangeRefusal.Invalid, "The change was refused.") { }

    public ChangeRefusedException(string message) : this(ChangeRefusal.Invalid, message) { }

    public ChangeRefusedException(string message, Exception inner) : base(message, inner)
    {
        Errors = new Dictionary<string, string[]>();
        Conflicts = [];
    }

    public ChangeRefusal Reason { get; }
    public IReadOnlyDictionary<string, string[]> Errors { get; }
    public IReadOnlyList<FieldConflict> Conflicts { get; }

    /// <summary>The audit record of the refused apply, when one was written.</summary>
    public ChangeRecord? Record { get; }
}

public enum ChangeRefusal
{
    /// <summary>Bad input: <see cref="ChangeRefusedException.Errors"/> names each field (422).</summary>
    Invalid,
    /// <summary>No such plan, change or object (404).</summary>
    NotFound,
    /// <summary>Not the user's plan, not Operator, or writes are switched off (403).</summary>
    Forbidden,
    /// <summary>The object changed since planning, or fields belong to another manager (409).</summary>
    Conflict,
    /// <summary>The plan is too old (410).</summary>
    Expired,
    /// <summary>The cluster refused or failed (502).</summary>
    Failed,
}

/// <summary>
/// The one plan/apply service. Pages and the HTTP API both call it; neither builds a manifest nor calls Kubernetes itself.
/// </summary>
public interface IChangeService
{
    /// <summary>Writes are switched off in configuration (Dashboard:Changes:ReadOnly).</summary>
    bool ReadOnly { get; }

    /// <summary>A form pre-filled for an expose of a Deployment or Service (health check from the readinessProbe) or from a live endpoint.</summary>
    Task<ChangeDraft> DraftAsync(ChangeRequest seed, ChangeActor actor, CancellationToken cancellationToken);

    /// <summary>Validates, dry-runs and diffs; throws <see cref="ChangeRefusedException"/> (Invalid) naming each bad field.</summary>
    Task<ChangePlan> PlanAsync(ChangeRequest request, ChangeActor actor, CancellationToken cancellationToken);

    /// <summary>A plan made earlier by the same user, while it has not expired.</summary>
    Task<ChangePlan?> FindPlanAsync(string planId, ChangeActor actor, CancellationToken cancellationToken);

    /// <summary>Applies a plan (server-side apply, field manager endpoint-dashboard) and records it; Operator only.</summary>
    Task<ChangeRecord> ApplyAsync(string planId, bool force, ChangeActor actor, CancellationToken cancellationToken);

    /// <summary>A new plan that restores the state before <paramref name="changeId"/>.</summary>
    Task<ChangePlan> PlanRollbackAsync(string changeId, ChangeActor actor, CancellationToken cancellationToken);

    Task<ChangeRecord?> GetChangeAsync(string changeId, CancellationToken cancellationToken);

    /// <summary>Where the change's endpoint is now: accepted → reconciled → address → targets registered → healthy.</summary>
    ChangeProgress Progress(ChangeRecord change);

    Task<IReadOnlyList<ChangeRecord>> ListAsync(AuditQuery query, CancellationToken cancellationToken);

    /// <summary>What <paramref name="actor"/> may change (read-only switch, Operator role, namespace scopes): pages hide what it refuses.</summary>
    ChangeAccess AccessFor(ChangeActor actor);
}

/// <summary>A pre-filled form and what the user should know about it before changing anything.</summary>
public sealed record ChangeDraft
{
    public required ChangeRequest Request { get; init; }
    public ImmutableArray<ChangeWarning> Notes { get; init; } = [];

    /// <summary>Fields that replace the load balancer or a target group when changed, with why.</summary>
    public ImmutableDictionary<string, string> ReplacingFields { get; init; } = ImmutableDictionary<string, string>.Empty;

    /// <summary>Fields that cannot be changed here, with why.</summary>
    public ImmutableDictionary<string, string> ReadOnlyFields { get; init; } = ImmutableDictionary<string, string>.Empty;
    public CostComparison? Cost { get; init; }
}
