using System.Diagnostics;
using System.Text.Json;
using Dashboard.Server.Sandbox;
using Dashboard.Server.Tests.Api;
using Dashboard.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Dashboard.Server.Tests.Metrics;

/// <summary>Runs the real AWS CLI against the fixture's embedded sandbox (the oracle the metrics API is compared with).</summary>
internal static class AwsCli
{
    public static Task<JsonElement> RunAsync(ApiScenarioFixture fixture, params string[] arguments) => RunAsync(fixture.Services, arguments);

    /// <summary>Against the embedded sandbox of any test server (its <paramref name="services"/>).</summary>
    public static async Task<JsonElement> RunAsync(IServiceProvider services, params string[] arguments)
    {
        var aws = services.GetRequiredService<EmbeddedSandbox>().Host!.AwsUri;
        var directory = Directory.CreateTempSubdirectory("aws-cli-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(directory, "config"), "");
            File.WriteAllText(Path.Combine(directory, "credentials"), "");
            var start = new ProcessStartInfo("aws") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var argument in arguments.Concat(["--endpoint-url", aws.ToString().TrimEnd('/'), "--region", "us-east-1", "--output", "json"]))
            {
                start.ArgumentList.Add(argument);
            }
            foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("AWS_", StringComparison.Ordinal)).ToList())
            {
                start.Environment.Remove(key);
            }
            start.Environment["AWS_ACCESS_KEY_ID"] = "sandbox";
            start.Environment["AWS_SECRET_ACCESS_KEY"] = "sandbox";
            start.Environment["AWS_CONFIG_FILE"] = Path.Combine(directory, "config");
            start.Environment["AWS_SHARED_CREDENTIALS_FILE"] = Path.Combine(directory, "credentials");
            start.Environment["AWS_EC2_METADATA_DISABLED"] = "true";
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(Patience.Slowly);
            await process.WaitForExitAsync(timeout.Token);
            Assert.True(process.ExitCode == 0, $"aws failed: {await stderr}");
            return JsonDocument.Parse(await stdout).RootElement.Clone();
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
