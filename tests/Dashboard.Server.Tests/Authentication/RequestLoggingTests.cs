using Dashboard.Server.Authentication;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Dashboard.Server.Tests.Authentication;

/// <summary>
/// The authorization code and state of a callback never reach the log, even with ASP.NET Core at Trace for every
/// provider and for the capturing provider by name; the dashboard's own request lines redact the callback's query.
/// </summary>
public sealed class RequestLoggingTests
{
    private const string Code = "CODE-4f1d2c9a7b";
    private const string State = "STATE-8e3a6b0d5c";

    [Fact]
    public async Task A_callback_with_the_code_in_the_query_is_logged_without_it()
    {
        var logs = new FakeLogCollector();
        using var factory = new DashboardFactory(
            DashboardFactory.Merge(DashboardFactory.OidcSettings, new Dictionary<string, string?>
            {
                ["Logging:LogLevel:Default"] = "Trace",
                ["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace",
                ["Logging:LogLevel:Dashboard.Requests"] = "Information",
                // A provider-specific rule beats general ones: it must not open the capped categories either.
                ["Logging:Fake:LogLevel:Microsoft.AspNetCore"] = "Trace",
                ["Logging:Fake:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics"] = "Trace",
            }),
            services =>
            {
                SignInChallengeTests.UseStaticConfiguration(services, SignInChallengeTests.StaticProvider);
                services.AddSingleton<ILoggerProvider>(new FakeLoggerProvider(logs));
            });
        using var client = factory.CreateNonRedirectingClient("https://dashboard.example.test");

        using var response = await client.GetAsync($"/signin-oidc?code={Code}&state={State}&session_state=x%0d%0aforged");

        var lines = logs.GetSnapshot().Select(record => $"{record.Category}: {record.Message}").ToList();
        Assert.Contains(lines, line => line.StartsWith(RequestLoggingMiddleware.Category, StringComparison.Ordinal)
            && line.Contains("GET /signin-oidc?[redacted]", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, line => line.Contains(Code, StringComparison.Ordinal) || line.Contains(State, StringComparison.Ordinal));
        Assert.DoesNotContain(lines, line => line.Contains('\n', StringComparison.Ordinal) && line.Contains("forged", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("/services\r\nFAKE LINE", "/services\\u000d\\u000aFAKE LINE")]
    [InlineData("plain", "plain")]
    public void Log_values_are_single_line(string value, string expected)
    {
        Assert.Equal(expected, LogValue.Sanitize(value));
    }
}
