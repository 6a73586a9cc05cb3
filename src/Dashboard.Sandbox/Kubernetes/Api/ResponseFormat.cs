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

    private static readonly JsonSerializerOptions WireOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Compact JSON as the API server writes it (no \u0022-style escaping of quotes and '&lt;' inside strings).</summary>
    public static string Serialize(JsonNode node) => node.ToJsonString(WireOptions);

    public static async Task WriteAsync(HttpContext context, HttpStatusCode code, JsonNode body, CancellationToken cancellationToken)
    {
        context.Response.StatusCode = (int)code;
        context.Response.ContentType = "application/json";
        // UTF-8 straight into one growable buffer, then one write: no intermediate UTF-16 string of a multi-megabyte list.
        var buffer = new ArrayBufferWriter<byte>(64 * 1024);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = WireOptions.Encoder, SkipValidation = true }))
        {
            body.WriteTo(writer, WireOptions);
        }
        context.Response.ContentLength = buffer.WrittenCount;
        await context.Response.Body.WriteAsync(buffer.WrittenMemory, cancellationToken);
    }

    public static Task WriteErrorAsync(HttpContext context, StoreException error, CancellationToken cancellationToken) =>
        WriteAsync(context, error.Code, ApiStatus.Failure(error), cancellationToken);
}
