using Dashboard.Client.Changes;

namespace Dashboard.Server.Changes;

/// <summary>Namespace scopes (<see cref="ChangeOptions.Scopes"/>) and impersonation, checked by the one service behind the page and the API.</summary>
public sealed partial class ChangeService
{
    /// <summary>The namespaces <paramref name="actor"/> may change (<c>*</c>: all); null when no scope is configured (no limit).</summary>
    internal static IReadOnlySet<string>? NamespacesFor(IReadOnlyList<ChangeScope> scopes, ChangeActor actor)
    {
        if (scopes.Count == 0)
        {
            return null;
        }
        var groups = actor.Groups.Concat(actor.Roles).ToHashSet(StringComparer.Ordinal);
        return scopes
            .Where(s => s.Users.Contains(actor.Name, StringComparer.Ordinal) || s.Groups.Any(groups.Contains))
            .SelectMany(s => s.Namespaces)
            .ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>What <paramref name="actor"/> may change: the same rules <see cref="ApplyAsync"/> enforces, for pages to hide what it would refuse.</summary>
    public ChangeAccess AccessFor(ChangeActor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var allowed = NamespacesFor(options.Value.Scopes, actor);
        return new ChangeAccess
        {
            ReadOnly = ReadOnly,
            Operator = actor.Roles.Contains(Client.Authorization.DashboardRoles.Operator),
            Namespaces = allowed is null || allowed.Contains("*") ? null : [.. allowed.Order(StringComparer.Ordinal)],
        };
    }

    /// <summary>Refuses (403) a change in a namespace outside the actor's scopes, naming the namespaces they have.</summary>
    private void RequireScope(ChangeActor actor, IEnumerable<string?> namespaces)
    {
        if (NamespacesFor(options.Value.Scopes, actor) is not { } allowed || allowed.Contains("*"))
        {
            return;
        }
        var outside = namespaces.Where(n => !string.IsNullOrEmpty(n) && !allowed.Contains(n!)).Distinct(StringComparer.Ordinal).ToList();
        if (outside.Count == 0)
        {
            return;
        }
        var key = $"{ChangeOptions.SectionName}:Scopes";
        throw new ChangeRefusedException(ChangeRefusal.Forbidden, allowed.Count == 0
            ? $"{actor.Name} may not change endpoints in namespace {string.Join(", ", outside)}: no entry of {key} names this user or one of their groups "
              + $"({(actor.Groups.Length > 0 ? string.Join(", ", actor.Groups) : "none")}). Ask an administrator to add a scope for {string.Join(", ", outside)}."
            : $"{actor.Name} may change endpoints only in namespace {string.Join(", ", allowed.Order(StringComparer.Ordinal))} ({key}); "
              + $"{string.Join(", ", outside)} is not one of them. Ask an administrator to add it to your scope, or ask its owners to make the change.");
    }

    private static IEnumerable<string?> Namespaces(ChangeRequest request) =>
        request.Action == ChangeActions.Expose ? [request.Namespace] : [request.Target?.Namespace];

    /// <summary>The writes of <paramref name="actor"/>: sent as them when impersonation is on, else as the dashboard.</summary>
    private async Task<ClusterWrites> WritesAsync(ChangeActor actor, CancellationToken cancellationToken) =>
        new(await connection.GetClientAsync(cancellationToken),
            options.Value.Impersonation.Enabled ? ClusterWrites.ImpersonationHeaders(actor, options.Value.Impersonation) : null);

    /// <summary>The message of a write the cluster's RBAC refused.</summary>
    private static string RbacMessage(ClusterWrites writes, string message) => writes.ImpersonatedUser is { } user
        ? $"Kubernetes RBAC refused the change for {user} (the dashboard impersonates the signed-in user): {message} Ask for a Role granting it in that namespace."
        : $"Kubernetes RBAC refused the dashboard's own identity: {message} Grant its service account the verbs in deploy/ (rbac).";
}
