using System.Text.RegularExpressions;
using Dashboard.EndToEnd.Tests.Infrastructure;

namespace Dashboard.EndToEnd.Tests.Deployment;

/// <summary>
/// <c>dotnet run</c> with <c>ASPNETCORE_ENVIRONMENT=Production</c> on a build that was not published: every script and
/// style sheet the home page names is served with its content, not as an empty 200.
/// </summary>
public sealed partial class UnpublishedProductionTests
{
    [Fact]
    public async Task Every_static_file_of_the_home_page_has_content()
    {
        await using var server = await DashboardProcess.StartAsync(new Dictionary<string, string> { ["ASPNETCORE_ENVIRONMENT"] = "Production" });
        using var http = new HttpClient { BaseAddress = server.BaseUri, Timeout = TimeSpan.FromSeconds(60) };

        var html = await http.GetStringAsync("/");
        var assets = AssetReference().Matches(html).Select(match => match.Groups[1].Value)
            .Where(path => !path.StartsWith("http", StringComparison.Ordinal) && !path.StartsWith("//", StringComparison.Ordinal) && path.Length > 0)
            .Distinct()
            .ToList();

        Assert.Contains(assets, path => path.Contains("blazor.web", StringComparison.Ordinal));
        Assert.Contains(assets, path => path.Contains("MudBlazor", StringComparison.Ordinal));
        foreach (var path in assets)
        {
            using var response = await http.GetAsync(path.TrimStart('/'));
            var body = await response.Content.ReadAsByteArrayAsync();
            Assert.True(response.IsSuccessStatusCode && body.Length > 0, $"{path}: {(int)response.StatusCode}, {body.Length} bytes");
        }
    }

    [GeneratedRegex(@"(?:src|href)=""([^""?#]+\.(?:js|css))(?:\?[^""]*)?""", RegexOptions.IgnoreCase)]
    private static partial Regex AssetReference();
}
