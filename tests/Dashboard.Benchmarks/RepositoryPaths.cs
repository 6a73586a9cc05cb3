namespace Dashboard.Benchmarks;

/// <summary>The repository root and the built programs the benchmarks start.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

#if DEBUG
    public const string Configuration = "Debug";
#else
    public const string Configuration = "Release";
#endif

    public static string SandboxDll => Built("Dashboard.Sandbox");

    public static string ServerDll => Built("Dashboard.Server");

    public static string BenchmarksDocument => Path.Combine(Root, "docs", "benchmarks.md");

    private static string Built(string project)
    {
        var path = Path.Combine(Root, "src", project, "bin", Configuration, "net10.0", project + ".dll");
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException($"Build first: dotnet build Dashboard.sln -c {Configuration}", path);
    }

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
