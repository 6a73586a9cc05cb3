using System.Text.Json.Nodes;
using Google.Protobuf;

namespace Dashboard.Sandbox.Kubernetes.Protobuf;

/// <summary>
/// The Kubernetes protobuf serialization (<c>application/vnd.kubernetes.protobuf</c>): the four bytes <c>k8s\0</c>, then a
/// <c>runtime.Unknown</c> message whose <c>typeMeta</c> names the kind and whose <c>raw</c> holds the object's message.
/// </summary>
internal static class ProtobufEnvelope
{
    public const string MediaType = "application/vnd.kubernetes.protobuf";

    private static ReadOnlySpan<byte> Magic => "k8s\0"u8;

    /// <summary>Whether a Content-Type names the Kubernetes protobuf serialization (parameters ignored).</summary>
    public static bool IsProtobuf(string? contentType) =>
        string.Equals(contentType?.Split(';')[0].Trim(), MediaType, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Decodes an envelope into the JSON object model, with <c>kind</c> and <c>apiVersion</c> from its type meta.
    /// Throws <see cref="StoreException"/> (400) for a body that is not an envelope or names a kind without a schema.
    /// </summary>
    public static JsonObject Decode(ReadOnlySpan<byte> body)
    {
        if (!body.StartsWith(Magic))
        {
            throw StoreException.BadRequest("provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]");
        }
        string apiVersion = "", kind = "";
        var raw = ByteString.Empty;
        var input = new CodedInputStream(body[Magic.Length..].ToArray());
        try
        {
            uint tag;
            while ((tag = input.ReadTag()) != 0)
            {
                switch (WireFormat.GetTagFieldNumber(tag))
                {
                    case 1:
                        (apiVersion, kind) = ReadTypeMeta(input.ReadBytes());
                        break;
                    case 2:
                        raw = input.ReadBytes();
                        break;
                    default:
                        input.SkipLastField();
                        break;
                }
            }
            if (kind.Length == 0)
            {
                throw StoreException.BadRequest("Object 'Kind' is missing in the protobuf envelope");
            }
            var message = ProtoSchema.ForKind(apiVersion, kind)
                ?? throw StoreException.BadRequest($"no kind \"{kind}\" is registered for version \"{apiVersion}\" in the protobuf serializer");
            var fields = ProtoWire.DecodeMessage(message, raw.Span);
            var obj = new JsonObject { ["kind"] = kind, ["apiVersion"] = apiVersion };
            foreach (var (name, value) in fields.ToList())
            {
                fields.Remove(name);
                obj[name] = value;
            }
            // Re-read as text so that the values are what a JSON body gives (number nodes readable as int or long alike).
            return (JsonObject)JsonNode.Parse(obj.ToJsonString())!;
        }
        catch (InvalidProtocolBufferException e)
        {
            throw StoreException.BadRequest("the protobuf body could not be decoded: " + e.Message);
        }
    }

    /// <summary>
    /// Encodes an object (its <c>kind</c> and <c>apiVersion</c> into the type meta, the rest into <c>raw</c>), or returns
    /// null for a kind without a protobuf schema (custom resources, discovery documents). <c>Status</c>, which every
    /// group answers as <c>v1</c>, is meta/v1's message.
    /// </summary>
    public static byte[]? Encode(JsonObject obj)
    {
        var kind = obj["kind"]?.ToString() ?? "";
        var apiVersion = obj["apiVersion"]?.ToString() ?? "";
        var message = kind == "Status" ? ProtoSchema.Find("k8s.io.apimachinery.pkg.apis.meta.v1.Status") : ProtoSchema.ForKind(apiVersion, kind);
        if (message is null || kind.Length == 0)
        {
            return null;
        }
        using var typeMeta = new MemoryStream();
        var typeMetaOutput = new CodedOutputStream(typeMeta);
        typeMetaOutput.WriteTag(1, WireFormat.WireType.LengthDelimited);
        typeMetaOutput.WriteString(apiVersion);
        typeMetaOutput.WriteTag(2, WireFormat.WireType.LengthDelimited);
        typeMetaOutput.WriteString(kind);
        typeMetaOutput.Flush();
        using var buffer = new MemoryStream();
        buffer.Write(Magic);
        var output = new CodedOutputStream(buffer);
        output.WriteTag(1, WireFormat.WireType.LengthDelimited);
        output.WriteBytes(ByteString.CopyFrom(typeMeta.ToArray()));
        output.WriteTag(2, WireFormat.WireType.LengthDelimited);
        output.WriteBytes(ByteString.CopyFrom(ProtoWire.EncodeMessage(message, obj)));
        output.WriteTag(3, WireFormat.WireType.LengthDelimited);
        output.WriteString("");
        output.WriteTag(4, WireFormat.WireType.LengthDelimited);
        output.WriteString("");
        output.Flush();
        return buffer.ToArray();
    }

    private static (string ApiVersion, string Kind) ReadTypeMeta(ByteString bytes)
    {
        var input = new CodedInputStream(bytes.ToByteArray());
        string apiVersion = "", kind = "";
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1:
                    apiVersion = input.ReadString();
                    break;
                case 2:
                    kind = input.ReadString();
                    break;
                default:
                    input.SkipLastField();
                    break;
            }
        }
        return (apiVersion, kind);
    }
}
