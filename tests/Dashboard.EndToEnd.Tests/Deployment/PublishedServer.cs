using System.Text.Json;
using Dashboard.EndToEnd.Tests.Infrastructure;
using Dashboard.Testing;

namespace Dashboard.EndToEnd.Tests.Deployment;

/// <summary>
/// The image build without a Docker engine: the build stage's COPY lines are copied into a temporary folder (standing in
/// for its WORKDIR), and the Dockerfile's own <c>RUN dotnet publish ...</c> runs there, with only its output folder moved.
/// Published once for the test class.
/// </summary>
public sealed class PublishedServer : IAsyncLifetime
{
    private static readonly TimeSpan PublishTimeout = Patience.Scale(TimeSpan.FromMinutes(15));
    private readonly string _root = Directory.CreateTempSubdirectory("dashboard-publish-").FullName;

    public Dockerfile Dockerfile { get; } = Dockerfile.Load(Path.Combine(RepositoryPaths.Root, "Dockerfile"));

    /// <summary>The Dockerfile's publish command as written, e.g. <c>dotnet publish src/... -c Release -o /app/publish</c>.</summary>
    public string PublishCommand { get; private set; } = "";

    public string PublishDirectory => Path.Combine(_root, "publish");

    /// <summary>The dll the final stage's ENTRYPOINT runs, inside <see cref="PublishDirectory"/>.</summary>
    public string EntryPointDll { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var build = Dockerfile.Stages[0];
        var context = Path.Combine(_root, "src");
        Directory.CreateDirectory(context);
        foreach (var copy in build.All("COPY").Where(c => !c.Arguments.StartsWith("--from", StringComparison.Ordinal)))
        {
            CopyIntoContext(copy.Arguments, context);
        }

        var publish = build.All("RUN").Select(r => r.Arguments).SingleOrDefault(a => a.StartsWith("dotnet publish ", StringComparison.Ordinal))
            ?? throw new InvalidOperationException("The Dockerfile's build stage has no 'RUN dotnet publish ...' line.");
        PublishCommand = publish;
        var arguments = publish.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).ToList();
        var output = arguments.FindIndex(a => a is "-o" or "--output");
        if (output < 0 || output == arguments.Count - 1)
        {
            throw new InvalidOperationException($"The Dockerfile's publish command names no output folder (-o): {publish}");
        }
        arguments[output + 1] = PublishDirectory;

        var run = await ProcessRun.RunAsync("dotnet", arguments, context, new Dictionary<string, string>
        {
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["DOTNET_NOLOGO"] = "1",
            // No build servers left running after the test (the image build has none either).
            ["MSBUILDDISABLENODEREUSE"] = "1",
            ["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0",
            ["UseSharedCompilation"] = "false",
        }, PublishTimeout);
        if (run.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet {string.Join(' ', arguments)} failed ({run.ExitCode}):\n{run.Output}");
        }

        var entryPoint = JsonSerializer.Deserialize<string[]>(Dockerfile.Final.All("ENTRYPOINT").Single().Arguments)
            ?? throw new InvalidOperationException("The final stage's ENTRYPOINT is not an exec-form JSON array.");
        EntryPointDll = Path.Combine(PublishDirectory, entryPoint[^1]);
    }

    /// <summary>Docker's COPY for this Dockerfile's forms: files into a folder ("./"), a folder's content into a folder.</summary>
    private static void CopyIntoContext(string arguments, string context)
    {
        var parts = arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var destination = Path.GetFullPath(Path.Combine(context, parts[^1]));
        foreach (var source in parts[..^1])
        {
            var from = Path.Combine(RepositoryPaths.Root, source);
            if (Directory.Exists(from))
            {
                CopyDirectory(from, destination);
            }
            else
            {
                Directory.CreateDirectory(destination);
                File.Copy(from, Path.Combine(destination, Path.GetFileName(from)));
            }
        }
    }

    /// <summary>Copies a source tree without build output, as the repository's .dockerignore asks of the image build.</summary>
    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }
        foreach (var directory in Directory.EnumerateDirectories(from))
        {
            var name = Path.GetFileName(directory);
            if (name is "bin" or "obj" or ".sandbox")
            {
                continue;
            }
            CopyDirectory(directory, Path.Combine(to, name));
        }
    }

    public Task DisposeAsync()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by an exiting process: the temp folder is cleaned by the OS later.
        }
        return Task.CompletedTask;
    }
}
