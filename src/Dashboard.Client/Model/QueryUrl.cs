using System.Text;

namespace Dashboard.Client.Model;

/// <summary>
/// The one place page URLs are read and written: <see cref="Read"/> parses the query of an address the browser shows,
/// <see cref="Build"/> writes one (empty parameters left out, values escaped). Every page query (<see cref="ListQuery"/>,
/// <see cref="LoadBalancerQuery"/>, <see cref="CostQuery"/>) goes through both, so blank, repeated and unknown parameters
/// mean the same on every page.
/// </summary>
public static class QueryUrl
{
    /// <summary>Reads the query of an absolute or relative URI (the fragment ignored); no query reads as no parameters.</summary>
    public static QueryValues Read(string uri) => QueryValues.Parse(uri);

    /// <summary>
    /// <paramref name="path"/> followed by the non-empty parameters in order. '/' and ',' are legal in a query string and
    /// stay readable ("selected=ns/name", "flags=drift,orphan").
    /// </summary>
    public static string Build(string path, params ReadOnlySpan<(string Name, string? Value)> parameters)
    {
        var builder = new StringBuilder(path);
        var first = true;
        foreach (var (name, value) in parameters)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                continue;
            }
            builder.Append(first ? '?' : '&').Append(name).Append('=')
                .Append(Uri.EscapeDataString(value.Trim())
                    .Replace("%2F", "/", StringComparison.Ordinal)
                    .Replace("%2C", ",", StringComparison.Ordinal));
            first = false;
        }
        return builder.ToString();
    }
}
