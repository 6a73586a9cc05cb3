namespace Dashboard.Client.Tests.Support;

/// <summary>The bUnit context of the topology pages: the dashboard context with a popover provider.</summary>
public abstract class TopologyTestContext : DashboardTestContext
{
    protected TopologyTestContext() => RenderPopoverProvider();

    /// <summary>The same test feed as <see cref="DashboardTestContext.Feed"/>, named for what these tests push.</summary>
    protected TestDashboardFeed Topology => Feed;
}
