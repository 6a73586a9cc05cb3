using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Google.Protobuf;

namespace Dashboard.Sandbox.Kubernetes.Protobuf;

/// <summary>
/// Encodes the JSON object model the store keeps as Kubernetes protobuf messages, and decodes them back, by the schema
/// of <see cref="ProtoSchema"/>. Decoding does what the API server's Go decoder followed by its JSON encoder would: zero scalars of
/// non-pointer fields are "not set" (omitempty), the apimachinery wrapper types become their JSON forms (Time → RFC 3339,
/// Quantity → string, IntOrString → number or string, RawExtension/FieldsV1 → embedded JSON), bytes become base64.
/// </summary>
internal static partial class ProtoWire
{
    private const string Meta = "k8s.io.apimachinery.pkg.apis.meta.v1.";
    private const string TimeType = Meta + "Time";
    private const string MicroTimeType = Meta + "MicroTime";
    private const string DurationType = Meta + "Duration";
    private const string FieldsV1Type = Meta + "FieldsV1";
    private const string QuantityType = "k8s.io.apimachinery.pkg.api.resource.Quantity";
    private const string IntOrStringType = "k8s.io.apimachinery.pkg.util.intstr.IntOrString";
    private const string RawExtensionType = "k8s.io.apimachinery.pkg.runtime.RawExtension";

    public static bool IsScalar(string type) => type is "string" or "bytes" or "bool" or "int32" or "int64" or "uint32" or "uint64" or "double" or "float";

    /// <summary>Decodes one message into a JSON object (fields in wire order; unknown field numbers are skipped).</summary>
    public static JsonObject DecodeMessage(ProtoMessage message, ReadOnlySpan<byte> bytes)
    {
        var result = new JsonObject();
        var input = new CodedInputStream(bytes.ToArray());
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (!message.ByNumber.TryGetValue(WireFormat.GetTagFieldNumber(tag), out var field))
            {
                input.SkipLastField();
                continue;
            }
            var wireType = WireFormat.GetTagWireType(tag);
            if (field.IsMap)
            {
                var (key, value) = DecodeMapEntry(field, input.ReadBytes().Span);
                var map = result[field.Name] as JsonObject ?? (JsonObject)(result[field.Name] = new JsonObject());
                map[key] = value;
            }
            else if (field.Repeated)
            {
                var list = result[field.Name] as JsonArray ?? (JsonArray)(result[field.Name] = new JsonArray());
                if (wireType == WireFormat.WireType.LengthDelimited && IsScalar(field.Type) && field.Type is not ("string" or "bytes"))
                {
                    // A packed list of numbers or booleans.
                    var packed = new CodedInputStream(input.ReadBytes().ToByteArray());
                    while (!packed.IsAtEnd)
                    {
                        list.Add(ReadScalar(field.Type, packed));
                    }
                }
                else
                {
                    list.Add(Read(field.Type, input) ?? JsonValue.Create(""));
                }
            }
            else if (field.IsInline && Read(field.Type, input) is JsonObject embedded)
            {
                foreach (var (name, value) in embedded.ToList())
                {
                    embedded.Remove(name);
                    result[name] = value;
                }
            }
            else
            {
                var value = Read(field.Type, input);
                if (value is not null && (field.IsPointer || !IsZero(value)))
                {
                    result[field.Name] = value;
                }
                else
                {
                    result.Remove(field.Name);
                }
            }
        }
        return result;
    }

    private static (string Key, JsonNode? Value) DecodeMapEntry(ProtoField field, ReadOnlySpan<byte> bytes)
    {
        var input = new CodedInputStream(bytes.ToArray());
        var key = "";
        JsonNode? value = field.MapValueType is "string" ? "" : null;
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1:
                    key = input.ReadString();
                    break;
                case 2:
                    value = Read(field.MapValueType!, input);
                    break;
                default:
                    input.SkipLastField();
                    break;
            }
        }
        return (key, value ?? (field.MapValueType is "bytes" ? "" : null));
    }

    /// <summary>Reads one value of <paramref name="type"/>; null for a wrapper type holding its zero value (a zero Time, an empty Quantity…).</summary>
    private static JsonNode? Read(string type, CodedInputStream input)
    {
        if (IsScalar(type))
        {
            return ReadScalar(type, input);
        }
        var bytes = input.ReadBytes().Span;
        return type switch
        {
            TimeType or MicroTimeType => Time(bytes, micro: type == MicroTimeType),
            DurationType => Duration(bytes),
            QuantityType => StringField(bytes, 1) is { Length: > 0 } quantity ? quantity : null,
            IntOrStringType => IntOrString(bytes),
            RawExtensionType or FieldsV1Type => EmbeddedJson(bytes),
            _ => ProtoSchema.Find(type) switch
            {
                null => throw new InvalidOperationException($"The protobuf schema has no message {type}."),
                { IsList: true } list => DecodeMessage(list, bytes)["items"]?.DeepClone() ?? new JsonArray(),
                var message => DecodeMessage(message, bytes),
            },
        };
    }

    private static JsonNode ReadScalar(string type, CodedInputStream input) => type switch
    {
        "string" => input.ReadString(),
        "bytes" => Convert.ToBase64String(input.ReadBytes().Span),
        "bool" => input.ReadBool(),
        "int32" => input.ReadInt32(),
        "int64" => input.ReadInt64(),
        "uint32" => input.ReadUInt32(),
        "uint64" => input.ReadUInt64(),
        "double" => input.ReadDouble(),
        "float" => input.ReadFloat(),
        _ => throw new InvalidOperationException($"{type} is not a protobuf scalar type."),
    };

    private static bool IsZero(JsonNode value) => value switch
    {
        JsonValue v when v.TryGetValue<string>(out var s) => s.Length == 0,
        JsonValue v when v.TryGetValue<bool>(out var b) => !b,
        JsonValue v when v.TryGetValue<int>(out var i) => i == 0,
        JsonValue v when v.TryGetValue<long>(out var l) => l == 0,
        JsonValue v when v.TryGetValue<uint>(out var u) => u == 0,
        JsonValue v when v.TryGetValue<ulong>(out var ul) => ul == 0,
        JsonValue v when v.TryGetValue<double>(out var d) => d == 0,
        JsonValue v when v.TryGetValue<float>(out var f) => f == 0,
        _ => false,
    };

    /// <summary>meta/v1 Time (seconds precision) and MicroTime (microseconds) as RFC 3339 in UTC; the zero time is null, as Go writes it.</summary>
    private static JsonNode? Time(ReadOnlySpan<byte> bytes, bool micro)
    {
        long seconds = 0;
        long nanos = 0;
        var input = new CodedInputStream(bytes.ToArray());
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1:
                    seconds = input.ReadInt64();
                    break;
                case 2:
                    nanos = input.ReadInt32();
                    break;
                default:
                    input.SkipLastField();
                    break;
            }
        }
        if (seconds == 0 && nanos == 0)
        {
            return null;
        }
        var time = DateTimeOffset.FromUnixTimeSeconds(seconds).AddTicks(nanos / 100);
        return time.UtcDateTime.ToString(micro ? "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'" : "yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
    }

    /// <summary>meta/v1 Duration (nanoseconds) in Go's <c>time.Duration</c> form: <c>1h2m3s</c>, <c>1.5s</c>, <c>0s</c>.</summary>
    private static JsonNode? Duration(ReadOnlySpan<byte> bytes)
    {
        var nanoseconds = Int64Field(bytes, 1);
        if (nanoseconds == 0)
        {
            return "0s";
        }
        var span = TimeSpan.FromTicks(nanoseconds / 100);
        var text = new StringBuilder();
        if (span < TimeSpan.Zero)
        {
            text.Append('-');
            span = span.Negate();
        }
        if (span.TotalHours >= 1)
        {
            text.Append(CultureInfo.InvariantCulture, $"{(long)span.TotalHours}h");
        }
        if (span.TotalMinutes >= 1)
        {
            text.Append(CultureInfo.InvariantCulture, $"{span.Minutes}m");
        }
        var seconds = span.Seconds + (span.Ticks % TimeSpan.TicksPerSecond) / (double)TimeSpan.TicksPerSecond;
        text.Append(seconds.ToString("0.#########", CultureInfo.InvariantCulture)).Append('s');
        return text.ToString();
    }

    /// <summary>util/intstr IntOrString: type 0 is the number in field 2, type 1 the string in field 3.</summary>
    private static JsonNode? IntOrString(ReadOnlySpan<byte> bytes)
    {
        var isString = Int64Field(bytes, 1) == 1;
        return isString ? StringField(bytes, 3) ?? "" : (int)Int64Field(bytes, 2);
    }

    /// <summary>runtime.RawExtension and meta/v1 FieldsV1: field 1 holds JSON bytes, embedded as they are.</summary>
    private static JsonNode? EmbeddedJson(ReadOnlySpan<byte> bytes)
    {
        var input = new CodedInputStream(bytes.ToArray());
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (WireFormat.GetTagFieldNumber(tag) == 1)
            {
                var raw = input.ReadBytes();
                return raw.Length == 0 ? null : JsonNode.Parse(raw.Span);
            }
            input.SkipLastField();
        }
        return null;
    }

    private static string? StringField(ReadOnlySpan<byte> bytes, int number)
    {
        var input = new CodedInputStream(bytes.ToArray());
        string? value = null;
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (WireFormat.GetTagFieldNumber(tag) == number)
            {
                value = input.ReadString();
            }
            else
            {
                input.SkipLastField();
            }
        }
        return value;
    }

    private static long Int64Field(ReadOnlySpan<byte> bytes, int number)
    {
        var input = new CodedInputStream(bytes.ToArray());
        long value = 0;
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (WireFormat.GetTagFieldNumber(tag) == number)
            {
                value = input.ReadInt64();
            }
            else
            {
                input.SkipLastField();
            }
        }
        return value;
    }
}
