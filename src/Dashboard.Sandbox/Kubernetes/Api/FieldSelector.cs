using System.Net;
using System.Text.Json.Nodes;

namespace Dashboard.Sandbox.Kubernetes.Api;

/// <summary>
/// A parsed field selector: comma-joined <c>path=value</c>, <c>path==value</c> and <c>path!=value</c> terms over dotted
/// JSON paths (<c>metadata.name</c>, <c>metadata.namespace</c>, <c>spec.nodeName</c>, <c>status.phase</c>, <c>type</c>,
/// <c>involvedObject.name</c>…). Kept generic: any scalar field of the object can be selected; a missing field reads as "".
/// </summary>
public sealed partial class FieldSelector
{
    private sealed record Term(string Path, bool Negated, string Value);

    private readonly List<Term> _terms;

    private FieldSelector(List<Term> terms) => _terms = terms;

    public static FieldSelector Everything { get; } = new([]);

    /// <summary>The name a <c>metadata.name=x</c> term pins, if any (single-object watches use it).</summary>
    public string? PinnedName => _terms.FirstOrDefault(t => t.Path == "metadata.name" && !t.Negated)?.Value;

    public static FieldSelector Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Everything;
        }
        var terms = new List<Term>();
        foreach (var raw in text.Split(','))
        {
            var part = raw.Trim();
            var (token, negated) = part.Contains("!=", StringComparison.Ordinal) ? ("!=", true)
                : part.Contains("==", StringComparison.Ordinal) ? ("==", false)
                : part.Contains('=', StringComparison.Ordinal) ? ("=", false) : ("", false);
            var at = token.Length == 0 ? -1 : part.IndexOf(token, StringComparison.Ordinal);
            if (at <= 0)
            {
                throw new StoreException(HttpStatusCode.BadRequest, "BadRequest",
                    $"invalid field selector \"{text}\": \"{part}\" is not of the form field=value, field==value or field!=value");
            }
            terms.Add(new Term(part[..at].Trim(), negated, part[(at + token.Length)..].Trim()));
        }
        return new FieldSelector(terms);
    }

    public bool Matches(JsonObject obj)
    {
        foreach (var term in _terms)
        {
            var actual = Read(obj, term.Path);
            if ((actual == term.Value) == term.Negated)
            {
                return false;
            }
        }
        return true;
    }

    private static string Read(JsonObject obj, string path)
    {
        JsonNode? node = obj;
        foreach (var segment in path.Split('.'))
        {
            node = node is JsonObject o ? o[segment] : null;
        }
        return node is JsonValue v ? v.ToString() : "";
    }
}
