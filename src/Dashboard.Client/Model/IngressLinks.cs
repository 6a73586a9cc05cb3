namespace Dashboard.Client.Model;

/// <summary>Where an Ingress's hosts and backends lead: browser URLs for hosts, dashboard URLs for Services.</summary>
public static class IngressLinks
{
    /// <summary>
    /// The URL a person would open for <paramref name="host"/> and <paramref name="path"/>: https when the host is
    /// covered by spec.tls or the ALB terminates TLS (certificate-arn or an HTTPS listen port), http otherwise.
    /// Null for a wildcard or missing host, which cannot be opened.
    /// </summary>
    public static string? HostUrl(IngressViewModel ingress, string? host, string? path = null)
    {
        if (string.IsNullOrWhiteSpace(host) || host.Contains('*', StringComparison.Ordinal))
        {
            return null;
        }
        var scheme = UsesHttps(ingress, host) ? "https" : "http";
        var suffix = string.IsNullOrEmpty(path) || path == "/" ? "/" : (path.StartsWith('/') ? path : "/" + path);
        return $"{scheme}://{host}{suffix}";
    }

    /// <summary>True when requests to <paramref name="host"/> are served over TLS.</summary>
    public static bool UsesHttps(IngressViewModel ingress, string host) =>
        ingress.Tls.Any(t => t.Hosts.Contains(host, StringComparer.OrdinalIgnoreCase))
        || ingress.CertificateArn is not null
        || ingress.ListenPorts?.Contains("HTTPS", StringComparison.OrdinalIgnoreCase) == true;

    /// <summary>The Services page with the backend's Service selected; null for a resource backend.</summary>
    public static string? ServiceUrl(string @namespace, IngressBackendView backend) =>
        backend.ServiceName is null
            ? null
            : new ListQuery { Selected = $"{@namespace}/{backend.ServiceName}" }.ToUrl(DashboardUrls.Services);
}
