using System.Text;
using System.Xml;
using k8s.Models;

namespace Dashboard.Sandbox.Kubernetes.Api;

/// <summary>
/// The descriptions of KubernetesClient's model types and properties, read from the XML documentation the package ships
/// (<c>KubernetesClient.xml</c>, copied next to the assembly by the sandbox project). KubernetesClient generates its models
/// from the Kubernetes OpenAPI document, so these are the API's own field descriptions, which <c>kubectl explain</c> prints.
/// Only <c>k8s.Models</c> members are kept; a missing file leaves every description empty.
/// </summary>
internal static class ModelDocumentation
{
    private const string TypePrefix = "T:k8s.Models.";
    private const string PropertyPrefix = "P:k8s.Models.";

    private static readonly Lazy<IReadOnlyDictionary<string, string>> Summaries = new(Load);

    /// <summary>The description of a model type (<c>V1ServicePort</c>), or null.</summary>
    public static string? OfType(Type type) => Summaries.Value.GetValueOrDefault(TypePrefix + type.Name);

    /// <summary>The description of a model property (<c>V1ServicePort.Protocol</c>), or null.</summary>
    public static string? OfProperty(Type type, string property) => Summaries.Value.GetValueOrDefault($"{PropertyPrefix}{type.Name}.{property}");

    /// <summary>Where the documentation file is looked for: next to KubernetesClient.dll, then in the application's folder.</summary>
    public static IEnumerable<string> Candidates()
    {
        var assembly = typeof(V1Pod).Assembly.Location;
        if (assembly.Length > 0)
        {
            yield return Path.ChangeExtension(assembly, ".xml");
        }
        yield return Path.Combine(AppContext.BaseDirectory, "KubernetesClient.xml");
    }

    private static Dictionary<string, string> Load()
    {
        var summaries = new Dictionary<string, string>(StringComparer.Ordinal);
        var path = Candidates().FirstOrDefault(File.Exists);
        if (path is null)
        {
            return summaries;
        }
        // The file is large (every API operation is documented too): stream it and keep only the model members.
        using var reader = XmlReader.Create(path, new XmlReaderSettings { IgnoreComments = true, DtdProcessing = DtdProcessing.Prohibit });
        while (reader.ReadToFollowing("member"))
        {
            var name = reader.GetAttribute("name");
            if (name is null || !(name.StartsWith(TypePrefix, StringComparison.Ordinal) || name.StartsWith(PropertyPrefix, StringComparison.Ordinal)))
            {
                continue;
            }
            using var member = reader.ReadSubtree();
            if (member.ReadToDescendant("summary"))
            {
                summaries[name] = Normalize(member.ReadElementContentAsString());
            }
        }
        return summaries;
    }

    /// <summary>The XML wraps the description at a fixed width and indents it: join the lines back into paragraphs.</summary>
    private static string Normalize(string text)
    {
        var builder = new StringBuilder();
        var blank = false;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0)
            {
                blank = builder.Length > 0;
                continue;
            }
            if (builder.Length > 0)
            {
                builder.Append(blank ? "\n\n" : " ");
            }
            builder.Append(line);
            blank = false;
        }
        return builder.ToString();
    }
}
