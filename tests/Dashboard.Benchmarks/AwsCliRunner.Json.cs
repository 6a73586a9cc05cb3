using System.Text.Json;

namespace Dashboard.Benchmarks;

internal sealed partial class AwsCliRunner
{
    /// <summary>One <c>aws</c> process against the sandbox; its JSON answer.</summary>
    public async Task<JsonElement> RunJsonAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var output = await RunAsync("aws",
            [.. arguments, "--endpoint-url", _endpoint.ToString().TrimEnd('/'), "--region", "us-east-1", "--output", "json"], cancellationToken);
        using var document = JsonDocument.Parse(output);
        return document.RootElement.Clone();
    }
}
