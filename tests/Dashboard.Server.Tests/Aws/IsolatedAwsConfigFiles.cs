using System.Runtime.CompilerServices;

namespace Dashboard.Server.Tests.Aws;

/// <summary>
/// Points the AWS SDK at empty shared config and credentials files of this test run, before any test touches the
/// SDK, so no test reads the developer's ~/.aws. AWSSDK.Core fixes the config file's location at its first use (the
/// static <c>SharedCredentialsFile.DefaultConfigDirectory</c>) and rereads only the content: a test that needs a
/// profile writes into <see cref="ConfigPath"/> rather than pointing <c>AWS_CONFIG_FILE</c> elsewhere.
/// </summary>
internal static class IsolatedAwsConfigFiles
{
    private static readonly string Directory = System.IO.Directory.CreateTempSubdirectory("dashboard-tests-aws-").FullName;

    public static string ConfigPath { get; } = Path.Combine(Directory, "config");

    public static string CredentialsPath { get; } = Path.Combine(Directory, "credentials");

    // CA2255 warns that libraries should not run code on load; this test assembly must, before xunit runs any test.
#pragma warning disable CA2255
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Initialize()
    {
        Reset();
        Environment.SetEnvironmentVariable("AWS_CONFIG_FILE", ConfigPath);
        Environment.SetEnvironmentVariable("AWS_SHARED_CREDENTIALS_FILE", CredentialsPath);
    }

    /// <summary>Empties both files again.</summary>
    public static void Reset()
    {
        File.WriteAllText(ConfigPath, "");
        File.WriteAllText(CredentialsPath, "");
    }
}
