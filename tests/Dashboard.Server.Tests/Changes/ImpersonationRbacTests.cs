using k8s;
using k8s.Models;

namespace Dashboard.Server.Tests.Changes;

/// <summary>deploy/base/rbac.yaml offers the impersonation right guided changes need when impersonating, without granting it.</summary>
public sealed class ImpersonationRbacTests
{
    [Fact]
    public void The_impersonator_role_grants_only_impersonation_of_users_and_groups_and_is_not_bound_by_default()
    {
        var path = Path.Combine(RepositoryRoot(), "deploy", "base", "rbac.yaml");
        var documents = KubernetesYaml.LoadAllFromString(File.ReadAllText(path));

        var role = Assert.Single(documents.OfType<V1ClusterRole>(), r => r.Metadata.Name == "endpoint-dashboard-impersonator");
        var rule = Assert.Single(role.Rules);
        Assert.Equal(["impersonate"], rule.Verbs);
        Assert.Equal(["users", "groups"], rule.Resources);
        Assert.DoesNotContain(documents.OfType<V1ClusterRoleBinding>(), b => b.RoleRef.Name == role.Metadata.Name);
        Assert.DoesNotContain(documents.OfType<V1RoleBinding>(), b => b.RoleRef.Name == role.Metadata.Name);
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Dashboard.sln")))
        {
            directory = directory.Parent;
        }
        return directory?.FullName ?? throw new InvalidOperationException("Dashboard.sln not found above the test output folder.");
    }
}
