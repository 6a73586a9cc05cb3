using System.Collections.Immutable;
using Dashboard.Client.Authorization;
using Dashboard.Client.Changes;

namespace Dashboard.Client.Tests.Changes;

/// <summary>The change service as far as the pages' change buttons and sections use it: access by the actor's roles and the configured scope, and the stored audit trail.</summary>
internal sealed class FakeChangeService : IChangeService
{
    public bool ReadOnly { get; set; }

    public ImmutableArray<string>? Namespaces { get; set; }

    public IReadOnlyList<ChangeRecord> Stored { get; set; } = [];

    public List<ChangeActor> Actors { get; } = [];

    public List<AuditQuery> Queries { get; } = [];

    public ChangeAccess AccessFor(ChangeActor actor)
    {
        Actors.Add(actor);
        return new ChangeAccess { ReadOnly = ReadOnly, Operator = actor.Roles.Contains(DashboardRoles.Operator), Namespaces = Namespaces };
    }

    public Task<IReadOnlyList<ChangeRecord>> ListAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        Queries.Add(query);
        return Task.FromResult<IReadOnlyList<ChangeRecord>>([.. Stored.Where(r => query.Object is null || r.Object.ToString() == query.Object).Take(query.Limit)]);
    }

    public Task<ChangeDraft> DraftAsync(ChangeRequest seed, ChangeActor actor, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<ChangePlan> PlanAsync(ChangeRequest request, ChangeActor actor, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<ChangePlan?> FindPlanAsync(string planId, ChangeActor actor, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<ChangeRecord> ApplyAsync(string planId, bool force, ChangeActor actor, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<ChangePlan> PlanRollbackAsync(string changeId, ChangeActor actor, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<ChangeRecord?> GetChangeAsync(string changeId, CancellationToken cancellationToken) => throw new NotSupportedException();

    public ChangeProgress Progress(ChangeRecord change) => throw new NotSupportedException();
}
