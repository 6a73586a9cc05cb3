using System.Security.Claims;
using Bunit;
using Dashboard.Client.Authorization;
using Dashboard.Client.Changes;
using Dashboard.Client.Components.Pages.Cost;
using Dashboard.Client.Tests.Cost;
using Dashboard.Client.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Dashboard.Client.Tests.Changes;

/// <summary>The Cost page's idle rows link to the guided unexpose of their owner, for whom may make it only.</summary>
public sealed class CostUnexposeTests : DashboardTestContext
{
    private readonly FakeChangeService _changes = new();

    public CostUnexposeTests()
    {
        Services.AddSingleton<IChangeService>(_changes);
        var report = CostReports.Scenario();
        // The seed's NLB without traffic: idle, its Service still there.
        Feed.CostReport = report with
        {
            Balancers = [.. report.Balancers.Select(b => b.Arn == CostReports.NlbArn
                ? b with { Idle = true, RecentRequests = 0, Fix = "No new flows in 7 days: unexpose it if nobody needs it." }
                : b)],
        };
        RenderPopoverProvider();
    }

    private string[] Links() =>
        [.. Render<CostPage>().FindAll("[data-testid=cost-unexpose]").Select(a => a.GetAttribute("href")!)];

    [Fact]
    public void An_operator_of_the_namespace_gets_the_unexpose_link_of_the_idle_balancers_owner_and_no_one_else_does()
    {
        Authorization.SetClaims(new Claim(DashboardRoles.ClaimType, DashboardRoles.Viewer), new Claim(DashboardRoles.ClaimType, DashboardRoles.Operator));
        _changes.Namespaces = ["mlops"];
        // The orphan (its Service gone) has no owner to unexpose; the busy balancers are not idle.
        Assert.Equal(["changes/new?action=unexpose&kind=Service&namespace=mlops&name=retail-forecast-nlb"], Links());

        _changes.Namespaces = ["payments"];
        Assert.Empty(Links());

        Authorization.SetClaims(new Claim(DashboardRoles.ClaimType, DashboardRoles.Viewer));
        _changes.Namespaces = null;
        Assert.Empty(Links());
    }
}
