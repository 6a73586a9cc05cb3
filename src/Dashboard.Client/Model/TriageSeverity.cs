namespace Dashboard.Client.Model;

public enum TriageSeverity
{
    /// <summary>Every target of the endpoint unhealthy: an outage (an ALB fails open).</summary>
    Outage = 0,
    /// <summary>Some targets unhealthy.</summary>
    Degraded = 1,
    /// <summary>Draining or initial longer than expected.</summary>
    Stuck = 2,
    /// <summary>Not in use / unavailable.</summary>
    Notice = 3,
}
