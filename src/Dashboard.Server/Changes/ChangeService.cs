using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text.Json;
using Dashboard.Client.Authorization;
using Dashboard.Client.Changes;
using Dashboard.Client.Feed;
using Dashboard.Client.Model;
using Dashboard.Server.Audit;
using Dashboard.Server.Aws;
using Dashboard.Server.Costs;
using Dashboard.Server.Kubernetes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Options;

namespace Dashboard.Server.Changes;

/// <summary>
/// The one plan/apply service of guided changes (pages and /api/v1/changes both call it): validate → build the applied
/// configuration → server-side dry run (<c>dryRun=All</c>) → diff of the live object against the server's answer →
/// warnings and lints → plan (kept for <see cref="ChangeOptions.PlanLifetime"/>, for its user only) → apply with server-side
/// apply (field manager <c>endpoint-dashboard</c>, the plan's resourceVersion as precondition) → audit record and a
/// Kubernetes Event → progress from the feeds. Rollback is a new plan through the same path.
/// </summary>
public sealed partial class ChangeService(
    KubernetesConnection connection,
    IDashboardFeed feed,
    IAuditStore audit,
    PlanStore plans,
    IOptions<ChangeOptions> options,
    IOptions<CostOptions> costs,
    IOptions<AwsOptions> aws,
    TimeProvider time,
    ILogger<ChangeService> logger) : IChangeService
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly ConcurrentDictionary<(string Change, string Step), DateTimeOffset> _seen = new();

    public bool ReadOnly => options.Value.ReadOnly;

    public async Task<ChangeDraft> DraftAsync(ChangeRequest seed, ChangeActor actor, CancellationToken cancellationToken)
    {
        RequireScope(actor, Namespaces(seed));
        var writes = await WritesAsync(cancellationToken);
        var notes = ImmutableArray.CreateBuilder<ChangeWarning>();
        if (seed.Action is ChangeActions.Reconfigure or ChangeActions.Unexpose && seed.Target is { Kind: not null, Namespace: not null, Name: not null } t)
        {
            var target = new ObjectRef(t.Kind == "Ingress" ? ObjectKind.Ingress : ObjectKind.Service, t.Namespace, t.Name);
            var live = await writes.ReadAsync(target, cancellationToken)
                ?? throw new ChangeRefusedException(ChangeRefusal.NotFound, $"No {t.Kind} {t.Namespace}/{t.Name}.");
            var request = live is V1Service service ? ManifestBuilder.FromService(service) : ManifestBuilder.FromIngress((V1Ingress)live);
            if (ChangeWarnings.GitOps(live.Metadata) is { } gitOps)
            {
                notes.Add(gitOps);
            }
            if (live is V1Ingress ingress && ChangeWarnings.BlastRadius(request.Group, t.Namespace, t.Name, feed.Ingresses.Snapshot) is { } blast)
            {
                notes.Add(blast);
            }
            return new ChangeDraft
            {
                Request = request with { Action = seed.Action },
                Notes = notes.ToImmutable(),
                ReplacingFields = ChangeWarnings.ReplacingFields(target.Kind == ObjectKind.Ingress),
                ReadOnlyFields = ChangeWarnings.ReadOnlyFields(),
                Cost = Comparison(),
            };
        }
        var ns = seed.Namespace ?? "";
        var workload = seed.Workload ?? new WorkloadRef("Deployment", null);
        var draft = seed with { Action = ChangeActions.Expose, Via = seed.Via ?? "nlb", Scheme = seed.Scheme ?? "internet-facing", TargetType = seed.TargetType ?? "ip" };
        V1PodTemplateSpec? template = null;
        if (workload is { Kind: "Deployment", Name: { Length: > 0 } deploymentName })
        {
            template = (await writes.ReadDeploymentAsync(ns, deploymentName, cancellationToken))?.Spec?.Template;
        }
        else if (workload is { Kind: "Service", Name: { Length: > 0 } serviceName }
            && await writes.ReadAsync(new ObjectRef(ObjectKind.Service, ns, serviceName), cancellationToken) is V1Service service)
        {
            draft = draft with { Port = draft.Port ?? service.Spec?.Ports?.FirstOrDefault()?.Port };
            var pods = await writes.PodsAsync(ns, service.Spec?.Selector, cancellationToken);
            template = pods.FirstOrDefault() is { } pod ? new V1PodTemplateSpec { Spec = pod.Spec } : null;
        }
        var (check, note) = ManifestBuilder.HealthCheckFromProbe(template);
        if (note is not null)
        {
            notes.Add(new ChangeWarning(check is null ? "no-readiness-probe" : "health-check-from-probe", check is null ? LintSeverity.Warning : LintSeverity.Info, note));
        }
        draft = draft with
        {
            Name = draft.Name ?? (workload.Name is { Length: > 0 } n ? $"{n}-public" : null),
            Port = draft.Port ?? 80,
            TargetPort = draft.TargetPort ?? ManifestBuilder.FirstContainerPort(template),
            HealthCheck = draft.HealthCheck ?? check,
        };
        return new ChangeDraft { Request = draft, Notes = notes.ToImmutable(), ReplacingFields = ChangeWarnings.ReplacingFields(draft.Via == "alb"), Cost = Comparison() };
    }

    public async Task<ChangePlan> PlanAsync(ChangeRequest request, ChangeActor actor, CancellationToken cancellationToken)
    {
        var errors = ChangeValidation.Validate(request);
        if (errors.Count > 0)
        {
            throw Invalid(errors);
        }
        RequireScope(actor, Namespaces(request));
        var writes = await WritesAsync(actor, cancellationToken);
        var built = request.Action switch
        {
            ChangeActions.Expose => await BuildExposeAsync(request, writes, cancellationToken),
            ChangeActions.Reconfigure => await BuildReconfigureAsync(request, writes, cancellationToken),
            _ => await BuildUnexposeAsync(request, writes, cancellationToken),
        };
        return await FinishPlanAsync(request, request.Action!, built, actor, rollsBack: null, writes, cancellationToken);
    }

    public async Task<ChangePlan?> FindPlanAsync(string planId, ChangeActor actor, CancellationToken cancellationToken) =>
        await plans.FindAsync(planId, cancellationToken) is { } stored && stored.View.User == actor.Name && stored.View.ExpiresAt > time.GetUtcNow() ? stored.View : null;

    public async Task<ChangeRecord> ApplyAsync(string planId, bool force, ChangeActor actor, CancellationToken cancellationToken)
    {
        if (ReadOnly)
        {
            throw new ChangeRefusedException(ChangeRefusal.Forbidden, $"Changes are switched off on this dashboard ({ChangeOptions.SectionName}:ReadOnly).");
        }
        if (!actor.Roles.Contains(DashboardRoles.Operator))
        {
            throw new ChangeRefusedException(ChangeRefusal.Forbidden, "Applying a change needs the Operator role; you may preview plans.");
        }
        if (await plans.FindAsync(planId, cancellationToken) is not { } stored)
        {
            throw new ChangeRefusedException(ChangeRefusal.NotFound, $"No plan {planId}: it was applied already, or never made. Plan the change again.");
        }
        if (stored.View.User != actor.Name)
        {
            throw new ChangeRefusedException(ChangeRefusal.Forbidden, "This plan belongs to another user: plan the change yourself.");
        }
        RequireScope(actor, stored.Steps.Select(s => s.Target.Namespace));
        if (stored.View.ExpiresAt <= time.GetUtcNow())
        {
            await plans.TakeAsync(planId, cancellationToken);
            throw new ChangeRefusedException(ChangeRefusal.Expired, $"The plan expired at {stored.View.ExpiresAt:u}: plan the change again to see what it does now.");
        }
        // Taking the plan out of the shared store is the lock: of two applies (on any replicas) one wins.
        if (!await plans.TakeAsync(planId, cancellationToken))
        {
            throw new ChangeRefusedException(ChangeRefusal.NotFound, $"Plan {planId} is being applied already.");
        }
        var writes = await WritesAsync(actor, cancellationToken);
        var record = NewRecord(stored, actor, force) with { ImpersonatedUser = writes.ImpersonatedUser };

        // The precondition: every object as it was when planned.
        foreach (var step in stored.Steps)
        {
            var live = await writes.ReadAsync(step.Target, cancellationToken);
            var changed = step.Operation == PlannedOperation.Create ? live is not null : live?.Metadata.ResourceVersion != step.ResourceVersion;
            if (changed)
            {
                var message = live is null
                    ? $"{step.Target} was deleted since the plan was made: plan the change again."
                    : step.Operation == PlannedOperation.Create ? $"{step.Target} was created by someone else since the plan was made: plan the change again."
                    : $"{step.Target} changed since the plan was made (resourceVersion {step.ResourceVersion ?? "none"} → {live.Metadata.ResourceVersion}): plan the change again to see the current state.";
                var refused = record with { Outcome = ChangeOutcomes.Refused, Error = message };
                await audit.AppendAsync(refused, cancellationToken);
                throw new ChangeRefusedException(ChangeRefusal.Conflict, message, record: refused);
            }
        }

        var done = new List<(PlanStep Step, IKubernetesObject<V1ObjectMeta>? Before)>();
        try
        {
            foreach (var step in stored.Steps)
            {
                var before = await writes.ReadAsync(step.Target, cancellationToken);
                if (step.Operation == PlannedOperation.Delete)
                {
                    await writes.DeleteAsync(step.Target, step.ResourceVersion, dryRun: false, cancellationToken);
                }
                else
                {
                    await writes.ApplyAsync(step.Body!, dryRun: false, force, cancellationToken);
                }
                done.Add((step, before));
            }
        }
        catch (HttpOperationException e)
        {
            var (code, message, conflicts) = ClusterWrites.Describe(e);
            await UndoAsync(writes, done, cancellationToken);
            var outcome = conflicts.Count > 0 ? ChangeOutcomes.Conflicted : ChangeOutcomes.Failed;
            var failed = record with { Outcome = outcome, Error = $"{code}: {message}" + (done.Count > 0 ? $" (the {done.Count} object(s) applied before were restored)" : "") };
            await audit.AppendAsync(failed, cancellationToken);
            LogApplyFailed(stored.View.PlanId, record.Object.ToString(), code);
            throw conflicts.Count > 0
                ? new ChangeRefusedException(ChangeRefusal.Conflict, ConflictMessage(conflicts), conflicts: conflicts, record: failed)
                : code == 403 ? new ChangeRefusedException(ChangeRefusal.Forbidden, RbacMessage(writes, message), record: failed)
                : new ChangeRefusedException(code == 409 ? ChangeRefusal.Conflict : ChangeRefusal.Failed, $"The API server refused the change: {message}", record: failed);
        }

        await audit.AppendAsync(record, cancellationToken);
        LogApplied(record.ChangeId, record.Action, record.Object.ToString(), record.User);
        foreach (var (step, _) in done.Where(d => d.Step.Operation != PlannedOperation.Delete))
        {
            try
            {
                var live = await writes.ReadAsync(step.Target, cancellationToken);
                await writes.RecordEventAsync(step.Target, live?.Metadata.Uid,
                    $"{record.Action} by {record.User} through Endpoint Dashboard (change {record.ChangeId})", time.GetUtcNow(), cancellationToken);
            }
            catch (HttpOperationException e)
            {
                // The change is applied and audited; the Event only repeats it for kubectl describe.
                LogEventFailed(step.Target.ToString(), (int)e.Response.StatusCode);
            }
        }
        return record;
    }

    public async Task<ChangePlan> PlanRollbackAsync(string changeId, ChangeActor actor, CancellationToken cancellationToken)
    {
        var change = await audit.FindAsync(changeId, cancellationToken)
            ?? throw new ChangeRefusedException(ChangeRefusal.NotFound, $"No change {changeId} in the audit trail.");
        if (change.Outcome != ChangeOutcomes.Applied || change.Previous is null)
        {
            throw new ChangeRefusedException(ChangeRefusal.Invalid, $"Change {changeId} was {change.Outcome}: only an applied change can be rolled back.",
                new Dictionary<string, string[]> { ["changeId"] = [$"Change {changeId} was {change.Outcome}, so there is nothing to roll back."] });
        }
        RequireScope(actor, change.Objects.Select(o => o.Namespace).Append(change.Object.Namespace));
        var previous = JsonSerializer.Deserialize<PreviousState>(change.Previous, Json)!;
        var writes = await WritesAsync(actor, cancellationToken);
        var steps = new List<PlanStep>();
        ChangeRequest request;
        if (previous.Request is { } earlier)
        {
            request = earlier with { Action = ChangeActions.Reconfigure };
            var built = await BuildReconfigureAsync(request, writes, cancellationToken, checkCreationOnly: false);
            return await FinishPlanAsync(request, ChangeActions.Rollback, built, actor, changeId, writes, cancellationToken);
        }
        foreach (var target in previous.Delete ?? [])
        {
            var live = await writes.ReadAsync(target, cancellationToken);
            if (live is not null)
            {
                steps.Add(new PlanStep(target, PlannedOperation.Delete, null, live, live.Metadata.ResourceVersion));
            }
        }
        foreach (var restore in previous.Restore ?? [])
        {
            IKubernetesObject<V1ObjectMeta> body = restore.Kind == ObjectKind.Service ? KubernetesYaml.Deserialize<V1Service>(restore.Yaml) : KubernetesYaml.Deserialize<V1Ingress>(restore.Yaml);
            body.Metadata.Labels ??= new Dictionary<string, string>();
            body.Metadata.Labels[ManifestBuilder.CreatedByLabel] = "guided-change";
            var target = new ObjectRef(restore.Kind, body.Metadata.NamespaceProperty, body.Metadata.Name);
            steps.Add(new PlanStep(target, PlannedOperation.Create, body, await writes.ReadAsync(target, cancellationToken), null));
        }
        if (steps.Count == 0)
        {
            throw new ChangeRefusedException(ChangeRefusal.Invalid, $"Nothing to roll back: the objects change {changeId} made are gone already.");
        }
        request = new ChangeRequest { Action = ChangeActions.Rollback, Target = new TargetRef(change.Object.Kind.ToString(), change.Object.Namespace, change.Object.Name) };
        return await FinishPlanAsync(request, ChangeActions.Rollback, new Built(steps, [], new PreviousState(), []), actor, changeId, writes, cancellationToken);
    }

    public Task<ChangeRecord?> GetChangeAsync(string changeId, CancellationToken cancellationToken) => audit.FindAsync(changeId, cancellationToken);

    public Task<IReadOnlyList<ChangeRecord>> ListAsync(AuditQuery query, CancellationToken cancellationToken) => audit.ListAsync(query, cancellationToken);

    public ChangeProgress Progress(ChangeRecord change)
    {
        var target = change.Object;
        IReadOnlyList<string> addresses;
        bool exists;
        if (target.Kind == ObjectKind.Service)
        {
            var service = feed.Services.Snapshot.FirstOrDefault(s => s.Namespace == target.Namespace && s.Name == target.Name);
            exists = service is not null;
            addresses = service?.ExternalAddresses ?? [];
        }
        else
        {
            var ingress = feed.Ingresses.Snapshot.FirstOrDefault(i => i.Namespace == target.Namespace && i.Name == target.Name);
            exists = ingress is not null;
            addresses = ingress?.Addresses ?? [];
        }
        var endpoint = feed.Endpoint(target).Snapshot.FirstOrDefault();
        var path = change.Action is ChangeActions.Reconfigure or ChangeActions.Rollback ? change.Request?.HealthCheck?.Path : null;
        return ChangeProgressBuilder.Build(change, path, addresses, exists, endpoint, (step, done) =>
        {
            if (!done)
            {
                return null;
            }
            return _seen.GetOrAdd((change.ChangeId, step), _ => time.GetUtcNow());
        });
    }

    private ChangeRecord NewRecord(StoredPlan stored, ChangeActor actor, bool force)
    {
        var view = stored.View;
        var record = new ChangeRecord
        {
            ChangeId = NewId("c"),
            PlanId = view.PlanId,
            At = time.GetUtcNow(),
            User = actor.Name,
            Roles = actor.Roles,
            Action = view.Action,
            Object = stored.Steps.Last().Target,
            Objects = [.. stored.Steps.Select(s => s.Target)],
            Outcome = ChangeOutcomes.Applied,
            Diff = string.Join("\n", view.Objects.Select(o => o.Diff).Where(d => d.Length > 0)),
            DryRun = string.Join("\n", view.Objects.Select(o => $"{o.Object}: {(o.DryRun.Ok ? "ok" : o.DryRun.Message)}")),
            RequestId = actor.RequestId,
            ClientAddress = actor.ClientAddress,
            Forced = force,
            RollsBack = view.RollsBack,
            Previous = JsonSerializer.Serialize(stored.Previous, Json),
            Request = view.Request,
        };
        return record;
    }

    private async Task UndoAsync(ClusterWrites writes, List<(PlanStep Step, IKubernetesObject<V1ObjectMeta>? Before)> done, CancellationToken cancellationToken)
    {
        foreach (var (step, before) in Enumerable.Reverse(done))
        {
            try
            {
                if (before is null)
                {
                    await writes.DeleteAsync(step.Target, null, dryRun: false, cancellationToken);
                }
            }
            catch (HttpOperationException e)
            {
                LogUndoFailed(step.Target.ToString(), (int)e.Response.StatusCode);
            }
        }
    }

    private async Task<ClusterWrites> WritesAsync(CancellationToken cancellationToken) => new(await connection.GetClientAsync(cancellationToken));

    private static ChangeRefusedException Invalid(IReadOnlyDictionary<string, string[]> errors) =>
        new(ChangeRefusal.Invalid, "The change has invalid values: " + string.Join(" ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")), errors);

    private static string ConflictMessage(IReadOnlyList<FieldConflict> conflicts) =>
        "Fields belong to another field manager: " + string.Join("; ", conflicts.GroupBy(c => c.Manager).Select(g => $"\"{g.Key}\" owns {string.Join(", ", g.Select(c => c.Field))}"))
        + ". Take ownership (force, Operator, confirmed) or leave those fields out.";

    private static string NewId(string prefix) => prefix + "-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    private CostComparison Comparison()
    {
        var region = aws.Value.Region ?? ElbPrices.DefaultRegion;
        var prices = costs.Value.PricesFor(region);
        BalancerOption Option(string type, string layer, string[] features) => new()
        {
            Layer = layer,
            HourPrice = prices.HourFor(type),
            LcuHourPrice = prices.LcuHourFor(type),
            MonthAtOneLcu = CostEstimator.Round(730 * (prices.HourFor(type) + prices.LcuHourFor(type))),
            Features = [.. features],
        };
        return new CostComparison
        {
            Region = region,
            Alb = Option(BalancerTypes.Application, "Layer 7 (HTTP/HTTPS)", ["host and path rules", "TLS termination, HTTP→HTTPS redirect", "WAF", "one ALB shared by an IngressGroup", "sticky sessions (cookie)"]),
            Nlb = Option(BalancerTypes.Network, "Layer 4 (TCP/UDP/TLS)", ["any TCP/UDP protocol", "static IPs per zone", "preserves client IP", "very high throughput, low latency", "TLS termination"]),
        };
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Change {ChangeId} applied: {Action} of {Object} by {User}")]
    private partial void LogApplied(string changeId, string action, string @object, string user);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Plan {PlanId} for {Object} was refused by the API server ({Status})")]
    private partial void LogApplyFailed(string planId, string @object, int status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not record the change Event on {Object} ({Status})")]
    private partial void LogEventFailed(string @object, int status);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not undo the apply of {Object} after a later step failed ({Status}): check it by hand")]
    private partial void LogUndoFailed(string @object, int status);
}

/// <summary>One write of a plan: its target, the applied configuration (none for a delete), the live object and its resourceVersion.</summary>
internal sealed record PlanStep(ObjectRef Target, PlannedOperation Operation, IKubernetesObject<V1ObjectMeta>? Body, IKubernetesObject<V1ObjectMeta>? Live, string? ResourceVersion);

/// <summary>What restores the state before a change: a request (reconfigure), deletes (of created objects), restores (of deleted ones).</summary>
internal sealed record PreviousState
{
    public ChangeRequest? Request { get; init; }
    public List<ObjectRef>? Delete { get; init; }
    public List<RestoreObject>? Restore { get; init; }
}

internal sealed record RestoreObject(ObjectKind Kind, string Yaml);

internal sealed record StoredPlan(ChangePlan View, IReadOnlyList<PlanStep> Steps, PreviousState Previous);

/// <summary>A plan before its dry run: its steps, what restores the state before it, warnings and lints so far.</summary>
internal sealed record Built(List<PlanStep> Steps, List<ChangeWarning> Warnings, PreviousState Previous, List<Lint> Lints);
