namespace Dashboard.EndToEnd.Tests.Infrastructure;

/// <summary>Finds the repository root and the built server, so tests run what a user runs.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

#if DEBUG
    public const string Configuration = "Debug";
#else
    public const string Configuration = "Release";
#endif

    /// <summary>The server as `dotnet build` left it (test.sh builds the solution first).</summary>
    public static string ServerDll => Path.Combine(Root, "src", "Dashboard.Server", "bin", Configuration, "net10.0", "Dashboard.Server.dll");

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Dashboard.sln")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("Dashboard.sln not found above " + AppContext.BaseDirectory);
    }
}
