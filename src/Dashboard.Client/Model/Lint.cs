namespace Dashboard.Client.Model;

public enum LintSeverity { Info, Warning, Error }

/// <summary>Something an operator should know about an object's configuration, with the reason and the fix.</summary>
public sealed record Lint
{
    /// <summary>Stable identifier, e.g. "open-source-ranges", "deprecated-ingress-class".</summary>
    public required string Code { get; init; }
    public required LintSeverity Severity { get; init; }
    /// <summary>One line: what is wrong.</summary>
    public required string Title { get; init; }
    /// <summary>Why it matters and what to do.</summary>
    public required string Detail { get; init; }
    /// <summary>The title as a message key and arguments, for each viewer's language; <see cref="Title"/> is its English.</summary>
    public Localization.LocalText? TitleText { get; init; }
    /// <summary>The detail as a message key and arguments, for each viewer's language; <see cref="Detail"/> is its English.</summary>
    public Localization.LocalText? DetailText { get; init; }
}
