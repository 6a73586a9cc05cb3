using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json.Nodes;
using Dashboard.Client.Model;

namespace Dashboard.Server.Inventory;

/// <summary>
/// The listeners the AWS Load Balancer Controller makes for one Ingress (its computeIngressListenPorts): the
/// <c>listen-ports</c> JSON when set, else HTTPS:443 when <c>certificate-arn</c> is set, else HTTP:80. Pure.
/// </summary>
public static class IngressListeners
{
    /// <summary>The effective listeners, ordered by port; empty when listen-ports is invalid (the controller builds nothing).</summary>
    public static ImmutableArray<IngressListenerView> Of(IDictionary<string, string>? annotations)
    {
        var certificate = AnnotationValues.Get(annotations, IngressDecoder.Prefix + "certificate-arn") is not null;
        if (annotations is null || !annotations.TryGetValue(IngressDecoder.Prefix + "listen-ports", out var raw))
        {
            return [certificate ? new IngressListenerView("HTTPS", 443, FromDefault: true) : new IngressListenerView("HTTP", 80, FromDefault: true)];
        }
        return Parse(raw, out _);
    }

    /// <summary>The controller's error for a listen-ports value, or null when it is valid.</summary>
    public static string? ListenPortsError(string raw)
    {
        Parse(raw, out var error);
        return error;
    }

    private static ImmutableArray<IngressListenerView> Parse(string raw, out string? error)
    {
        var prefix = $"failed to parse listen-ports configuration: `{raw}`: ";
        error = null;
        if (ControllerParsing.JsonError(raw) is { } jsonError)
        {
            error = prefix + jsonError;
            return [];
        }
        var node = JsonNode.Parse(raw);
        if (node is not JsonArray entries)
        {
            error = prefix + $"json: cannot unmarshal {Kind(node)} into Go value of type []map[string]int32";
            return node is null ? Empty(raw, out error) : [];
        }
        if (entries.Count == 0)
        {
            return Empty(raw, out error);
        }
        var ports = new SortedDictionary<int, string>();
        foreach (var entry in entries)
        {
            if (entry is null)
            {
                continue; // a JSON null decodes to an empty map
            }
            if (entry is not JsonObject map)
            {
                error = prefix + $"json: cannot unmarshal {Kind(entry)} into Go value of type map[string]int32";
                return [];
            }
            foreach (var (protocol, value) in map)
            {
                if (value is not JsonValue number || !number.TryGetValue<decimal>(out var portValue))
                {
                    error = prefix + $"json: cannot unmarshal {Kind(value)} into Go value of type int32";
                    return [];
                }
                if (portValue != decimal.Truncate(portValue) || portValue is < int.MinValue or > int.MaxValue)
                {
                    error = prefix + $"json: cannot unmarshal number {value!.ToJsonString()} into Go value of type int32";
                    return [];
                }
                var port = (int)portValue;
                if (port is < 1 or > 65535)
                {
                    error = $"listen port must be within [1, 65535]: {port.ToString(CultureInfo.InvariantCulture)}";
                    return [];
                }
                if (protocol is not ("HTTP" or "HTTPS"))
                {
                    error = $"listen protocol must be within [HTTP, HTTPS]: {protocol}";
                    return [];
                }
                ports[port] = protocol;
            }
        }
        return [.. ports.Select(p => new IngressListenerView(p.Value, p.Key, FromDefault: false))];
    }

    private static ImmutableArray<IngressListenerView> Empty(string raw, out string? error)
    {
        error = $"empty listen-ports configuration: `{raw}`";
        return [];
    }

    private static string Kind(JsonNode? node) => node switch
    {
        JsonObject => "object",
        JsonArray => "array",
        null => "null",
        JsonValue v when v.TryGetValue<string>(out _) => "string",
        JsonValue v when v.TryGetValue<bool>(out _) => "bool",
        _ => "number",
    };
}
