using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dashboard.Sandbox.Kubernetes.Protobuf;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Dashboard.Sandbox.Kubernetes.Api;

/// <summary>
/// Reads request bodies as JSON (or YAML, which the API server also accepts, or the Kubernetes protobuf serialization
/// of built-in kinds, which kubectl's imperative <c>create</c> commands send) into <see cref="JsonNode"/>s.
/// </summary>
internal static class RequestBody
{
    public static async Task<JsonNode?> ReadAsync(HttpRequest request, bool allowYaml, CancellationToken cancellationToken)
    {
        if (ProtobufEnvelope.IsProtobuf(request.ContentType))
        {
            using var bytes = new MemoryStream();
            await request.Body.CopyToAsync(bytes, cancellationToken);
            return bytes.Length == 0
                ? throw StoreException.BadRequest("the request body is empty")
                : ProtobufEnvelope.Decode(bytes.GetBuffer().AsSpan(0, (int)bytes.Length));
        }
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        var text = await reader.ReadToEndAsync(cancellationToken);
        if (string.IsNullOrWhiteSpace(text))
        {
            throw StoreException.BadRequest("the request body is empty: send the object as JSON (Content-Type: application/json)");
        }
        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException e) when (allowYaml && !text.TrimStart().StartsWith('{'))
        {
            return FromYaml(text) ?? throw StoreException.BadRequest("the request body is neither JSON nor YAML: " + e.Message);
        }
        catch (JsonException e)
        {
            throw StoreException.BadRequest($"couldn't get version/kind; json parse error: {e.Message}");
        }
    }

    public static JsonObject ReadObject(JsonNode? node) =>
        node as JsonObject ?? throw StoreException.BadRequest("the request body must be a JSON object (got " + (node?.GetValueKind().ToString() ?? "null") + ")");

    private static JsonNode? FromYaml(string text)
    {
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(text));
            return stream.Documents.Count == 0 ? null : Convert(stream.Documents[0].RootNode);
        }
        catch (YamlException e)
        {
            throw new StoreException(HttpStatusCode.BadRequest, "BadRequest", $"error converting YAML to JSON: yaml: line {e.Start.Line}: {e.Message}");
        }
    }

    private static JsonNode? Convert(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(p => KeyValuePair.Create(((YamlScalarNode)p.Key).Value ?? "", Convert(p.Value)))),
        YamlSequenceNode list => new JsonArray(list.Children.Select(Convert).ToArray()),
        YamlScalarNode scalar => Scalar(scalar),
        _ => null,
    };

    /// <summary>YAML 1.2 core schema for plain scalars: null, booleans and numbers; everything else (and quoted text) is a string.</summary>
    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        var value = scalar.Value ?? "";
        if (scalar.Style != ScalarStyle.Plain)
        {
            return value;
        }
        if (value is "" or "~" or "null" or "Null" or "NULL")
        {
            return null;
        }
        if (value is "true" or "True" or "TRUE" or "false" or "False" or "FALSE")
        {
            return value.Equals("true", StringComparison.OrdinalIgnoreCase);
        }
        if (long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
        {
            return l;
        }
        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
        {
            return d;
        }
        return value;
    }
}
