using System.Buffers;
using System.Net;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Dashboard.Sandbox.Kubernetes.Api;

/// <summary>What the client's Accept header asks for: plain objects, a meta.k8s.io Table, or PartialObjectMetadata.</summary>
internal enum ResponseShape { Object, Table, PartialObjectMetadata }

/// <summary>Content negotiation and JSON writing shared by every handler.</summary>
internal static class ResponseFormat
{
    public static ResponseShape Negotiate(HttpRequest request)
    {
        var accept = request.Headers.Accept.ToString();
        if (accept.Length == 0)
        {
            return ResponseShape.Object;
        }
        var jsonAllowed = false;
        foreach (var raw in accept.Split(','))
        {
            var parts = raw.Split(';', StringSplitOptions.TrimEntries);
            var media = parts[0];
            if (media == Protobuf.ProtobufEnvelope.MediaType && parts.Length == 1)
            {
                return ResponseShape.Object;
            }
            if (media is not ("application/json" or "application/*" or "*/*" or "application/yaml"))
            {
                continue;
            }
            jsonAllowed = true;
            var parameters = parts.Skip(1).Select(p => p.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1]);
            var asKind = parameters.GetValueOrDefault("as");
            if (asKind is null)
            {
                return ResponseShape.Object;
            }
            if (parameters.GetValueOrDefault("g") != "meta.k8s.io" || parameters.GetValueOrDefault("v") is not ("v1" or "v1beta1"))
            {
                continue;
            }
            if (asKind == "Table")
            {
                return ResponseShape.Table;
            }
            if (asKind is "PartialObjectMetadata" or "PartialObjectMetadataList")
            {
                return ResponseShape.PartialObjectMetadata;
            }
        }
        return jsonAllowed ? ResponseShape.Object : throw ApiStatus.NotAcceptable(accept);
    }

    /// <summary>
    /// Whether the client prefers the Kubernetes protobuf serialization: it comes first among the media types of its
    /// Accept header (kubectl's typed clients send <c>application/vnd.kubernetes.protobuf,application/json</c>).
    /// </summary>
    public static bool PrefersProtobuf(HttpRequest request)
    {
        var first = request.Headers.Accept.ToString().Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        return first == Protobuf.ProtobufEnvelope.MediaType;
    }

    private static readonly JsonSerializerOptions WireOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Compact JSON as the API server writes it (no \u0022-style escaping of quotes and '&lt;' inside strings).</summary>
    public static string Serialize(JsonNode node) => node.ToJsonString(WireOptions);

    /// <summary>The serializer options of every answer (for <see cref="JsonNode.WriteTo"/>).</summary>
    public static JsonSerializerOptions Options => WireOptions;

    /// <summary>A writer producing what <see cref="Serialize"/> produces, into <paramref name="buffer"/>.</summary>
    public static Utf8JsonWriter Writer(IBufferWriter<byte> buffer) =>
        new(buffer, new JsonWriterOptions { Encoder = WireOptions.Encoder, SkipValidation = true });

    public static async Task WriteAsync(HttpContext context, HttpStatusCode code, JsonNode body, CancellationToken cancellationToken)
    {
        if (PrefersProtobuf(context.Request) && body is JsonObject obj && EncodeProtobuf(context, obj) is { } protobuf)
        {
            await SendAsync(context, code, protobuf, Protobuf.ProtobufEnvelope.MediaType, cancellationToken);
            return;
        }
        // UTF-8 straight into one growable buffer, then one write: no intermediate UTF-16 string of a multi-megabyte list.
        var buffer = new ArrayBufferWriter<byte>(64 * 1024);
        using (var writer = Writer(buffer))
        {
            body.WriteTo(writer, WireOptions);
        }
        await SendAsync(context, code, buffer.WrittenMemory, "application/json", cancellationToken);
    }

    /// <summary>The object in protobuf, or null (then JSON is sent) for a kind without a schema or a value that does not fit it.</summary>
    private static byte[]? EncodeProtobuf(HttpContext context, JsonObject obj)
    {
        try
        {
            return Protobuf.ProtobufEnvelope.Encode(obj);
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException or OverflowException)
        {
            context.RequestServices?.GetService<ILoggerFactory>()?.CreateLogger(typeof(ResponseFormat))
                .LogWarning(e, "{Kind} {Name} does not fit its protobuf schema; answering JSON", obj["kind"], obj["metadata"]?["name"]);
            return null;
        }
    }

    /// <summary>A list answer in the API server's field order (kind, apiVersion, metadata, items) around items already written as a JSON array.</summary>
    public static async Task WriteListAsync(HttpContext context, string kind, string apiVersion, JsonObject metadata, ReadOnlyMemory<byte> items, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(items.Length + 512);
        using (var writer = Writer(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("kind", kind);
            writer.WriteString("apiVersion", apiVersion);
            writer.WritePropertyName("metadata");
            metadata.WriteTo(writer, WireOptions);
            writer.WritePropertyName("items");
            writer.WriteRawValue(items.Span, skipInputValidation: true);
            writer.WriteEndObject();
        }
        await SendAsync(context, HttpStatusCode.OK, buffer.WrittenMemory, "application/json", cancellationToken);
    }

    private static async Task SendAsync(HttpContext context, HttpStatusCode code, ReadOnlyMemory<byte> body, string contentType, CancellationToken cancellationToken)
    {
        context.Response.StatusCode = (int)code;
        context.Response.ContentType = contentType;
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, cancellationToken);
    }

    public static Task WriteErrorAsync(HttpContext context, StoreException error, CancellationToken cancellationToken) =>
        WriteAsync(context, error.Code, ApiStatus.Failure(error), cancellationToken);
}
