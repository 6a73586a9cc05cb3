using Dashboard.EndToEnd.Tests.Infrastructure;

namespace Dashboard.EndToEnd.Tests.Deployment;

/// <summary>The image's shape, read from the Dockerfile (no Docker engine runs here): what it runs as and on.</summary>
public sealed class DockerfileTests
{
    private readonly Dockerfile _dockerfile = Dockerfile.Load(Path.Combine(RepositoryPaths.Root, "Dockerfile"));

    [Fact]
    public void The_final_stage_runs_the_server_as_a_non_root_user_on_a_chiseled_aspnet_runtime_image()
    {
        Assert.True(_dockerfile.Stages.Count >= 2, "The Dockerfile should be multi-stage: an SDK build stage and a runtime stage.");
        Assert.StartsWith("mcr.microsoft.com/dotnet/sdk:", _dockerfile.Stages[0].Image, StringComparison.Ordinal);

        var final = _dockerfile.Final;
        // The ASP.NET runtime (no SDK), in its chiseled form: no shell, no package manager.
        Assert.StartsWith("mcr.microsoft.com/dotnet/aspnet:", final.Image, StringComparison.Ordinal);
        Assert.Contains("chiseled", final.Image, StringComparison.Ordinal);

        var user = Assert.Single(final.All("USER")).Arguments;
        Assert.DoesNotMatch(@"^(root|0)(:|$)", user);
        // $APP_UID is the non-root "app" user (1654) the .NET images define.
        Assert.True(user is "$APP_UID" or "app" || (int.TryParse(user, out var uid) && uid > 0), $"USER {user} is not the images' non-root user.");
        // USER comes before the ENTRYPOINT, so the server never runs as root.
        var instructions = final.Instructions.Select(i => i.Keyword).ToList();
        Assert.True(instructions.IndexOf("USER") < instructions.IndexOf("ENTRYPOINT"), "USER must come before ENTRYPOINT.");

        Assert.Equal("""["dotnet", "Dashboard.Server.dll"]""", Assert.Single(final.All("ENTRYPOINT")).Arguments);
        var copy = Assert.Single(final.All("COPY")).Arguments;
        Assert.StartsWith($"--from={_dockerfile.Stages[0].Name} ", copy, StringComparison.Ordinal);
    }

    [Fact]
    public void The_image_is_configured_by_environment_for_a_cluster_and_listens_on_an_unprivileged_port()
    {
        var environment = _dockerfile.Final.Environment();
        Assert.Equal("InCluster", environment["Dashboard__Source"]);
        Assert.Equal("http://+:8080", environment["ASPNETCORE_URLS"]);
        Assert.Equal("8080", Assert.Single(_dockerfile.Final.All("EXPOSE")).Arguments);
    }

    [Fact]
    public void The_build_context_leaves_out_local_build_output()
    {
        // Without it, COPY src/ src/ would carry this machine's bin/ and obj/ (with absolute restore paths) into the image build.
        var ignore = Path.Combine(RepositoryPaths.Root, ".dockerignore");
        Assert.True(File.Exists(ignore), ".dockerignore is missing at the repository root.");
        var patterns = File.ReadAllLines(ignore).Select(l => l.Trim()).ToHashSet(StringComparer.Ordinal);
        Assert.Contains("**/bin/", patterns);
        Assert.Contains("**/obj/", patterns);
    }
}
