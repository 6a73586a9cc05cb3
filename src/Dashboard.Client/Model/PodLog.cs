namespace Dashboard.Client.Model;

/// <summary>A bounded log tail; <see cref="Error"/> says why it could not be read.</summary>
public sealed record PodLog(string Namespace, string Pod, string Text, bool Truncated, string? Error, DateTimeOffset AsOf);
