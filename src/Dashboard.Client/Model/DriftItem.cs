namespace Dashboard.Client.Model;

/// <summary>A difference between what the annotations ask for and what AWS runs.</summary>
public sealed record DriftItem(string Setting, string Desired, string Actual, string Annotation);
