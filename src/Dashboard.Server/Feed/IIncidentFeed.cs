using Dashboard.Client.Feed;
using Dashboard.Client.Model;

namespace Dashboard.Server.Feed;

/// <summary>What <see cref="DashboardFeed"/> needs of the incident history (Incidents/IncidentRecorder).</summary>
public interface IIncidentFeed
{
    IFeed<EndpointIncident> Incidents { get; }
}
