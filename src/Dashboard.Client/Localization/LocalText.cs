using System.Collections.Immutable;
using System.Globalization;
using System.Resources;

namespace Dashboard.Client.Localization;

/// <summary>
/// A text computed once on the server for every viewer (a checklist reason, a diagnosis, a lint) carried as a message
/// key of <c>Messages.resx</c> and its arguments, so each viewer reads it in their own language: the component calls
/// <see cref="Format(CultureInfo)"/> with the circuit's culture. <see cref="English"/> is the same text in English, kept
/// in the model's plain string for the HTTP API (which stays English) and as the fallback.
/// Arguments are strings (names, AWS reason codes, Kubernetes fields: never translated), numbers (written in the
/// viewer's format) or nested <see cref="LocalText"/>s.
/// </summary>
public sealed class LocalText : IEquatable<LocalText>
{
    private const string JoinKey = "@join";

    private static readonly ResourceManager Resources = new("Dashboard.Client.Localization.Messages", typeof(LocalText).Assembly);

    private LocalText(string key, ImmutableArray<object> args)
    {
        Key = key;
        Args = args;
    }

    /// <summary>The key in Messages.resx, e.g. "Check.Health.Summary".</summary>
    public string Key { get; }

    /// <summary>The arguments, in placeholder order.</summary>
    public ImmutableArray<object> Args { get; }

    /// <summary>The text of <paramref name="key"/> with <paramref name="args"/> (null arguments become empty strings).</summary>
    public static LocalText Of(string key, params object?[] args) => new(key, [.. args.Select(a => a ?? "")]);

    /// <summary>Several texts written one after the other with <paramref name="separator"/> between them ("; ", " ").</summary>
    public static LocalText Join(string separator, IEnumerable<LocalText> parts) => new(JoinKey, [separator, .. parts]);

    /// <summary>The text in English, as the HTTP API and the fallback show it.</summary>
    public string English => Format(CultureInfo.InvariantCulture);

    /// <summary>The text in <paramref name="culture"/>'s language with numbers in its format; English when the key has no translation.</summary>
    public string Format(CultureInfo culture)
    {
        var numbers = DashboardCultures.FormatFor(culture);
        if (Key == JoinKey)
        {
            return string.Join((string)Args[0], Args.Skip(1).Select(a => Render(a, culture, numbers)));
        }
        var template = Resources.GetString(Key, culture) ?? Key;
        return Args.IsEmpty ? template : string.Format(numbers, template, [.. Args.Select(a => Render(a, culture, numbers))]);
    }

    /// <summary>The text in the current viewer's language.</summary>
    public override string ToString() => Format(CultureInfo.CurrentUICulture);

    private static string Render(object arg, CultureInfo culture, CultureInfo numbers) => arg switch
    {
        LocalText text => text.Format(culture),
        int or long => ((IFormattable)arg).ToString("N0", numbers),
        IFormattable formattable => formattable.ToString(null, numbers),
        // A phrase the server computed in English inside a message (" (readiness probe GET /ready on port http, …)"):
        // translated like any server text. Names and values never hold a space, so they are passed as they are.
        string phrase when phrase.Contains(' ', StringComparison.Ordinal) => ServerText.Get(phrase, culture),
        _ => arg.ToString() ?? "",
    };

    public bool Equals(LocalText? other) =>
        other is not null && Key == other.Key && Args.SequenceEqual(other.Args);

    public override bool Equals(object? obj) => Equals(obj as LocalText);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Key, StringComparer.Ordinal);
        foreach (var arg in Args)
        {
            hash.Add(arg);
        }
        return hash.ToHashCode();
    }
}
