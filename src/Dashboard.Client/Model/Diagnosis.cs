using System.Collections.Immutable;

namespace Dashboard.Client.Model;

/// <summary>A reasoned explanation of why a target is not healthy, with the evidence it rests on.</summary>
public sealed record Diagnosis(string Code, string Title, ImmutableArray<string> Evidence, string Fix)
{
    /// <summary>The object a user must edit to apply the fix (the effective one, which may not be the endpoint), when the diagnosis names it.</summary>
    public ObjectRef? FixObject { get; init; }

    /// <summary>A copyable command that applies the fix, when there is one.</summary>
    public string? FixCommand { get; init; }

    /// <summary>The title as a message key and arguments, for each viewer's language; <see cref="Title"/> is its English.</summary>
    public Localization.LocalText? TitleText { get; init; }

    /// <summary>The fix as a message key and arguments, for each viewer's language; <see cref="Fix"/> is its English.</summary>
    public Localization.LocalText? FixText { get; init; }

    /// <summary>The evidence as message keys and arguments, line for line with <see cref="Evidence"/> (its English); empty when not localised.</summary>
    public ImmutableArray<Localization.LocalText> EvidenceText { get; init; } = [];

    /// <summary>The evidence line <paramref name="index"/> in the viewer's language (its English looked up as a UI text when not localised).</summary>
    public string EvidenceLine(int index) =>
        Localization.Say.Text(index < EvidenceText.Length ? EvidenceText[index] : null, Evidence[index]);
}
