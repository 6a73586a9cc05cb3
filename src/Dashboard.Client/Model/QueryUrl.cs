using System.Text;

namespace Dashboard.Client.Model;

/// <summary>Builds the relative URLs pages put in the address bar: empty parameters left out, values escaped.</summary>
public static class QueryUrl
{
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
