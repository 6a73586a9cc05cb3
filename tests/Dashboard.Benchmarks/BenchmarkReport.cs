using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace Dashboard.Benchmarks;

/// <summary>
/// One benchmark's result as a section of docs/benchmarks.md: replaced in place when the section exists (between its
/// markers), appended otherwise. Each section says how to reproduce it and on what machine it was measured.
/// </summary>
internal sealed class BenchmarkReport(string name, string title, string commandLine)
{
    private readonly StringBuilder _body = new();

    public void Line(string text = "") => _body.AppendLine(text);

    public void Table(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows)
    {
        _body.AppendLine("| " + string.Join(" | ", header) + " |");
        _body.AppendLine("| " + string.Join(" | ", header.Select(_ => "---")) + " |");
        foreach (var row in rows)
        {
            _body.AppendLine("| " + string.Join(" | ", row) + " |");
        }
        _body.AppendLine();
    }

    public string Render()
    {
        var text = new StringBuilder();
        text.AppendLine(Start).AppendLine($"## {title}").AppendLine();
        text.AppendLine("Reproduce (after `dotnet build Dashboard.sln -c Release`):").AppendLine();
        text.AppendLine("```sh").AppendLine(commandLine).AppendLine("```").AppendLine();
        text.AppendLine($"Measured {DateTimeOffset.UtcNow.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)} on {Machine()}.").AppendLine();
        text.Append(_body);
        text.AppendLine(End);
        return text.ToString();
    }

    /// <summary>Prints the section and writes it into docs/benchmarks.md.</summary>
    public void Publish()
    {
        var section = Render();
        Console.WriteLine();
        Console.WriteLine(section);
        var path = RepositoryPaths.BenchmarksDocument;
        var document = File.Exists(path) ? File.ReadAllText(path) : DocumentHeader;
        var start = document.IndexOf(Start, StringComparison.Ordinal);
        var end = document.IndexOf(End, StringComparison.Ordinal);
        document = start >= 0 && end > start
            ? document[..start] + section.TrimEnd('\n') + document[(end + End.Length)..]
            : document.TrimEnd('\n') + "\n\n" + section;
        File.WriteAllText(path, document.TrimEnd('\n') + "\n");
        Console.WriteLine($"Recorded in {path}");
    }

    private string Start => $"<!-- benchmark:{name} -->";
    private string End => $"<!-- /benchmark:{name} -->";

    private const string DocumentHeader = """
        # Benchmarks

        Whole-system figures measured by `tests/Dashboard.Benchmarks` (a console program, not a test: no timing is asserted
        anywhere). Each section below is written by the program itself, with the command that reproduces it and the machine it
        ran on. Figures from a shared, busy machine are noisy: compare runs on the same machine.

        """;

    /// <summary>"2 CPUs (nproc), 7.8 GiB memory, Linux 6.1 x64, .NET 10.0.1".</summary>
    public static string Machine()
    {
        var memory = TotalMemoryBytes() is { } bytes
            ? (bytes / 1024.0 / 1024 / 1024).ToString("0.0", CultureInfo.InvariantCulture) + " GiB memory"
            : "unknown memory";
        var cpu = CpuModel();
        return $"{Environment.ProcessorCount} CPUs (nproc){(cpu is null ? "" : $", {cpu}")}, {memory}, {RuntimeInformation.OSDescription.Trim()} "
            + $"{RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant()}, {RuntimeInformation.FrameworkDescription}";
    }

    private static long? TotalMemoryBytes()
    {
        const string meminfo = "/proc/meminfo";
        if (!File.Exists(meminfo))
        {
            return null;
        }
        var line = File.ReadLines(meminfo).FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
        var kilobytes = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        return long.TryParse(kilobytes, CultureInfo.InvariantCulture, out var value) ? value * 1024 : null;
    }

    private static string? CpuModel()
    {
        const string cpuinfo = "/proc/cpuinfo";
        return File.Exists(cpuinfo)
            ? File.ReadLines(cpuinfo).FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
    }
}
