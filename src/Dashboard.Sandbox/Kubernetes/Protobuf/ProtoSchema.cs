using System.Collections.Frozen;
using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;

namespace Dashboard.Sandbox.Kubernetes.Protobuf;

/// <summary>One field of a protobuf message: its number, JSON name, and either a scalar type or a message type.</summary>
/// <param name="Name">The field name, which in the Kubernetes schema is the JSON name.</param>
/// <param name="Number">The field number on the wire.</param>
/// <param name="Type">A scalar type (<c>string</c>, <c>int32</c>, <c>bytes</c>…) or a message's full name (<c>k8s.io.api.core.v1.PodSpec</c>).</param>
/// <param name="Repeated">A list (<c>repeated</c>).</param>
/// <param name="MapValueType">For <c>map&lt;string, V&gt;</c> fields, V (scalar or message full name); null otherwise.</param>
/// <param name="IsPointer">Whether the Go field is a pointer, so that a zero value on the wire means the zero value rather than "unset".</param>
/// <param name="IsInline">Whether the Go field is an embedded struct whose fields JSON writes into the enclosing object.</param>
internal sealed record ProtoField(string Name, int Number, string Type, bool Repeated, string? MapValueType, bool IsPointer, bool IsInline)
{
    public bool IsMap => MapValueType is not null;
}

/// <summary>A message of the schema with its fields by number and by name.</summary>
/// <param name="FullName">Package and name, e.g. <c>k8s.io.api.apps.v1.Deployment</c>.</param>
/// <param name="ByNumber">The fields by wire number.</param>
/// <param name="ByName">The fields by (JSON) name.</param>
/// <param name="IsList">A Go named string slice (<c>type ExtraValue []string</c>): its <c>items</c> are a plain JSON array.</param>
internal sealed record ProtoMessage(string FullName, FrozenDictionary<int, ProtoField> ByNumber, FrozenDictionary<string, ProtoField> ByName, bool IsList);

/// <summary>
/// The published protobuf schema of the Kubernetes kinds the sandbox serves (k8s.io/api and k8s.io/apimachinery
/// <c>generated.proto</c> files, embedded without comments), read by a parser for the small proto2 subset those files
/// use: one package per file, top-level messages, <c>optional</c>/<c>repeated</c> fields and <c>map&lt;string, V&gt;</c>.
/// </summary>
internal static partial class ProtoSchema
{
    private const string ResourcePrefix = "Dashboard.Sandbox.Kubernetes.Protobuf.Schema.";

    private static readonly Lazy<FrozenDictionary<string, ProtoMessage>> Messages = new(Load);

    /// <summary>The message named <paramref name="fullName"/> (e.g. <c>k8s.io.api.apps.v1.Deployment</c>), or null.</summary>
    public static ProtoMessage? Find(string fullName) => Messages.Value.GetValueOrDefault(fullName);

    /// <summary>
    /// The message of a kind, found as the Kubernetes code generator names it: group <c>""</c> is <c>core</c>, a group's
    /// first label names its package (<c>apps</c>, <c>networking.k8s.io</c> → <c>networking</c>), and <c>meta.k8s.io</c>
    /// lives in apimachinery. Null for kinds without a protobuf schema (custom resources).
    /// </summary>
    public static ProtoMessage? ForKind(string apiVersion, string kind)
    {
        var slash = apiVersion.IndexOf('/');
        var (group, version) = slash < 0 ? ("", apiVersion) : (apiVersion[..slash], apiVersion[(slash + 1)..]);
        var package = group switch
        {
            "" => "k8s.io.api.core." + version,
            "meta.k8s.io" => "k8s.io.apimachinery.pkg.apis.meta." + version,
            _ => $"k8s.io.api.{group.Split('.')[0]}.{version}",
        };
        return Find(package + "." + kind);
    }

    private static FrozenDictionary<string, ProtoMessage> Load()
    {
        var assembly = typeof(ProtoSchema).Assembly;
        var goFields = ReadGoFields(assembly);
        var messages = new Dictionary<string, ProtoMessage>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal) && n.EndsWith(".proto", StringComparison.Ordinal)))
        {
            foreach (var message in Parse(ReadResource(assembly, resource), goFields))
            {
                messages.Add(message.FullName, message);
            }
        }
        return messages.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>The <c>go-fields.txt</c> facts as a set of lines: <c>pointer M.f</c>, <c>inline M.f</c>, <c>list M</c>.</summary>
    private static HashSet<string> ReadGoFields(Assembly assembly) =>
        ReadResource(assembly, ResourcePrefix + "go-fields.txt")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => !l.StartsWith('#'))
            .ToHashSet(StringComparer.Ordinal);

    private static string ReadResource(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name) ?? throw new InvalidOperationException($"The embedded resource {name} is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>
    /// Parses one <c>.proto</c> file; type names are resolved to full names (relative names are in the file's package).
    /// <paramref name="goFields"/> holds <c>pointer {message}.{field}</c>, <c>inline {message}.{field}</c> and <c>list {message}</c> facts.
    /// </summary>
    public static IEnumerable<ProtoMessage> Parse(string text, IReadOnlySet<string> goFields)
    {
        string package = "";
        string? message = null;
        var fields = new List<ProtoField>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith("//", StringComparison.Ordinal))
            {
                continue;
            }
            if (PackageLine().Match(line) is { Success: true } p)
            {
                package = p.Groups["name"].Value;
            }
            else if (MessageLine().Match(line) is { Success: true } m)
            {
                message = package + "." + m.Groups["name"].Value;
                fields.Clear();
            }
            else if (line == "}" && message is not null)
            {
                yield return new ProtoMessage(message, fields.ToFrozenDictionary(f => f.Number), fields.ToFrozenDictionary(f => f.Name, StringComparer.Ordinal),
                    goFields.Contains("list " + message));
                message = null;
            }
            else if (message is not null && FieldLine().Match(line) is { Success: true } f)
            {
                var name = f.Groups["name"].Value;
                var number = int.Parse(f.Groups["number"].Value, CultureInfo.InvariantCulture);
                var mapValue = f.Groups["value"].Success ? Resolve(f.Groups["value"].Value, package) : null;
                var type = mapValue is null ? Resolve(f.Groups["type"].Value, package) : "map";
                fields.Add(new ProtoField(name, number, type, f.Groups["label"].Value == "repeated", mapValue,
                    goFields.Contains($"pointer {message}.{name}"), goFields.Contains($"inline {message}.{name}")));
            }
            else if (message is not null)
            {
                throw new FormatException($"Unsupported line in message {message} of the protobuf schema: {line}");
            }
        }
    }

    private static string Resolve(string type, string package) =>
        type.StartsWith('.') ? type[1..] : ProtoWire.IsScalar(type) ? type : package + "." + type;

    [GeneratedRegex(@"^package (?<name>[\w.]+);$")]
    private static partial Regex PackageLine();

    [GeneratedRegex(@"^message (?<name>\w+) \{$")]
    private static partial Regex MessageLine();

    [GeneratedRegex(@"^(?:(?<label>optional|repeated) (?<type>[\w.]+)|map<string, (?<value>[\w.]+)>) (?<name>\w+) = (?<number>\d+);$")]
    private static partial Regex FieldLine();
}
