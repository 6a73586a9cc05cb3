using System.Collections.Immutable;
using System.Text;
using Dashboard.Client.Changes;
using Dashboard.Client.Model;
using DiffPlex.DiffBuilder;
using DiffPlex.DiffBuilder.Model;
using k8s;
using k8s.Models;

namespace Dashboard.Server.Changes;

/// <summary>
/// What a plan shows: objects as YAML without the noise people ask editors to hide (managedFields, status,
/// resourceVersion, uid, generation, creationTimestamp, last-applied-configuration), the manifest with a comment per
/// annotation, and the diff of the live object against the server's dry-run answer (DiffPlex computes the line diff;
/// the unified hunks are put together here). Pure.
/// </summary>
public static class PlanPresentation
{
    private const int Context = 3;

    /// <summary>A Kubernetes object as YAML with the noise removed; empty for null.</summary>
    public static string CleanYaml<T>(T? item) where T : class, IKubernetesObject<V1ObjectMeta>
    {
        if (item is null)
        {
            return "";
        }
        var copy = KubernetesJson.Deserialize<T>(KubernetesJson.Serialize(item));
        typeof(T).GetProperty("Status")?.SetValue(copy, null);
        if (copy.Metadata is { } meta)
        {
            meta.ManagedFields = null;
            meta.ResourceVersion = null;
            meta.Uid = null;
            meta.Generation = null;
            meta.CreationTimestamp = null;
            meta.SelfLink = null;
            if (meta.Annotations is { } annotations)
            {
                annotations.Remove("kubectl.kubernetes.io/last-applied-configuration");
                if (annotations.Count == 0)
                {
                    meta.Annotations = null;
                }
            }
        }
        return KubernetesYaml.Serialize(copy);
    }

    /// <summary>The manifest sent, as YAML, each annotation preceded by a comment saying what it does.</summary>
    public static string Manifest<T>(T item) where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var copy = KubernetesJson.Deserialize<T>(KubernetesJson.Serialize(item));
        copy.Metadata.ResourceVersion = null;
        var yaml = KubernetesYaml.Serialize(copy);
        var output = new StringBuilder();
        foreach (var line in yaml.Split('\n'))
        {
            var trimmed = line.TrimStart();
            var colon = trimmed.IndexOf(": ", StringComparison.Ordinal);
            if (colon > 0 && AnnotationCatalog.Meaning(trimmed[..colon].Trim('"')) is { } meaning)
            {
                output.Append(line[..(line.Length - trimmed.Length)]).Append("# ").Append(meaning).Append('\n');
            }
            output.Append(line).Append('\n');
        }
        return output.ToString().TrimEnd('\n') + "\n";
    }

    /// <summary>A unified diff (<c>---</c>/<c>+++</c> header, hunks with three lines of context); empty when the texts are equal.</summary>
    public static string UnifiedDiff(string oldText, string newText, string name)
    {
        if (oldText == newText)
        {
            return "";
        }
        var lines = InlineDiffBuilder.Diff(oldText, newText, ignoreWhiteSpace: false).Lines;
        var changed = lines.Select((l, i) => (l, i)).Where(p => p.l.Type is ChangeType.Inserted or ChangeType.Deleted).Select(p => p.i).ToList();
        if (changed.Count == 0)
        {
            return "";
        }
        var output = new StringBuilder();
        output.Append("--- live/").Append(name).Append('\n').Append("+++ planned/").Append(name).Append('\n');
        var index = 0;
        while (index < changed.Count)
        {
            var start = Math.Max(0, changed[index] - Context);
            var end = Math.Min(lines.Count - 1, changed[index] + Context);
            while (index + 1 < changed.Count && changed[index + 1] - Context <= end + 1)
            {
                index++;
                end = Math.Min(lines.Count - 1, changed[index] + Context);
            }
            var oldStart = 1 + lines.Take(start).Count(l => l.Type != ChangeType.Inserted);
            var newStart = 1 + lines.Take(start).Count(l => l.Type != ChangeType.Deleted);
            var slice = lines.Skip(start).Take(end - start + 1).ToList();
            output.Append($"@@ -{oldStart},{slice.Count(l => l.Type != ChangeType.Inserted)} +{newStart},{slice.Count(l => l.Type != ChangeType.Deleted)} @@\n");
            foreach (var line in slice)
            {
                output.Append(line.Type switch { ChangeType.Inserted => '+', ChangeType.Deleted => '-', _ => ' ' }).Append(line.Text).Append('\n');
            }
            index++;
        }
        return output.ToString();
    }

    /// <summary>The same comparison as side-by-side rows.</summary>
    public static ImmutableArray<DiffRow> SideBySide(string oldText, string newText)
    {
        if (oldText == newText)
        {
            return [];
        }
        var model = SideBySideDiffBuilder.Diff(oldText, newText, ignoreWhiteSpace: false);
        var rows = ImmutableArray.CreateBuilder<DiffRow>();
        for (var i = 0; i < Math.Max(model.OldText.Lines.Count, model.NewText.Lines.Count); i++)
        {
            var left = i < model.OldText.Lines.Count ? model.OldText.Lines[i] : null;
            var right = i < model.NewText.Lines.Count ? model.NewText.Lines[i] : null;
            var kind = (left?.Type, right?.Type) switch
            {
                (ChangeType.Unchanged, ChangeType.Unchanged) => DiffRowKind.Same,
                (ChangeType.Imaginary or null, _) => DiffRowKind.Added,
                (_, ChangeType.Imaginary or null) => DiffRowKind.Removed,
                _ => DiffRowKind.Changed,
            };
            rows.Add(new DiffRow(
                left?.Type == ChangeType.Imaginary ? null : left?.Position, left?.Type == ChangeType.Imaginary ? null : left?.Text,
                right?.Type == ChangeType.Imaginary ? null : right?.Position, right?.Type == ChangeType.Imaginary ? null : right?.Text,
                kind));
        }
        return rows.ToImmutable();
    }
}
