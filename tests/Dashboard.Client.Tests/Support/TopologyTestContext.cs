using Dashboard.Client.Feed;
using Microsoft.Extensions.DependencyInjection;

namespace Dashboard.Client.Tests.Support;

/// <summary>The bUnit context of the topology pages: the dashboard context plus a <see cref="TestTopologyFeed"/>.</summary>
public abstract class TopologyTestContext : DashboardTestContext
{
    protected TopologyTestContext()
    {
        Services.AddSingleton<ITopologyFeed>(Topology);
        RenderPopoverProvider();
    }

    protected TestTopologyFeed Topology { get; } = new();
}
