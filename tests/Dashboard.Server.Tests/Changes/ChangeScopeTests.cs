using System.Net;
using System.Security.Claims;
using Dashboard.Client.Authorization;
using Dashboard.Client.Changes;
using Dashboard.Server.Changes;
using k8s;
using k8s.Autorest;
using Dashboard.Client.Feed;
using Dashboard.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Dashboard.Server.Tests.Changes;

/// <summary>
/// The dashboard with namespace scopes and Kubernetes impersonation on: <c>paula</c> may change <c>payments</c>,
/// <c>sandbox-operator</c> (the sandbox's user with <c>edit</c> in default and mlops only) <c>mlops</c> and <c>payments</c>, and
/// every Viewer <c>storefront</c> (a dashboard role used as a group).
/// </summary>
public sealed class ScopedChangesFixture : ChangesFixture
{
    protected override IReadOnlyDictionary<string, string?> ExtraSettings { get; } = new Dictionary<string, string?>
    {
        ["Dashboard:Changes:Scopes:0:Users:0"] = "paula",
        ["Dashboard:Changes:Scopes:0:Namespaces:0"] = "payments",
        ["Dashboard:Changes:Scopes:1:Users:0"] = "sandbox-operator",
        ["Dashboard:Changes:Scopes:1:Namespaces:0"] = "mlops",
        ["Dashboard:Changes:Scopes:1:Namespaces:1"] = "payments",
        ["Dashboard:Changes:Scopes:2:Groups:0"] = "Viewer",
        ["Dashboard:Changes:Scopes:2:Namespaces:0"] = "storefront",
        ["Dashboard:Changes:Impersonation:Enabled"] = "true",
    };
}

/// <summary>Per-namespace scopes (the dashboard decides) and impersonation (the cluster's RBAC decides too), through /api/v1/changes.</summary>
public sealed class ChangeScopeTests(ScopedChangesFixture fixture) : IClassFixture<ScopedChangesFixture>
{
    private static object Expose(string ns, string deployment, string name) => new
    {
        action = "expose",
        @namespace = ns,
        workload = new { kind = "Deployment", name = deployment },
        via = "nlb",
        name,
        scheme = "internal",
        targetType = "ip",
        port = 80,
        targetPort = 8080,
        healthCheck = new { path = "/healthz" },
    };

    [Fact]
    public async Task An_operator_of_payments_may_not_plan_in_mlops_and_is_told_which_namespaces_are_theirs()
    {
        var (status, problem, _) = await fixture.PostAsync("/api/v1/changes/plan", Expose("mlops", "retail-forecast-api", "paula-try"), ChangesFixture.Operator, user: "paula");

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("forbidden", problem.GetProperty("code").GetString());
        var detail = problem.GetProperty("detail").GetString()!;
        Assert.Contains("only in namespace payments", detail, StringComparison.Ordinal);
        Assert.Contains("mlops is not one of them", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_dashboard_role_as_a_group_scopes_everyone_with_it()
    {
        var (status, problem, _) = await fixture.PostAsync("/api/v1/changes/plan", Expose("mlops", "retail-forecast-api", "zed-try"), ChangesFixture.Operator, user: "zed");

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Contains("only in namespace storefront", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Impersonated_the_user_applies_where_the_cluster_lets_them_and_the_audit_names_the_kubernetes_user()
    {
        var (_, plan, _) = await fixture.PostAsync("/api/v1/changes/plan", Expose("mlops", "retail-forecast-api", "impersonated-nlb"), ChangesFixture.Operator, user: "sandbox-operator");
        Assert.True(plan.GetProperty("dryRun").GetProperty("ok").GetBoolean(), plan.GetProperty("dryRun").GetProperty("message").GetString());

        var (status, applied, _) = await fixture.PostAsync($"/api/v1/changes/{plan.GetProperty("planId").GetString()}/apply", null, ChangesFixture.Operator, user: "sandbox-operator");

        Assert.Equal(HttpStatusCode.Accepted, status);
        var client = await fixture.KubernetesAsync();
        var service = await client.CoreV1.ReadNamespacedServiceAsync("impersonated-nlb", "mlops");
        Assert.Contains(service.Metadata.ManagedFields, m => m.Manager == "endpoint-dashboard");
        var (_, change) = await fixture.GetAsync($"/api/v1/changes/{applied.GetProperty("changeId").GetString()}");
        Assert.Equal("sandbox-operator", change.GetProperty("change").GetProperty("impersonatedUser").GetString());
    }

    [Fact]
    public async Task Where_the_dashboard_allows_but_the_cluster_does_not_the_dry_run_and_the_apply_say_RBAC_refused()
    {
        // payments is in sandbox-operator's dashboard scope, but the cluster grants that user nothing there.
        var (_, plan, _) = await fixture.PostAsync("/api/v1/changes/plan", Expose("payments", "payments-api", "rbac-denied"), ChangesFixture.Operator, user: "sandbox-operator");
        Assert.False(plan.GetProperty("dryRun").GetProperty("ok").GetBoolean());
        Assert.Contains(plan.GetProperty("warnings").EnumerateArray(), w => w.GetProperty("code").GetString() == "rbac-forbidden"
            && w.GetProperty("message").GetString()!.Contains("sandbox-operator", StringComparison.Ordinal));

        var (status, problem, _) = await fixture.PostAsync($"/api/v1/changes/{plan.GetProperty("planId").GetString()}/apply", null, ChangesFixture.Operator, user: "sandbox-operator");

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Contains("Kubernetes RBAC refused the change for sandbox-operator", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var client = await fixture.KubernetesAsync();
        var missing = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.ReadNamespacedServiceAsync("rbac-denied", "payments"));
        Assert.Equal(HttpStatusCode.NotFound, missing.Response.StatusCode);
        var (_, audit) = await fixture.GetAsync("/api/v1/audit?namespace=payments&user=sandbox-operator");
        Assert.Contains(audit.GetProperty("items").EnumerateArray(), e => e.GetProperty("outcome").GetString() == "failed");
    }

    [Fact]
    public async Task The_access_endpoint_tells_pages_what_to_hide_by_the_same_scopes_the_service_enforces()
    {
        var (status, paula) = await fixture.GetAsync("/api/v1/changes/access?namespace=mlops", ChangesFixture.Operator, user: "paula");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(paula.GetProperty("operator").GetBoolean());
        Assert.False(paula.GetProperty("readOnly").GetBoolean());
        // Her own scope, and storefront through the scope of every Viewer (the role as a group).
        Assert.Equal(["payments", "storefront"], paula.GetProperty("namespaces").EnumerateArray().Select(n => n.GetString()));
        Assert.True(paula.GetProperty("mayChangeAny").GetBoolean());
        Assert.False(paula.GetProperty("mayChangeNamespace").GetBoolean());
        var (_, inScope) = await fixture.GetAsync("/api/v1/changes/access?namespace=payments", ChangesFixture.Operator, user: "paula");
        Assert.True(inScope.GetProperty("mayChangeNamespace").GetBoolean());

        // A Viewer is scoped to storefront (the role as a group) but holds no Operator role: nothing to change anywhere.
        var (_, viewer) = await fixture.GetAsync("/api/v1/changes/access?namespace=storefront", ChangesFixture.Viewer, user: "vera");
        Assert.False(viewer.GetProperty("operator").GetBoolean());
        Assert.False(viewer.GetProperty("mayChangeAny").GetBoolean());
        Assert.False(viewer.GetProperty("mayChangeNamespace").GetBoolean());

        // The service agrees: the plan the hidden button would have led to is refused.
        var (refused, _, _) = await fixture.PostAsync("/api/v1/changes/plan", Expose("mlops", "retail-forecast-api", "paula-hidden"), ChangesFixture.Operator, user: "paula");
        Assert.Equal(HttpStatusCode.Forbidden, refused);

        var (bad, problem) = await fixture.GetAsync("/api/v1/changes/access?namespace=Not_A_Namespace", ChangesFixture.Operator, user: "paula");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad);
        Assert.True(problem.GetProperty("errors").TryGetProperty("namespace", out _));
    }

    [Fact]
    public async Task An_applied_change_reaches_the_live_audit_feed_the_endpoint_page_shows()
    {
        var feed = fixture.Services.GetRequiredService<IDashboardFeed>();
        using var stop = new CancellationTokenSource(Patience.Eventually);
        var subscription = feed.Audit.Subscribe(stop.Token);
        var (_, plan, _) = await fixture.PostAsync("/api/v1/changes/plan", Expose("mlops", "retail-forecast-api", "audit-live-nlb"), ChangesFixture.Operator, user: "sandbox-operator");

        var (status, applied, _) = await fixture.PostAsync($"/api/v1/changes/{plan.GetProperty("planId").GetString()}/apply", null, ChangesFixture.Operator, user: "sandbox-operator");

        Assert.Equal(HttpStatusCode.Accepted, status);
        var changeId = applied.GetProperty("changeId").GetString()!;
        Assert.DoesNotContain(subscription.Snapshot, r => r.ChangeId == changeId);
        ChangeRecord? pushed = null;
        await foreach (var batch in subscription.Changes.WithCancellation(stop.Token))
        {
            pushed = batch.FirstOrDefault(c => c.Key == changeId)?.Item;
            if (pushed is not null)
            {
                break;
            }
        }
        Assert.Equal(new Dashboard.Client.Model.ObjectRef(Dashboard.Client.Model.ObjectKind.Service, "mlops", "audit-live-nlb"), pushed?.Object);
        Assert.Equal(ChangeOutcomes.Applied, pushed?.Outcome);
        // The HTTP API equivalent of the endpoint page's section lists the same record.
        var (_, audit) = await fixture.GetAsync("/api/v1/audit?object=service/mlops/audit-live-nlb");
        Assert.Equal([changeId], audit.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("id").GetString()));
    }
}

/// <summary>Who a scope names, and what the page and the API read as the user's groups.</summary>
public sealed class ChangeScopeRulesTests
{
    private static readonly List<ChangeScope> Scopes =
    [
        new() { Groups = ["team-payments"], Namespaces = ["payments"] },
        new() { Users = ["root"], Namespaces = ["*"] },
        new() { Groups = ["team-retail", "Operator"], Namespaces = ["mlops", "retail"] },
    ];

    [Fact]
    public void Groups_come_from_the_group_and_role_claims_and_scopes_add_up()
    {
        var identity = new ClaimsIdentity("test", ClaimTypes.Name, DashboardRoles.ClaimType);
        identity.AddClaim(new Claim(ClaimTypes.Name, "paula"));
        identity.AddClaim(new Claim("groups", "team-payments"));
        identity.AddClaim(new Claim("email", "team-retail"));
        identity.AddClaim(new Claim(DashboardRoles.ClaimType, DashboardRoles.Viewer));
        var actor = ChangeActor.Of(new ClaimsPrincipal(identity));

        Assert.Equal(["team-payments"], actor.Groups.ToArray());
        Assert.Equal(["payments"], ChangeService.NamespacesFor(Scopes, actor)!.Order());
        // With the Operator role too, the scope naming that role adds its namespaces.
        Assert.Equal(["mlops", "payments", "retail"], ChangeService.NamespacesFor(Scopes, actor with { Roles = ["Viewer", "Operator"] })!.Order());
        Assert.Equal(["*"], ChangeService.NamespacesFor(Scopes, new ChangeActor("root", []))!.ToArray());
        Assert.Empty(ChangeService.NamespacesFor(Scopes, new ChangeActor("nobody", ["Viewer"]))!);
        Assert.Null(ChangeService.NamespacesFor([], new ChangeActor("anyone", [])));
    }

    [Fact]
    public void A_scope_without_people_or_with_a_bad_namespace_stops_start_up_naming_the_key()
    {
        var result = new ValidateChangeOptions().Validate(null, new ChangeOptions
        {
            Scopes = [new ChangeScope { Namespaces = ["Payments"] }, new ChangeScope { Users = ["a"] }],
        });

        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, f => f.Contains("Dashboard:Changes:Scopes:0 names nobody", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.Contains("'Payments'", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.Contains("Dashboard:Changes:Scopes:1:Namespaces is empty", StringComparison.Ordinal));
    }

    [Fact]
    public void Impersonation_sends_the_user_and_each_group_with_the_configured_prefixes()
    {
        var headers = ClusterWrites.ImpersonationHeaders(new ChangeActor("paula", ["Operator"]) { Groups = ["team-payments", "oncall"] },
            new ImpersonationOptions { Enabled = true, UserPrefix = "oidc:", GroupPrefix = "oidc:" });

        Assert.Equal(["oidc:paula"], headers["Impersonate-User"]);
        // Dashboard roles are not Kubernetes groups: only the sign-in's groups are sent.
        Assert.Equal(["oidc:team-payments", "oidc:oncall"], headers["Impersonate-Group"]);
    }
}
