using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Dashboard.Client.Localization;

/// <summary>
/// A text the server computed in English for every viewer (a lint, a drift reason, a checklist row, a validation error, a
/// diagnosis) in the current viewer's language, found by its English in <c>UiText.resx</c>: the exact key, or else a key
/// with placeholders whose English matches the whole text ("'{0}' is not a scheme: use internet-facing or internal."). The
/// values in the placeholders (names, codes, numbers, paths) are copied unchanged into the translation; a value that is
/// itself a translatable sentence is translated too. So the server keeps one English string per fact (the API's text) and
/// needs no second model field; a text with no key stays English (the Vietnamese render tests catch it).
/// Hand-written: no served package maps a formatted English string back to its resource template.
/// </summary>
public static partial class ServerText
{
    private const int CacheLimit = 20_000;
    private const int MaxDepth = 4;
    private const string Separator = "; ";
    private const int SpecificLiteral = 12;

    private static readonly Lazy<IReadOnlyList<Template>> Templates = new(ReadTemplates);
    private static readonly ConcurrentDictionary<(string Culture, string English), string> Cache = new();

    /// <summary><paramref name="english"/> in the current viewer's language (itself when no key matches).</summary>
    public static string Get(string? english) => Get(english, CultureInfo.CurrentUICulture);

    /// <summary><paramref name="english"/> in <paramref name="culture"/>'s language (itself when no key matches).</summary>
    public static string Get(string? english, CultureInfo culture) => Get(english, culture, depth: 0);

    private static string Get(string? english, CultureInfo culture, int depth)
    {
        if (string.IsNullOrEmpty(english) || !DashboardCultures.IsVietnamese(culture))
        {
            return english ?? "";
        }
        if (UiText.ResourceManager.GetString(english, culture) is { } exact)
        {
            return exact;
        }
        var key = (culture.Name, english);
        if (Cache.TryGetValue(key, out var cached))
        {
            return cached;
        }
        var text = FromTemplate(english, culture, depth) ?? (depth < MaxDepth ? Composed(english, culture, depth) ?? Parenthesised(english, culture, depth) : null) ?? english;
        if (Cache.Count > CacheLimit)
        {
            Cache.Clear();
        }
        Cache[key] = text;
        return text;
    }

    private static string? FromTemplate(string english, CultureInfo culture, int depth)
    {
        // The first template whose every sentence-like value translates too; else the first that matched at all.
        string? partly = null;
        foreach (var template in Templates.Value)
        {
            if (english.Length < template.LiteralLength || template.Pattern.Match(english) is not { Success: true } match)
            {
                continue;
            }
            var translated = UiText.ResourceManager.GetString(template.Key, culture);
            if (translated is null)
            {
                continue;
            }
            var values = new object?[template.Count];
            var fits = true;
            for (var i = 0; i < template.Count; i++)
            {
                var value = match.Groups["p" + i.ToString(CultureInfo.InvariantCulture)].Value;
                var sentence = Words().IsMatch(value);
                var text = depth < MaxDepth && value.Contains(' ', StringComparison.Ordinal) ? Get(value, culture, depth + 1) : value;
                values[i] = text;
                fits &= !sentence || text != value;
            }
            var result = string.Format(CultureInfo.InvariantCulture, Placeholder().Replace(translated, m => "{" + m.Groups[1].Value + "}"), values);
            if (fits)
            {
                return result;
            }
            // A short template ("{0} of {1}", "{0}: {1}") never wraps an English sentence it does not know in Vietnamese glue.
            if (template.LiteralLength >= SpecificLiteral)
            {
                partly ??= result;
            }
        }
        return partly;
    }

    /// <summary>An aside the server wraps in brackets (" (readiness probe …)"): the inside translated, the brackets kept.</summary>
    private static string? Parenthesised(string english, CultureInfo culture, int depth)
    {
        var open = english.IndexOf('(', StringComparison.Ordinal);
        if (open < 0 || !english.EndsWith(')') || english[..open].Trim().Length > 0)
        {
            return null;
        }
        var inner = english[(open + 1)..^1];
        var translated = Get(inner, culture, depth + 1);
        return translated != inner ? english[..(open + 1)] + translated + ")" : null;
    }

    /// <summary>
    /// Texts the server joins: "a; b; c." (checklist rows with several findings) — each part translated on its own, a part
    /// that itself holds "; " taken whole when that is what translates; a final "." kept.
    /// </summary>
    private static string? Composed(string english, CultureInfo culture, int depth)
    {
        if (english.EndsWith('.') && english.Length > 1)
        {
            var inner = english[..^1];
            var translated = Get(inner, culture, depth + 1);
            if (!ReferenceEquals(translated, inner) && translated != inner)
            {
                return translated + ".";
            }
        }
        var parts = english.Split(Separator);
        if (parts.Length < 2)
        {
            return null;
        }
        var output = new List<string>();
        var any = false;
        for (var start = 0; start < parts.Length;)
        {
            var end = start;
            string? found = null;
            for (; end < parts.Length; end++)
            {
                var piece = string.Join(Separator, parts[start..(end + 1)]);
                var translated = Get(piece, culture, depth + 1);
                if (translated != piece)
                {
                    found = translated;
                    break;
                }
            }
            if (found is null)
            {
                output.Add(parts[start]);
                start++;
            }
            else
            {
                output.Add(found);
                any = true;
                start = end + 1;
            }
        }
        return any ? string.Join(Separator, output) : null;
    }

    private static List<Template> ReadTemplates()
    {
        var keys = UiText.ResourceManager.GetResourceSet(CultureInfo.InvariantCulture, createIfNotExists: true, tryParents: true)!
            .Cast<System.Collections.DictionaryEntry>().Select(e => (string)e.Key)
            .Where(k => Placeholder().IsMatch(k));
        var templates = new List<Template>();
        foreach (var key in keys)
        {
            var pattern = new StringBuilder("^");
            var seen = new HashSet<int>();
            var literal = 0;
            var last = 0;
            foreach (Match m in Placeholder().Matches(key))
            {
                pattern.Append(Regex.Escape(Unescape(key[last..m.Index])));
                literal += Unescape(key[last..m.Index]).Length;
                var n = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
                pattern.Append(seen.Add(n) ? $"(?<p{n}>.+?)" : $@"\k<p{n}>");
                last = m.Index + m.Length;
            }
            pattern.Append(Regex.Escape(Unescape(key[last..]))).Append('$');
            literal += Unescape(key[last..]).Length;
            templates.Add(new Template(key, new Regex(pattern.ToString(), RegexOptions.Singleline | RegexOptions.CultureInvariant), seen.Count == 0 ? 0 : seen.Max() + 1, literal));
        }
        // The most specific first: "{0} is not read by any controller" before "{0} is {1}".
        return [.. templates.OrderByDescending(t => t.LiteralLength).ThenBy(t => t.Key, StringComparer.Ordinal)];
    }

    // A literal brace is written twice in a template ("'[{{\"HTTP\": 80}}]'") and once in the text it produced.
    private static string Unescape(string literal) => literal.Replace("{{", "{", StringComparison.Ordinal).Replace("}}", "}", StringComparison.Ordinal);

    private sealed record Template(string Key, Regex Pattern, int Count, int LiteralLength);

    [GeneratedRegex(@"\{(\d+)(?:[,:][^}]*)?\}")]
    private static partial Regex Placeholder();

    // Two words in a row: a sentence, not a name, a list of addresses or a code.
    [GeneratedRegex(@"[A-Za-z]{2,} [A-Za-z]{2,}")]
    private static partial Regex Words();
}
