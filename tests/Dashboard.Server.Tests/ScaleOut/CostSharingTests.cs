using Dashboard.Client.Model;
using Dashboard.Server.Tests.Costs;

namespace Dashboard.Server.Tests.ScaleOut;

/// <summary>
/// A follower's cost report from the Cost Explorer parts the leader published: the same figures, without a Cost
/// Explorer request of its own (USD 0.01 each), also when its scheduled refresh runs.
/// </summary>
public sealed class CostSharingTests(CostSandboxFixture fixture) : IClassFixture<CostSandboxFixture>
{
    [Fact]
    public async Task A_follower_builds_the_leaders_cost_explorer_figures_without_asking_cost_explorer()
    {
        await CostSandboxFixture.WaitUntilAsync(fixture.ScenarioJoined, "the scenario joined");
        var leader = fixture.NewCostService();
        var follower = fixture.NewCostService();
        follower.MayReadCostExplorer = static () => false;

        var leaderReport = await leader.RefreshAsync(CancellationToken.None);
        var parts = leader.ExportCostExplorerParts();
        var calls = fixture.CostExplorer.Calls;
        await follower.ImportCostExplorerPartsAsync(parts, rebuild: true, CancellationToken.None);
        var imported = follower.Current!;
        var refreshed = await follower.RefreshAsync(CancellationToken.None);

        Assert.Equal(calls, fixture.CostExplorer.Calls);
        Assert.Equal(0, follower.CostExplorerRequests);
        Assert.NotNull(leaderReport.Totals.ClusterTagMonthToDate);
        foreach (var report in new[] { imported, refreshed })
        {
            Assert.Equal(leaderReport.Totals.ClusterTagMonthToDate, report.Totals.ClusterTagMonthToDate);
            var leaderParts = leaderReport.Sources.Where(s => s.Key.StartsWith("ce-", StringComparison.Ordinal)).Select(s => (s.Key, s.State, s.AsOf));
            Assert.Equal(leaderParts, report.Sources.Where(s => s.Key.StartsWith("ce-", StringComparison.Ordinal)).Select(s => (s.Key, s.State, s.AsOf)));
        }
        Assert.Contains(refreshed.Sources, s => s.Key == "ce-cluster-tag" && s.State == CostSourceState.Live);
    }
}
