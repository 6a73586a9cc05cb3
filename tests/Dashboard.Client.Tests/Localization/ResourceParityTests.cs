using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Dashboard.Client.Tests.Localization;

/// <summary>
/// The guard against a string left untranslated or a translation that breaks formatting: both resource pairs have the
/// same keys, each translation has the placeholders of its English, and every literal key the code looks up (L["…"],
/// UiText.Get/Format, LocalText.Of) exists in both languages.
/// </summary>
public partial class ResourceParityTests
{
    private static readonly string Root = FindRoot();
    private static readonly string ResourceFolder = Path.Combine(Root, "src", "Dashboard.Client", "Localization");

    public static TheoryData<string> Pairs => new() { "UiText", "Messages" };

    [Theory]
    [MemberData(nameof(Pairs))]
    public void Every_key_is_in_both_languages_and_translated(string name)
    {
        var english = Read(name + ".resx");
        var vietnamese = Read(name + ".vi.resx");

        Assert.Empty(english.Keys.Except(vietnamese.Keys).Select(k => "missing in vi: " + k));
        Assert.Empty(vietnamese.Keys.Except(english.Keys).Select(k => "only in vi: " + k));
        Assert.Empty(vietnamese.Where(p => string.IsNullOrWhiteSpace(p.Value)).Select(p => "empty in vi: " + p.Key));
    }

    [Theory]
    [MemberData(nameof(Pairs))]
    public void Placeholders_match(string name)
    {
        var english = Read(name + ".resx");
        var vietnamese = Read(name + ".vi.resx");

        var mismatches = english.Where(p => vietnamese.ContainsKey(p.Key))
            .Where(p => !Placeholders(p.Value).SetEquals(Placeholders(vietnamese[p.Key])))
            .Select(p => $"{p.Key}: en {{{string.Join(",", Placeholders(p.Value))}}} vi {{{string.Join(",", Placeholders(vietnamese[p.Key]))}}}")
            .ToList();

        Assert.Empty(mismatches);
        // A template must also be usable by string.Format: no stray brace.
        Assert.All(vietnamese.Values.Concat(english.Values), v => string.Format(System.Globalization.CultureInfo.InvariantCulture, v, new object[10]));
    }

    [Fact]
    public void Every_literal_key_the_client_uses_is_in_both_ui_resources()
    {
        var english = Read("UiText.resx");
        var used = SourceFiles(Path.Combine(Root, "src", "Dashboard.Client"))
            .SelectMany(f => UiKey().Matches(File.ReadAllText(f)).SelectMany(m => new[] { m.Groups["a"], m.Groups["b"] }).Where(g => g.Success)
                .Select(g => (File: Path.GetFileName(f), Key: Regex.Unescape(g.Value))))
            .ToList();

        Assert.NotEmpty(used);
        Assert.Empty(used.Where(u => !english.ContainsKey(u.Key)).Select(u => $"{u.File}: \"{u.Key}\" is not in UiText.resx / UiText.vi.resx"));
    }

    [Fact]
    public void Every_message_key_the_server_uses_is_in_both_message_resources()
    {
        var english = Read("Messages.resx");
        var used = SourceFiles(Path.Combine(Root, "src", "Dashboard.Server"))
            .SelectMany(f => MessageKey().Matches(File.ReadAllText(f)).Select(m => (File: Path.GetFileName(f), Key: m.Groups["key"].Value)))
            .ToList();

        Assert.NotEmpty(used);
        Assert.Empty(used.Where(u => !english.ContainsKey(u.Key)).Select(u => $"{u.File}: \"{u.Key}\" is not in Messages.resx / Messages.vi.resx"));
    }

    private static HashSet<string> Placeholders(string text) => [.. Placeholder().Matches(text).Select(m => m.Groups[1].Value)];

    private static Dictionary<string, string> Read(string file) =>
        XDocument.Load(Path.Combine(ResourceFolder, file)).Root!.Elements("data")
            .ToDictionary(d => (string)d.Attribute("name")!, d => (string?)d.Element("value") ?? "", StringComparer.Ordinal);

    private static IEnumerable<string> SourceFiles(string folder) =>
        Directory.EnumerateFiles(folder, "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".razor", StringComparison.Ordinal) || f.EndsWith(".cs", StringComparison.Ordinal))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal));

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Dashboard.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("Dashboard.sln not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"\{(\d+)(?:[,:][^}]*)?\}")]
    private static partial Regex Placeholder();

    // L["text"], L[cond ? "a" : "b"], UiText.Get("text"), UiText.Format("text", …), UiText.Format(cond ? "a" : "b", …)
    [GeneratedRegex(@"(?:\bL\[|UiText\.(?:Get|Format)\()\s*(?:[^\]\)""]*?\?\s*)?""(?<a>(?:[^""\\]|\\.)*)""(?:\s*:\s*""(?<b>(?:[^""\\]|\\.)*)"")?")]
    private static partial Regex UiKey();

    // Message keys start with the area that computes them (docs/i18n.md): Check., Diagnosis., Lint., Drift.
    [GeneratedRegex(@"""(?<key>(?:Check|Diagnosis|Lint|Drift)\.[A-Za-z][\w.]*)""")]
    private static partial Regex MessageKey();
}
