namespace Dashboard.Client.Model;

public sealed record PodView(string Namespace, string Name, string Phase, bool Ready, int Restarts, string? NodeName, string? ReadinessGate, string? ReadinessProbePath, string? ReadinessProbePort);
