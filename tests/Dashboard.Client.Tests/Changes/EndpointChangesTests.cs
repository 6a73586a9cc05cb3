using System.Security.Claims;
using Bunit;
using Dashboard.Client.Authorization;
using Dashboard.Client.Changes;
using Dashboard.Client.Components.Pages.Endpoints;
using Dashboard.Client.Feed;
using Dashboard.Client.Model;
using Dashboard.Client.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using static Dashboard.Client.Tests.Support.TopologyObjects;

namespace Dashboard.Client.Tests.Changes;

/// <summary>
/// The endpoint page's guided-change parts: Reconfigure/Unexpose offered only to a user the change service would let
/// change the namespace, and the Changes section listing the object's audit entries, live.
/// </summary>
public class EndpointChangesTests : DashboardTestContext
{
    private readonly FakeChangeService _changes = new();

    public EndpointChangesTests()
    {
        Services.AddSingleton<IChangeService>(_changes);
        RenderPopoverProvider();
        Feed.Endpoints[ForecastIngress.Key] = ForecastEndpoint();
    }

    private IRenderedComponent<EndpointPage> RenderForecast() =>
        Render<EndpointPage>(p => p.Add(x => x.Kind, "ingress").Add(x => x.Namespace, ForecastIngress.Namespace).Add(x => x.Name, ForecastIngress.Name));

    private void SignInAs(params string[] roles) =>
        Authorization.SetClaims([.. roles.Select(r => new Claim(DashboardRoles.ClaimType, r))]);

    private static ChangeRecord Record(string id, DateTimeOffset at, ObjectRef target, string outcome = ChangeOutcomes.Applied, string user = "alice") => new()
    {
        ChangeId = id,
        PlanId = "p-" + id,
        At = at,
        User = user,
        Action = ChangeActions.Reconfigure,
        Object = target,
        Outcome = outcome,
        Diff = "-    alb.ingress.kubernetes.io/healthcheck-path: /a\n+    alb.ingress.kubernetes.io/healthcheck-path: /b\n",
    };

    private static bool Offered(IRenderedComponent<EndpointPage> page) =>
        page.FindAll("[data-testid='reconfigure']").Count == 1 && page.FindAll("[data-testid='unexpose']").Count == 1;

    [Fact]
    public void An_operator_sees_reconfigure_and_unexpose_only_in_a_namespace_of_their_scope()
    {
        SignInAs(DashboardRoles.Viewer, DashboardRoles.Operator);
        _changes.Namespaces = ["payments"];

        var outside = RenderForecast();

        Assert.False(Offered(outside));
        Assert.Equal("on-call", _changes.Actors.Last().Name);
        Assert.Contains(DashboardRoles.Operator, _changes.Actors.Last().Roles);

        _changes.Namespaces = ["payments", "mlops"];
        Assert.True(Offered(RenderForecast()));
        _changes.Namespaces = null;
        Assert.True(Offered(RenderForecast()));
    }

    [Fact]
    public void A_viewer_and_a_read_only_dashboard_offer_no_change_action()
    {
        SignInAs(DashboardRoles.Viewer);
        Assert.False(Offered(RenderForecast()));

        SignInAs(DashboardRoles.Viewer, DashboardRoles.Operator);
        _changes.ReadOnly = true;
        Assert.False(Offered(RenderForecast()));
        // The read part stays: the section of the object's changes is shown to everyone.
        Assert.Single(RenderForecast().FindAll("[data-testid='endpoint-changes']"));
    }

    [Fact]
    public void The_expose_entry_of_the_menu_is_offered_to_an_operator_with_some_scope_only()
    {
        SignInAs(DashboardRoles.Viewer, DashboardRoles.Operator);
        _changes.Namespaces = [];
        var gate = Render<Dashboard.Client.Components.Pages.Changes.ChangeGate>(p => p.AddChildContent("<a data-testid='expose-entry'>Expose</a>"));
        Assert.Empty(gate.FindAll("[data-testid='expose-entry']"));

        _changes.Namespaces = ["payments"];
        gate = Render<Dashboard.Client.Components.Pages.Changes.ChangeGate>(p => p.AddChildContent("<a data-testid='expose-entry'>Expose</a>"));
        Assert.Single(gate.FindAll("[data-testid='expose-entry']"));
    }

    [Fact]
    public void The_changes_section_lists_the_objects_audit_entries_and_shows_a_new_one_without_reload()
    {
        var older = Record("c-old", Objects.Now.AddHours(-3), ForecastIngress, ChangeOutcomes.Conflicted, user: "bob");
        _changes.Stored = [older, Record("c-other", Objects.Now.AddHours(-2), new ObjectRef(ObjectKind.Service, "mlops", "other"))];
        Feed.Audit.Snapshot = [Record("c-recent", Objects.Now.AddMinutes(-30), ForecastIngress)];

        var cut = RenderForecast();

        cut.WaitForAssertion(() => Assert.Equal(["c-recent", "c-old"], cut.FindAll("[data-testid='endpoint-change']").Select(r => r.GetAttribute("data-change-id"))), Timeout);
        Assert.Equal("ingress/mlops/retail-forecast", _changes.Queries.Single().Object);
        var old = cut.Find("[data-testid='endpoint-change'][data-change-id='c-old']");
        Assert.Contains("bob", old.TextContent, StringComparison.Ordinal);
        Assert.Equal("conflicted", old.GetAttribute("data-outcome"));
        Assert.Equal("changes/new?change=c-old", old.QuerySelector("[data-testid='endpoint-change-progress']")!.GetAttribute("href"));
        Assert.Equal("audit?object=ingress%2Fmlops%2Fretail-forecast", cut.Find("[data-testid='endpoint-changes-audit']").GetAttribute("href"));
        Assert.Contains("GET /api/v1/audit?object=ingress%2Fmlops%2Fretail-forecast", cut.Find("[data-testid='endpoint-changes']").TextContent, StringComparison.Ordinal);

        // Applied on any replica: the feed pushes it; a record of another object is not this page's.
        var applied = Record("c-new", Objects.Now, ForecastIngress, user: "carol");
        Feed.Audit.Push(FeedChange<ChangeRecord>.Upsert("c-new", applied),
            FeedChange<ChangeRecord>.Upsert("c-elsewhere", Record("c-elsewhere", Objects.Now, new ObjectRef(ObjectKind.Ingress, "shop", "storefront"))));

        cut.WaitForAssertion(() => Assert.Equal(["c-new", "c-recent", "c-old"], cut.FindAll("[data-testid='endpoint-change']").Select(r => r.GetAttribute("data-change-id"))), Timeout);

        cut.Find("[data-change-id='c-new'] [data-testid='endpoint-change-diff']").Click();
        cut.WaitForAssertion(() => Assert.Contains("healthcheck-path: /b", cut.Find("[data-testid='endpoint-changes'] pre.diff").TextContent, StringComparison.Ordinal), Timeout);
    }

    [Fact]
    public void With_no_change_recorded_the_section_says_so()
    {
        var cut = RenderForecast();

        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid='endpoint-changes-none']")), Timeout);
    }
}
