using System.Collections.Immutable;

namespace Dashboard.Client.Changes;

/// <summary>
/// What a signed-in user may change, so pages offer only the actions the change service would accept: nothing when
/// writes are switched off (<c>Dashboard:Changes:ReadOnly</c>) or the user is not an Operator, else the namespaces of
/// their scopes (<c>Dashboard:Changes:Scopes</c>; <see cref="Namespaces"/> null: every namespace). The service checks again
/// on every plan and apply — hiding a button is a courtesy, never the guard.
/// </summary>
public sealed record ChangeAccess
{
    /// <summary>Changes are switched off on this dashboard.</summary>
    public bool ReadOnly { get; init; }

    /// <summary>The user holds the Operator role.</summary>
    public bool Operator { get; init; }

    /// <summary>The namespaces the user may change; null: all (no scope configured, or a scope with <c>*</c>).</summary>
    public ImmutableArray<string>? Namespaces { get; init; }

    /// <summary>Nobody may change anything (no change service on this host).</summary>
    public static ChangeAccess None { get; } = new() { ReadOnly = true };

    /// <summary>The user may change something somewhere.</summary>
    public bool MayChangeAny => !ReadOnly && Operator && (Namespaces is null || Namespaces.Value.Length > 0);

    /// <summary>The user may plan and apply changes to objects in <paramref name="namespace"/>.</summary>
    public bool MayChange(string? @namespace) =>
        MayChangeAny && (Namespaces is null || (@namespace is not null && Namespaces.Value.Contains(@namespace, StringComparer.Ordinal)));
}
