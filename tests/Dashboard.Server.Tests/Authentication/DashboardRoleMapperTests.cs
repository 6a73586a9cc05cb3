using System.Security.Claims;
using Dashboard.Client.Authorization;
using Dashboard.Server.Authentication;

namespace Dashboard.Server.Tests.Authentication;

public sealed class DashboardRoleMapperTests
{
    private static ClaimsPrincipal User(params (string Type, string Value)[] claims) =>
        new(new ClaimsIdentity(claims.Select(claim => new Claim(claim.Type, claim.Value)), "test"));

    [Fact]
    public void Unconfigured_roles_map_from_claim_values_equal_to_their_names()
    {
        var mapper = new DashboardRoleMapper(new RoleMappingOptions(), ["roles"]);
        Assert.Equal([DashboardRoles.Viewer, DashboardRoles.Operator], mapper.RolesFor(User(("roles", "Operator"), ("roles", "Viewer"), ("roles", "Admin"))));
    }

    [Fact]
    public void Configured_groups_grant_roles_and_the_role_names_themselves_then_grant_nothing()
    {
        var mapping = new RoleMappingOptions { Viewer = ["ops", "on-call"], CostReader = ["finance"], Operator = ["platform"] };
        var mapper = new DashboardRoleMapper(mapping, ["cognito:groups"]);
        Assert.Equal([DashboardRoles.Viewer, DashboardRoles.CostReader], mapper.RolesFor(User(("cognito:groups", "on-call"), ("cognito:groups", "finance"))));
        Assert.Empty(mapper.RolesFor(User(("cognito:groups", "Operator"), ("cognito:groups", "Viewer"))));
    }

    [Fact]
    public void Values_of_other_claims_grant_nothing()
    {
        var mapper = new DashboardRoleMapper(new RoleMappingOptions(), ["roles"]);
        Assert.Empty(mapper.RolesFor(User(("name", "Viewer"), ("groups", "Operator"))));
    }

    [Fact]
    public void A_dashboard_role_claim_sent_by_the_provider_is_removed_before_mapping()
    {
        var mapper = new DashboardRoleMapper(new RoleMappingOptions(), ["roles"]);
        var user = User((DashboardRoles.ClaimType, DashboardRoles.Operator), ("roles", "Viewer"));
        mapper.Apply(user, (ClaimsIdentity)user.Identity!);
        Assert.Equal([DashboardRoles.Viewer], DashboardUser.RolesOf(user));
    }
}
