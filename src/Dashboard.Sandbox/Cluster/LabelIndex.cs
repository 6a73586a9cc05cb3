using System.Text.Json.Nodes;

namespace Dashboard.Sandbox.Cluster;

/// <summary>
/// Names of objects per (namespace, label pair), so selector matching looks only at candidates instead of every
/// object in a namespace (10,000 Services with their pods stay cheap).
/// </summary>
internal sealed class LabelIndex
{
    private readonly Dictionary<(string Namespace, string Pair), HashSet<string>> _names = [];

    public void Update(JsonObject? old, JsonObject? current, Func<JsonObject, IReadOnlyDictionary<string, string>> labels)
    {
        if (old is not null)
        {
            foreach (var pair in labels(old))
            {
                if (_names.TryGetValue((JsonFields.Namespace(old) ?? "", Pair(pair)), out var set))
                {
                    set.Remove(JsonFields.Name(old)!);
                }
            }
        }
        if (current is not null)
        {
            foreach (var pair in labels(current))
            {
                var key = (JsonFields.Namespace(current) ?? "", Pair(pair));
                if (!_names.TryGetValue(key, out var set))
                {
                    set = new HashSet<string>(StringComparer.Ordinal);
                    _names[key] = set;
                }
                set.Add(JsonFields.Name(current)!);
            }
        }
    }

    /// <summary>Names carrying every pair of <paramref name="selector"/> may match; looks at the rarest pair only.</summary>
    public IReadOnlyCollection<string> Candidates(string ns, IReadOnlyDictionary<string, string> selector)
    {
        IReadOnlyCollection<string>? best = null;
        foreach (var pair in selector)
        {
            if (!_names.TryGetValue((ns, Pair(pair)), out var set))
            {
                return [];
            }
            if (best is null || set.Count < best.Count)
            {
                best = set;
            }
        }
        return best ?? [];
    }

    /// <summary>Names that have any one of the given pairs.</summary>
    public IEnumerable<string> WithAnyPair(string ns, IReadOnlyDictionary<string, string> pairs) =>
        pairs.SelectMany(pair => _names.TryGetValue((ns, Pair(pair)), out var set) ? set : (IEnumerable<string>)[]).Distinct(StringComparer.Ordinal);

    private static string Pair(KeyValuePair<string, string> pair) => pair.Key + "=" + pair.Value;
}
