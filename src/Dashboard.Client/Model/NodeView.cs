namespace Dashboard.Client.Model;

public sealed record NodeView(string Name, bool Ready, string? Zone, string? InstanceId);
