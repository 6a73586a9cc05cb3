using System.Net;

namespace Dashboard.Server.Authentication;

/// <summary>An address the dashboard is configured to listen on, or is bound to, and where that came from.</summary>
/// <param name="Address">The URL as configured or bound, e.g. <c>http://127.0.0.1:5000</c> or <c>http://*:8080</c>.</param>
/// <param name="Source">The configuration key or <c>bound address</c>, for the refusal message.</param>
public sealed record ListeningUrl(string Address, string Source)
{
    /// <summary>Whether only this machine can reach the address: a loopback IP or the name localhost.</summary>
    public bool IsLoopback => IsLoopbackAddress(Address);

    /// <summary>
    /// True for <c>localhost</c> and loopback IPs; false for wildcards (<c>*</c>, <c>+</c>, <c>0.0.0.0</c>, <c>[::]</c>),
    /// other names and anything unparsable.
    /// </summary>
    public static bool IsLoopbackAddress(string address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var schemeEnd = address.IndexOf("://", StringComparison.Ordinal);
        var rest = schemeEnd < 0 ? address : address[(schemeEnd + 3)..];
        var hostEnd = rest.IndexOf('/', StringComparison.Ordinal);
        var hostAndPort = hostEnd < 0 ? rest : rest[..hostEnd];
        string host;
        if (hostAndPort.StartsWith('['))
        {
            var close = hostAndPort.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                return false;
            }
            host = hostAndPort[1..close];
        }
        else
        {
            var colon = hostAndPort.LastIndexOf(':');
            host = colon < 0 ? hostAndPort : hostAndPort[..colon];
        }
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }
        return IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip);
    }

    /// <summary>
    /// The listening addresses named by configuration: <c>urls</c> (also from ASPNETCORE_URLS and --urls),
    /// <c>http_ports</c>/<c>https_ports</c> (ASPNETCORE_HTTP_PORTS: every interface) and <c>Kestrel:Endpoints:*:Url</c>.
    /// Empty when nothing is configured, in which case Kestrel listens on localhost only.
    /// </summary>
    public static IReadOnlyList<ListeningUrl> FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var result = new List<ListeningUrl>();
        foreach (var url in Split(configuration["urls"]))
        {
            result.Add(new ListeningUrl(url, "urls / ASPNETCORE_URLS"));
        }
        foreach (var key in new[] { "http_ports", "https_ports" })
        {
            foreach (var port in Split(configuration[key]))
            {
                result.Add(new ListeningUrl($"*:{port}", $"{key} / ASPNETCORE_{key.ToUpperInvariant()}"));
            }
        }
        foreach (var endpoint in configuration.GetSection("Kestrel:Endpoints").GetChildren())
        {
            if (endpoint["Url"] is { Length: > 0 } url)
            {
                result.Add(new ListeningUrl(url, $"Kestrel:Endpoints:{endpoint.Key}:Url"));
            }
        }
        return result;
    }

    private static string[] Split(string? value) =>
        value?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
}
