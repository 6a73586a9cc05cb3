using System.Collections.Immutable;
using System.Text;
using System.Text.Json.Nodes;
using Dashboard.Sandbox.Aws;
using Dashboard.Sandbox.Cluster;

namespace Dashboard.Sandbox.LoadBalancerController;

/// <summary>Reading a group's annotations and rules: certificates, listen ports, group order, path patterns.</summary>
internal static partial class IngressModelBuilder
{
    private static IEnumerable<string> DiscoverCertificates(JsonObject ingress, AwsWorld aws) =>
        JsonFields.Objects(ingress["spec"]?["rules"]).Select(r => JsonFields.String(r, "host"))
            .Concat(JsonFields.Objects(ingress["spec"]?["tls"]).SelectMany(t => (t["hosts"] as JsonArray ?? []).Select(h => h?.ToString())))
            .OfType<string>().Where(h => h.Length > 0).Distinct(StringComparer.Ordinal)
            .Select(host => aws.EnsureCertificate($"arn:aws:acm:{aws.Region}:{aws.AccountId}:certificate/{CertificateId(aws.Seed, host)}", host).Arn);

    private static string CertificateId(int seed, string host)
    {
        var hex = AwsArns.HexId(seed, "acm/" + host) + AwsArns.HexId(seed, "acm2/" + host);
        return $"{hex[..8]}-{hex[8..12]}-{hex[12..16]}-{hex[16..20]}-{hex[20..32]}";
    }

    private static string Key(JsonObject ingress) => JsonFields.Namespace(ingress) + "/" + JsonFields.Name(ingress);

    private static int GroupOrder(AnnotationReader reader)
    {
        var order = reader.Int32("group.order") ?? 0;
        return order is < -1000 or > 1000
            ? throw new ModelBuildException($"explicit group order must be within [-1000:1000], order: {order}")
            : order;
    }

    private static string Single(IEnumerable<string> values, string what)
    {
        var distinct = values.Distinct(StringComparer.Ordinal).ToList();
        return distinct.Count == 1 ? distinct[0] : throw new ModelBuildException($"conflicting {what}: [{string.Join(' ', distinct)}]");
    }

    private static SortedDictionary<int, string> ListenPorts(AnnotationReader reader, JsonObject ingress)
    {
        var ports = new SortedDictionary<int, string>();
        var raw = reader.String("listen-ports");
        if (raw is null)
        {
            // Only certificate-arn makes the default listener HTTPS (spec.tls alone does not, as in computeIngressListenPorts).
            var tls = reader.Has("certificate-arn");
            ports[tls ? 443 : 80] = tls ? "HTTPS" : "HTTP";
            return ports;
        }
        // As the controller: JSON into []map[string]int32 (Go's texts), not empty, then each port and protocol.
        if (GoJson.SyntaxError(raw) is { } syntax)
        {
            throw new ModelBuildException($"failed to parse listen-ports configuration: `{raw}`: {syntax}");
        }
        var entries = JsonNode.Parse(raw) switch
        {
            JsonArray array => array,
            null => [],
            _ => throw new ModelBuildException($"failed to parse listen-ports configuration: `{raw}`: json: cannot unmarshal object into Go value of type []map[string]int32"),
        };
        if (entries.Count == 0)
        {
            throw new ModelBuildException($"empty listen-ports configuration: `{raw}`");
        }
        foreach (var entry in entries.OfType<JsonObject>())
        {
            foreach (var (protocol, value) in entry)
            {
                if (value is not JsonValue number || !number.TryGetValue<int>(out var port))
                {
                    throw new ModelBuildException($"failed to parse listen-ports configuration: `{raw}`: json: cannot unmarshal {value?.GetValueKind().ToString().ToLowerInvariant()} into Go value of type int32");
                }
                if (port is < 1 or > 65535)
                {
                    throw new ModelBuildException($"listen port must be within [1, 65535]: {port}");
                }
                if (protocol is not ("HTTP" or "HTTPS"))
                {
                    throw new ModelBuildException($"listen protocol must be within [HTTP, HTTPS]: {protocol}");
                }
                ports[port] = protocol;
            }
        }
        return ports;
    }

    /// <summary>
    /// The order in which the controller turns one rule's paths into listener rules (its <c>sortIngressPaths</c>):
    /// Exact paths first, as written (exact matches cannot overlap); then Prefix paths, longest first (a stable sort on
    /// the path's length in bytes, so equal lengths keep their order); then ImplementationSpecific and untyped paths, as
    /// written. Rules of a member keep their order, and members follow <c>group.order</c>, so priorities count up in
    /// that sequence.
    /// </summary>
    private static List<JsonObject> SortPaths(IEnumerable<JsonObject> paths)
    {
        var exact = new List<JsonObject>();
        var prefix = new List<JsonObject>();
        var implementationSpecific = new List<JsonObject>();
        foreach (var path in paths)
        {
            switch (JsonFields.String(path, "pathType"))
            {
                case "Exact":
                    exact.Add(path);
                    break;
                case "Prefix":
                    prefix.Add(path);
                    break;
                case null or "ImplementationSpecific":
                    implementationSpecific.Add(path);
                    break;
                default:
                    throw new ModelBuildException($"unknown pathType for path {JsonFields.String(path, "path")}");
            }
        }
        return [.. exact, .. prefix.OrderByDescending(p => Encoding.UTF8.GetByteCount(JsonFields.String(p, "path") ?? "")), .. implementationSpecific];
    }

    private static ImmutableArray<string> PathPatterns(string? path, string? pathType)
    {
        path = string.IsNullOrEmpty(path) ? "/" : path;
        return pathType switch
        {
            "Exact" => [path],
            "Prefix" when path == "/" => ["/*"],
            "Prefix" => [path.TrimEnd('/'), path.TrimEnd('/') + "/*"],
            _ => [path == "/" ? "/*" : path],
        };
    }
}
