namespace Dashboard.Client.Model;

/// <summary>A difference between what the annotations ask for and what AWS runs.</summary>
public sealed record DriftItem(string Setting, string Desired, string Actual, string Annotation)
{
    /// <summary>Why AWS differs (e.g. "the health check is TCP, which ignores the path").</summary>
    public string? Why { get; init; }

    /// <summary>False when the difference changes nothing AWS does (shown as such, not as an alarm).</summary>
    public bool Matters { get; init; } = true;

    /// <summary>What to change, if anything.</summary>
    public string? Fix { get; init; }
}
