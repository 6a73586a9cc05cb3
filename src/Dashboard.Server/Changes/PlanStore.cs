using System.Data.Common;
using System.Text.Json;
using Dashboard.Client.Changes;
using Dashboard.Client.Model;
using Dashboard.Server.Audit;
using Dashboard.Server.State;
using k8s;
using k8s.Models;

namespace Dashboard.Server.Changes;

/// <summary>
/// Plans between their preview and their apply, in the state store (table <c>dashboard_change_plans</c>), so a plan
/// made on one replica can be applied on another and survives a restart. A plan is taken (deleted) by the one apply
/// that wins it; expired plans are deleted when a new one is saved.
/// </summary>
public sealed class PlanStore(IStateStore store, StateSchema schema)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static StateMigration Migration { get; } = new(
        "2026-12-03-21-changes-plans",
        """
        CREATE TABLE IF NOT EXISTS dashboard_change_plans (
            plan_id TEXT PRIMARY KEY,
            user_name TEXT NOT NULL,
            expires_at INTEGER NOT NULL,
            plan TEXT NOT NULL);
        """,
        """
        CREATE TABLE IF NOT EXISTS dashboard_change_plans (
            plan_id text PRIMARY KEY,
            user_name text NOT NULL,
            expires_at bigint NOT NULL,
            plan text NOT NULL);
        """);

    internal async Task SaveAsync(StoredPlan plan, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using (var prune = connection.CreateCommand())
        {
            prune.CommandText = "DELETE FROM dashboard_change_plans WHERE expires_at <= @now;";
            StateAuditStore.Add(prune, "@now", now.ToUnixTimeMilliseconds());
            await prune.ExecuteNonQueryAsync(cancellationToken);
        }
        await using var insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO dashboard_change_plans (plan_id, user_name, expires_at, plan) VALUES (@id, @user, @expires, @plan);";
        StateAuditStore.Add(insert, "@id", plan.View.PlanId);
        StateAuditStore.Add(insert, "@user", plan.View.User);
        StateAuditStore.Add(insert, "@expires", plan.View.ExpiresAt.ToUnixTimeMilliseconds());
        StateAuditStore.Add(insert, "@plan", Write(plan));
        await insert.ExecuteNonQueryAsync(cancellationToken);
    }

    internal async Task<StoredPlan?> FindAsync(string planId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT plan FROM dashboard_change_plans WHERE plan_id = @id;";
        StateAuditStore.Add(command, "@id", planId);
        return await command.ExecuteScalarAsync(cancellationToken) is string json ? Read(json) : null;
    }

    /// <summary>Deletes the plan; true for the one caller that deleted it (two replicas applying the same plan: one wins).</summary>
    internal async Task<bool> TakeAsync(string planId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM dashboard_change_plans WHERE plan_id = @id;";
        StateAuditStore.Add(command, "@id", planId);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    private async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        await schema.EnsureMigratedAsync(cancellationToken);
        return await store.OpenConnectionAsync(cancellationToken);
    }

    internal static string Write(StoredPlan plan) => JsonSerializer.Serialize(new PersistedPlan
    {
        View = plan.View,
        // The live objects were for the preview only; the apply re-reads them.
        Steps = [.. plan.Steps.Select(s => new PersistedStep(s.Target, s.Operation, s.Body is null ? null : KubernetesJson.Serialize(s.Body), s.ResourceVersion))],
        Previous = plan.Previous,
    }, Json);

    internal static StoredPlan Read(string json)
    {
        var persisted = JsonSerializer.Deserialize<PersistedPlan>(json, Json)!;
        return new StoredPlan(
            persisted.View,
            [.. persisted.Steps.Select(s => new PlanStep(s.Target, s.Operation, Body(s.Target.Kind, s.Body), null, s.ResourceVersion))],
            persisted.Previous);
    }

    private static IKubernetesObject<V1ObjectMeta>? Body(ObjectKind kind, string? json) => json is null ? null : kind switch
    {
        ObjectKind.Service => KubernetesJson.Deserialize<V1Service>(json),
        ObjectKind.Ingress => KubernetesJson.Deserialize<V1Ingress>(json),
        _ => throw new InvalidOperationException($"A stored plan writes a {kind}, which guided changes never write."),
    };

    private sealed record PersistedPlan
    {
        public required ChangePlan View { get; init; }
        public required List<PersistedStep> Steps { get; init; }
        public required PreviousState Previous { get; init; }
    }

    private sealed record PersistedStep(ObjectRef Target, PlannedOperation Operation, string? Body, string? ResourceVersion);
}
