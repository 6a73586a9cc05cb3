using System.Text.RegularExpressions;

namespace Dashboard.EndToEnd.Tests.Deployment;

/// <summary>
/// The repository's Dockerfile read into stages and instructions, so tests can run what the image build runs. Handles
/// what this Dockerfile uses: comments, line continuations, <c>FROM image AS name</c>, and <c>ENV key=value ...</c>.
/// </summary>
public sealed partial record Dockerfile(IReadOnlyList<DockerStage> Stages)
{
    public DockerStage Final => Stages[^1];

    public static Dockerfile Load(string path)
    {
        var stages = new List<DockerStage>();
        foreach (var line in LogicalLines(File.ReadAllLines(path)))
        {
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            var keyword = (space < 0 ? line : line[..space]).ToUpperInvariant();
            var arguments = space < 0 ? "" : line[(space + 1)..].Trim();
            if (keyword == "FROM")
            {
                var from = FromLine().Match(arguments);
                Assert.True(from.Success, $"Unreadable FROM line in {path}: {line}");
                stages.Add(new DockerStage(from.Groups["image"].Value, from.Groups["name"].Success ? from.Groups["name"].Value : null, []));
            }
            else
            {
                Assert.True(stages.Count > 0, $"{path}: '{line}' comes before the first FROM.");
                stages[^1].Instructions.Add(new DockerInstruction(keyword, arguments));
            }
        }
        Assert.NotEmpty(stages);
        return new Dockerfile(stages);
    }

    /// <summary>Joins continued lines (ending in a backslash) and drops comments, parser directives and blank lines.</summary>
    private static IEnumerable<string> LogicalLines(IEnumerable<string> lines)
    {
        var pending = "";
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            if (line.StartsWith('#') || (line.Length == 0 && pending.Length == 0))
            {
                continue;
            }
            if (line.EndsWith('\\'))
            {
                pending += line[..^1].TrimEnd() + " ";
                continue;
            }
            var whole = (pending + line).Trim();
            pending = "";
            if (whole.Length > 0)
            {
                yield return whole;
            }
        }
        if (pending.Trim().Length > 0)
        {
            yield return pending.Trim();
        }
    }

    [GeneratedRegex(@"^(?:--platform=\S+\s+)?(?<image>\S+)(?:\s+AS\s+(?<name>\S+))?$", RegexOptions.IgnoreCase)]
    private static partial Regex FromLine();
}

public sealed record DockerStage(string Image, string? Name, List<DockerInstruction> Instructions)
{
    public IEnumerable<DockerInstruction> All(string keyword) =>
        Instructions.Where(i => string.Equals(i.Keyword, keyword, StringComparison.OrdinalIgnoreCase));

    /// <summary>The stage's <c>ENV key=value</c> settings, in order (a later one wins).</summary>
    public IReadOnlyDictionary<string, string> Environment()
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var env in All("ENV"))
        {
            foreach (var pair in env.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                var equals = pair.IndexOf('=', StringComparison.Ordinal);
                Assert.True(equals > 0, $"ENV '{env.Arguments}': only the key=value form is supported.");
                values[pair[..equals]] = pair[(equals + 1)..].Trim('"');
            }
        }
        return values;
    }
}

public sealed record DockerInstruction(string Keyword, string Arguments);
