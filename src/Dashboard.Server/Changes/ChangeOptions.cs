using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Dashboard.Server.Changes;

/// <summary>
/// Guided changes (<c>Dashboard:Changes</c>): the read-only switch, how long a plan may wait for its apply, which
/// namespaces each user or group may change (<see cref="Scopes"/>) and whether writes go to Kubernetes as the signed-in
/// user (<see cref="Impersonation"/>).
/// </summary>
public sealed class ChangeOptions
{
    public const string SectionName = "Dashboard:Changes";

    /// <summary>Hides and refuses every write: plans may still be previewed, nothing is applied.</summary>
    public bool ReadOnly { get; set; }

    /// <summary>A plan older than this is refused at apply (the object may have moved on): plan again.</summary>
    public TimeSpan PlanLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Namespace scopes: empty means every Operator may change every namespace. When any is configured, a user may plan
    /// and apply changes only in the namespaces of the scopes that name them (<see cref="ChangeScope.Users"/>) or one of
    /// their groups (<see cref="ChangeScope.Groups"/>: the sign-in's <c>groups</c>/<c>roles</c> claims and the dashboard
    /// roles); a user no scope names may change nothing.
    /// </summary>
    public List<ChangeScope> Scopes { get; set; } = [];

    public ImpersonationOptions Impersonation { get; set; } = new();
}

/// <summary>One entry of <see cref="ChangeOptions.Scopes"/>: who (users or groups) may change which namespaces (<c>*</c>: all).</summary>
public sealed class ChangeScope
{
    public List<string> Users { get; set; } = [];
    public List<string> Groups { get; set; } = [];
    public List<string> Namespaces { get; set; } = [];
}

/// <summary>
/// <c>Dashboard:Changes:Impersonation</c>: when on, every dry run and apply is sent with <c>Impersonate-User</c> (the
/// signed-in user's name) and <c>Impersonate-Group</c> (their groups), so the cluster's RBAC decides too and its audit log
/// names the person. The dashboard's own identity then needs the <c>impersonate</c> verb on users and groups
/// (deploy/ has the ClusterRole).
/// </summary>
public sealed class ImpersonationOptions
{
    public bool Enabled { get; set; }

    /// <summary>Put before the user name, e.g. <c>oidc:</c> when the cluster's OIDC authenticator prefixes its users.</summary>
    public string UserPrefix { get; set; } = "";

    /// <summary>Put before each group name, e.g. <c>oidc:</c>.</summary>
    public string GroupPrefix { get; set; } = "";
}

/// <summary>Checks <see cref="ChangeOptions"/> at start, naming the key.</summary>
public sealed partial class ValidateChangeOptions : IValidateOptions<ChangeOptions>
{
    public ValidateOptionsResult Validate(string? name, ChangeOptions options)
    {
        var errors = new List<string>();
        if (options.PlanLifetime < TimeSpan.FromSeconds(10) || options.PlanLifetime > TimeSpan.FromHours(24))
        {
            errors.Add($"{ChangeOptions.SectionName}:PlanLifetime must be between 00:00:10 and 1.00:00:00 (it is {options.PlanLifetime}).");
        }
        for (var i = 0; i < options.Scopes.Count; i++)
        {
            var scope = options.Scopes[i];
            var key = $"{ChangeOptions.SectionName}:Scopes:{i}";
            if (scope.Users.Count == 0 && scope.Groups.Count == 0)
            {
                errors.Add($"{key} names nobody: give it Users or Groups (claim values of the sign-in, or a dashboard role).");
            }
            if (scope.Namespaces.Count == 0)
            {
                errors.Add($"{key}:Namespaces is empty: list the namespaces it may change, or \"*\" for all.");
            }
            foreach (var ns in scope.Namespaces.Where(n => n != "*" && !NamespaceName().IsMatch(n)))
            {
                errors.Add($"{key}:Namespaces has '{ns}', which is not a namespace name (lower-case letters, digits and '-', at most 63) nor \"*\".");
            }
        }
        return errors.Count > 0 ? ValidateOptionsResult.Fail(errors) : ValidateOptionsResult.Success;
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")]
    private static partial Regex NamespaceName();
}
