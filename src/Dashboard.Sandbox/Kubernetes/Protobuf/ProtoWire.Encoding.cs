using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Google.Protobuf;

namespace Dashboard.Sandbox.Kubernetes.Protobuf;

/// <summary>Encoding: the JSON object model into protobuf messages, the inverse of decoding (for answers in protobuf).</summary>
internal static partial class ProtoWire
{
    /// <summary>
    /// Encodes a JSON object as <paramref name="message"/> (fields in number order; JSON members without a field are
    /// not written; null and absent members are not written). Throws <see cref="FormatException"/> for a value whose
    /// JSON type does not fit its field.
    /// </summary>
    public static byte[] EncodeMessage(ProtoMessage message, JsonObject obj)
    {
        using var buffer = new MemoryStream();
        var output = new CodedOutputStream(buffer);
        foreach (var field in message.ByNumber.Values.OrderBy(f => f.Number))
        {
            if (field.IsInline)
            {
                var embedded = ProtoSchema.Find(field.Type) ?? throw new InvalidOperationException($"The protobuf schema has no message {field.Type}.");
                var members = new JsonObject(embedded.ByName.Keys.Where(obj.ContainsKey).Select(name => KeyValuePair.Create(name, obj[name]?.DeepClone())));
                if (members.Count > 0)
                {
                    WriteLengthDelimited(output, field.Number, EncodeMessage(embedded, members));
                }
                continue;
            }
            if (!obj.TryGetPropertyValue(field.Name, out var value) || value is null)
            {
                continue;
            }
            if (field.IsMap)
            {
                foreach (var (key, item) in AsObject(value, field))
                {
                    if (item is not null)
                    {
                        using var entry = new MemoryStream();
                        var entryOutput = new CodedOutputStream(entry);
                        entryOutput.WriteTag(1, WireFormat.WireType.LengthDelimited);
                        entryOutput.WriteString(key);
                        Write(entryOutput, 2, field.MapValueType!, item);
                        entryOutput.Flush();
                        WriteLengthDelimited(output, field.Number, entry.ToArray());
                    }
                }
            }
            else if (field.Repeated)
            {
                foreach (var item in value as JsonArray ?? throw new FormatException($"{field.Name} must be a list, not {value.GetValueKind()}"))
                {
                    Write(output, field.Number, field.Type, item ?? throw new FormatException($"{field.Name} must not hold null items"));
                }
            }
            else
            {
                Write(output, field.Number, field.Type, value);
            }
        }
        output.Flush();
        return buffer.ToArray();
    }

    private static JsonObject AsObject(JsonNode value, ProtoField field) =>
        value as JsonObject ?? throw new FormatException($"{field.Name} must be an object, not {value.GetValueKind()}");

    private static void WriteLengthDelimited(CodedOutputStream output, int number, byte[] bytes)
    {
        output.WriteTag(number, WireFormat.WireType.LengthDelimited);
        output.WriteBytes(ByteString.CopyFrom(bytes));
    }

    private static void Write(CodedOutputStream output, int number, string type, JsonNode value)
    {
        switch (type)
        {
            case "string":
                output.WriteTag(number, WireFormat.WireType.LengthDelimited);
                output.WriteString(Text(value));
                return;
            case "bytes":
                WriteLengthDelimited(output, number, Convert.FromBase64String(Text(value)));
                return;
            case "bool":
                output.WriteTag(number, WireFormat.WireType.Varint);
                output.WriteBool(value.GetValueKind() switch
                {
                    JsonValueKind.True => true,
                    JsonValueKind.False => false,
                    var kind => throw new FormatException($"a boolean was expected, not {kind}"),
                });
                return;
            case "int32" or "int64" or "uint32" or "uint64":
                output.WriteTag(number, WireFormat.WireType.Varint);
                output.WriteInt64(Integer(value));
                return;
            case "double":
                output.WriteTag(number, WireFormat.WireType.Fixed64);
                output.WriteDouble((double)Number(value));
                return;
            case "float":
                output.WriteTag(number, WireFormat.WireType.Fixed32);
                output.WriteFloat((float)Number(value));
                return;
        }
        var bytes = type switch
        {
            TimeType or MicroTimeType => EncodeTime(Text(value)),
            DurationType => EncodeFields((1, ParseDuration(Text(value)))),
            QuantityType => EncodeFields((1, Text(value))),
            IntOrStringType => value.GetValueKind() == JsonValueKind.String
                ? EncodeFields((1, 1L), (3, Text(value)))
                : EncodeFields((1, 0L), (2, Integer(value))),
            RawExtensionType or FieldsV1Type => EncodeFields((1, ByteString.CopyFromUtf8(value.ToJsonString()))),
            _ => ProtoSchema.Find(type) switch
            {
                null => throw new InvalidOperationException($"The protobuf schema has no message {type}."),
                { IsList: true } list => EncodeMessage(list, new JsonObject { ["items"] = value.DeepClone() }),
                var message => EncodeMessage(message, value as JsonObject ?? throw new FormatException($"an object of {type} was expected, not {value.GetValueKind()}")),
            },
        };
        WriteLengthDelimited(output, number, bytes);
    }

    private static string Text(JsonNode value) =>
        value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : throw new FormatException($"a string was expected, not {value.GetValueKind()}");

    private static long Integer(JsonNode value) => (long)Number(value);

    /// <summary>A JSON number whatever its .NET representation (a parsed element, an int or a long set by code).</summary>
    private static decimal Number(JsonNode value) =>
        value.GetValueKind() == JsonValueKind.Number
            ? decimal.Parse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture)
            : throw new FormatException($"a number was expected, not {value.GetValueKind()}");

    private static byte[] EncodeTime(string text)
    {
        var time = DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        var seconds = time.ToUnixTimeSeconds();
        var nanos = (int)(time.UtcTicks % TimeSpan.TicksPerSecond * 100);
        return nanos == 0 ? EncodeFields((1, seconds)) : EncodeFields((1, seconds), (2, (long)nanos));
    }

    /// <summary>Go's <c>time.ParseDuration</c> units (h, m, s, ms, us, µs, ns), in nanoseconds.</summary>
    private static long ParseDuration(string text)
    {
        var total = 0m;
        foreach (Match part in DurationPart().Matches(text))
        {
            var amount = decimal.Parse(part.Groups[1].Value, CultureInfo.InvariantCulture);
            total += amount * part.Groups[2].Value switch
            {
                "h" => 3_600_000_000_000m,
                "m" => 60_000_000_000m,
                "s" => 1_000_000_000m,
                "ms" => 1_000_000m,
                "us" or "µs" => 1_000m,
                _ => 1m,
            };
        }
        return (long)(text.StartsWith('-') ? -total : total);
    }

    private static byte[] EncodeFields(params (int Number, object Value)[] fields)
    {
        using var buffer = new MemoryStream();
        var output = new CodedOutputStream(buffer);
        foreach (var (number, value) in fields)
        {
            switch (value)
            {
                case string text:
                    output.WriteTag(number, WireFormat.WireType.LengthDelimited);
                    output.WriteString(text);
                    break;
                case ByteString bytes:
                    output.WriteTag(number, WireFormat.WireType.LengthDelimited);
                    output.WriteBytes(bytes);
                    break;
                case long integer:
                    output.WriteTag(number, WireFormat.WireType.Varint);
                    output.WriteInt64(integer);
                    break;
            }
        }
        output.Flush();
        return buffer.ToArray();
    }

    [GeneratedRegex(@"(\d+(?:\.\d+)?)(h|ms|m|s|us|µs|ns)")]
    private static partial Regex DurationPart();
}
