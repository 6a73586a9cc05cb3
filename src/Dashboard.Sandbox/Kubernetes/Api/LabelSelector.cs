using System.Net;
using System.Text.Json.Nodes;

namespace Dashboard.Sandbox.Kubernetes.Api;

/// <summary>
/// A parsed label selector in the full Kubernetes grammar: <c>k=v</c>, <c>k==v</c>, <c>k!=v</c>, <c>k in (a,b)</c>,
/// <c>k notin (a,b)</c>, <c>k</c> (exists) and <c>!k</c> (does not exist), joined by commas (AND).
/// Hand-written: no served .NET package parses Kubernetes selectors.
/// </summary>
public sealed class LabelSelector
{
    private enum Op { Equals, NotEquals, In, NotIn, Exists, DoesNotExist }

    private sealed record Requirement(string Key, Op Op, IReadOnlyList<string> Values);

    private readonly List<Requirement> _requirements;

    private LabelSelector(List<Requirement> requirements) => _requirements = requirements;

    public static LabelSelector Everything { get; } = new([]);

    public bool IsEmpty => _requirements.Count == 0;

    /// <summary>Parses a selector; throws a 400 <see cref="StoreException"/> naming the bad requirement.</summary>
    public static LabelSelector Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Everything;
        }
        var requirements = new List<Requirement>();
        foreach (var part in SplitTopLevel(text))
        {
            requirements.Add(ParseRequirement(part.Trim(), text));
        }
        return new LabelSelector(requirements);
    }

    /// <summary>
    /// The text form of a <c>metav1.LabelSelector</c> (<c>matchLabels</c> and <c>matchExpressions</c>), as
    /// apimachinery's selector <c>String()</c> writes it: requirements sorted by key, set values sorted, joined by commas.
    /// </summary>
    public static string Format(JsonObject? selector)
    {
        var requirements = new List<(string Key, string Text)>();
        foreach (var (key, value) in selector?["matchLabels"] as JsonObject ?? [])
        {
            requirements.Add((key, $"{key}={value}"));
        }
        foreach (var expression in (selector?["matchExpressions"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var key = expression["key"]?.ToString() ?? "";
            var values = (expression["values"] as JsonArray ?? []).Select(v => v?.ToString() ?? "").Order(StringComparer.Ordinal).ToList();
            var text = expression["operator"]?.ToString() switch
            {
                "In" => $"{key} in ({string.Join(',', values)})",
                "NotIn" => $"{key} notin ({string.Join(',', values)})",
                "Exists" => key,
                "DoesNotExist" => "!" + key,
                var op => throw StoreException.BadRequest($"matchExpressions: the operator \"{op}\" of key \"{key}\" is not one of In, NotIn, Exists, DoesNotExist"),
            };
            requirements.Add((key, text));
        }
        return string.Join(',', requirements.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => r.Text));
    }

    public bool Matches(JsonObject obj) => MatchesLabels(obj["metadata"]?["labels"] as JsonObject);

    public bool MatchesLabels(JsonObject? labels)
    {
        foreach (var r in _requirements)
        {
            var present = labels is not null && labels.ContainsKey(r.Key);
            var value = present ? labels![r.Key]?.ToString() : null;
            var ok = r.Op switch
            {
                Op.Exists => present,
                Op.DoesNotExist => !present,
                Op.Equals or Op.In => present && r.Values.Contains(value),
                Op.NotEquals or Op.NotIn => !present || !r.Values.Contains(value),
                _ => false,
            };
            if (!ok)
            {
                return false;
            }
        }
        return true;
    }

    private static IEnumerable<string> SplitTopLevel(string text)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '(': depth++; break;
                case ')': depth--; break;
                case ',' when depth == 0:
                    yield return text[start..i];
                    start = i + 1;
                    break;
            }
        }
        yield return text[start..];
    }

    private static Requirement ParseRequirement(string part, string whole)
    {
        if (part.Length == 0)
        {
            throw Error(whole, "found '', expected: !, identifier, or 'end of string'");
        }
        if (part[0] == '!')
        {
            var key = part[1..].Trim();
            ValidateKey(key, whole);
            return new Requirement(key, Op.DoesNotExist, []);
        }
        foreach (var (token, op) in new[] { ("!=", Op.NotEquals), ("==", Op.Equals), ("=", Op.Equals) })
        {
            var at = part.IndexOf(token, StringComparison.Ordinal);
            if (at > 0)
            {
                var key = part[..at].Trim();
                var value = part[(at + token.Length)..].Trim();
                ValidateKey(key, whole);
                ValidateValue(value, whole);
                return new Requirement(key, op, [value]);
            }
        }
        var words = part.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (words.Length == 1 && !part.Contains('('))
        {
            ValidateKey(words[0], whole);
            return new Requirement(words[0], Op.Exists, []);
        }
        if (words.Length == 2)
        {
            var rest = words[1];
            var setOp = rest.StartsWith("notin", StringComparison.Ordinal) ? Op.NotIn : rest.StartsWith("in", StringComparison.Ordinal) ? Op.In : (Op?)null;
            if (setOp is { } o)
            {
                var list = rest[(o == Op.NotIn ? 5 : 2)..].Trim();
                if (list.Length < 2 || list[0] != '(' || list[^1] != ')')
                {
                    throw Error(whole, $"found '{list}', expected: '(' value list ')'");
                }
                var values = list[1..^1].Split(',', StringSplitOptions.TrimEntries).Where(v => v.Length > 0).ToList();
                if (values.Count == 0)
                {
                    throw Error(whole, "for 'in', 'notin' operators, values set can't be empty");
                }
                ValidateKey(words[0], whole);
                values.ForEach(v => ValidateValue(v, whole));
                return new Requirement(words[0], o, values);
            }
        }
        throw Error(whole, $"found '{part}', expected: in, notin, =, ==, !=, or the end of a requirement");
    }

    private static void ValidateKey(string key, string whole)
    {
        if (!LabelSyntax.IsQualifiedName(key))
        {
            throw Error(whole, $"invalid label key \"{key}\": {LabelSyntax.QualifiedNameHint}");
        }
    }

    private static void ValidateValue(string value, string whole)
    {
        if (!LabelSyntax.IsLabelValue(value))
        {
            throw Error(whole, $"invalid label value: \"{value}\": {LabelSyntax.LabelValueHint}");
        }
    }

    private static StoreException Error(string whole, string detail) =>
        new(HttpStatusCode.BadRequest, "BadRequest", $"unable to parse requirement: labelSelector \"{whole}\": {detail}");
}
