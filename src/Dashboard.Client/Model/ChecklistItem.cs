namespace Dashboard.Client.Model;

/// <summary>One line of the endpoint checklist (balancer exists, address assigned, health, TLS, DNS, WAF, monitoring).</summary>
public sealed record ChecklistItem(string Code, string Title, CheckState State, string Reason)
{
    /// <summary>The reason as a message key and arguments, rendered in each viewer's language; <see cref="Reason"/> is its English.</summary>
    public Localization.LocalText? ReasonText { get; init; }
}
