using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dashboard.Client.Authorization;
using Dashboard.Server.Sandbox;
using Dashboard.Server.Tests.Api;
using Dashboard.Server.Tests.Authentication;
using Microsoft.Extensions.DependencyInjection;

namespace Dashboard.Server.Tests.Verify;

/// <summary>
/// Verify and smoke tests through the HTTP API v1 against the sandbox's data plane, and the checklist rows they and the
/// sandbox DNS feed: only the inventory's addresses are called, writes need Operator and the request header.
/// </summary>
public sealed class VerifyApiTests(ApiScenarioFixture fixture) : IClassFixture<ApiScenarioFixture>
{
    private const string Operator = DashboardRoles.Viewer + "," + DashboardRoles.Operator;
    private const string AlbIngress = "ingress/mlops/retail-forecast-alb-ingress";

    private async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpMethod method, string path, object? body, string roles = Operator, bool header = true)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Add(TestAuthenticationHandler.RolesHeader, roles);
        request.Headers.Add(TestAuthenticationHandler.UserHeader, "olivia");
        if (header)
        {
            request.Headers.Add("X-Dashboard-Request", "1");
        }
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }
        using var response = await fixture.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    private long DataPlaneRequests => fixture.Services.GetRequiredService<EmbeddedSandbox>().Host!.DataPlane.Requests;

    /// <summary>The simulated controller may still be building a balancer when a test starts: wait until the dashboard knows its listener.</summary>
    private Task ListenerKnownAsync(string endpoint) => ApiScenarioFixture.WaitUntilAsync(async () =>
    {
        var (code, body, _) = await fixture.GetAsync($"/api/v1/endpoints/{endpoint}/verify-targets");
        return code == HttpStatusCode.OK && body.ValueKind == JsonValueKind.Array && body.GetArrayLength() > 0;
    }, $"the listener of {endpoint} to be known");

    [Fact]
    public async Task Verify_sends_one_request_through_the_ALB_and_reports_status_certificate_and_timing()
    {
        await ListenerKnownAsync(AlbIngress);
        var (status, body) = await SendAsync(HttpMethod.Post, $"/api/v1/endpoints/{AlbIngress}/verify", new { });

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(200, body.GetProperty("statusCode").GetInt32());
        Assert.Equal("https://api.retail-forecast.com/healthz", body.GetProperty("url").GetString());
        Assert.Contains("\"healthy\"", body.GetProperty("bodyExcerpt").GetString(), StringComparison.Ordinal);
        Assert.Equal("olivia", body.GetProperty("runBy").GetString());
        // The planted mistake, seen as a client sees it: the seed's certificate does not cover api.retail-forecast.com.
        var certificate = body.GetProperty("certificate");
        Assert.False(certificate.GetProperty("coversHost").GetBoolean());
        Assert.Contains("retail-forecast.com", certificate.GetProperty("subjectAlternativeNames").EnumerateArray().Select(n => n.GetString()));
        Assert.True(certificate.GetProperty("chainProblem").ValueKind == JsonValueKind.Null, "the sandbox root is trusted in sandbox mode");
        var timing = body.GetProperty("timing");
        Assert.True(timing.GetProperty("totalMs").GetDouble() >= timing.GetProperty("firstByteMs").GetDouble());
        Assert.True(timing.GetProperty("tlsMs").GetDouble() > 0, "a TLS handshake took place");
        Assert.StartsWith("3.", body.GetProperty("resolvedAddress").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_URL_outside_the_inventory_is_refused_and_nothing_is_sent()
    {
        await ListenerKnownAsync(AlbIngress);
        var before = DataPlaneRequests;

        var (status, body) = await SendAsync(HttpMethod.Post, $"/api/v1/endpoints/{AlbIngress}/verify", new { url = "http://169.254.169.254/latest/meta-data/" });
        var (pathStatus, pathBody) = await SendAsync(HttpMethod.Post, $"/api/v1/endpoints/{AlbIngress}/verify", new { path = "//evil.example/x" });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Contains("not an address of", body.GetProperty("errors").GetProperty("url")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, pathStatus);
        Assert.True(pathBody.GetProperty("errors").TryGetProperty("path", out _));
        Assert.Equal(before, DataPlaneRequests);
    }

    [Fact]
    public async Task Sending_traffic_needs_the_Operator_role_and_the_request_header()
    {
        var (viewer, _) = await SendAsync(HttpMethod.Post, $"/api/v1/endpoints/{AlbIngress}/verify", new { }, roles: DashboardRoles.Viewer);
        var (noHeader, _) = await SendAsync(HttpMethod.Post, $"/api/v1/endpoints/{AlbIngress}/smoke-tests", new { }, header: false);
        var (unknown, _) = await SendAsync(HttpMethod.Post, "/api/v1/endpoints/ingress/mlops/nothing-here/verify", new { });

        Assert.Equal(HttpStatusCode.Forbidden, viewer);
        Assert.Equal(HttpStatusCode.BadRequest, noHeader);
        Assert.Equal(HttpStatusCode.NotFound, unknown);
    }

    [Fact]
    public async Task The_DNS_row_follows_the_sandbox_DNS_right_balancer_wrong_balancer_and_no_record()
    {
        async Task<(string State, string Reason)> RowAsync(string endpoint)
        {
            (string, string) row = default;
            await ApiScenarioFixture.WaitUntilAsync(async () =>
            {
                var (status, body, _) = await fixture.GetAsync("/api/v1/endpoints/" + endpoint);
                var item = status == HttpStatusCode.OK ? body.GetProperty("checklist").EnumerateArray().FirstOrDefault(c => c.GetProperty("code").GetString() == "dns") : default;
                if (item.ValueKind != JsonValueKind.Object || item.GetProperty("state").GetString() == "unknown")
                {
                    return false;
                }
                row = (item.GetProperty("state").GetString()!, item.GetProperty("reason").GetString()!);
                return true;
            }, "the dns row of " + endpoint);
            return row;
        }

        var own = await RowAsync(AlbIngress);
        var wrong = await RowAsync("ingress/mlops/retail-forecast-alb-advanced");
        var missing = await RowAsync("ingress/storefront/storefront");

        Assert.Equal("pass", own.State);
        Assert.Contains("is a CNAME of retail-forecast-alb-", own.Reason, StringComparison.Ordinal);
        Assert.Equal("fail", wrong.State);
        Assert.Contains("api.retail-forecast.com is a CNAME of retail-forecast-alb-", wrong.Reason, StringComparison.Ordinal);
        Assert.Contains("another balancer", wrong.Reason, StringComparison.Ordinal);
        Assert.Equal("fail", missing.State);
        Assert.Contains("shop.example.com does not resolve", missing.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_smoke_test_runs_at_its_rate_records_its_result_and_passes_the_checklist_row()
    {
        const string endpoint = "service/mlops/retail-forecast-nlb";
        var (tooFast, tooFastBody) = await SendAsync(HttpMethod.Post, $"/api/v1/endpoints/{endpoint}/smoke-tests", new { ratePerSecond = 100000 });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, tooFast);
        Assert.Contains("MaxRatePerSecond", tooFastBody.GetProperty("errors").GetProperty("ratePerSecond")[0].GetString(), StringComparison.Ordinal);
        await ListenerKnownAsync(endpoint);

        var (status, started) = await SendAsync(HttpMethod.Post, $"/api/v1/endpoints/{endpoint}/smoke-tests",
            new { ratePerSecond = 20, durationSeconds = 2, path = "/", expectStatus = 200 });
        Assert.Equal(HttpStatusCode.Accepted, status);
        var id = started.GetProperty("id").GetString()!;
        var (busy, _) = await SendAsync(HttpMethod.Post, $"/api/v1/endpoints/{endpoint}/smoke-tests", new { durationSeconds = 1 });

        JsonElement result = default;
        await ApiScenarioFixture.WaitUntilAsync(async () =>
        {
            var (code, body, _) = await fixture.GetAsync("/api/v1/smoke-tests/" + id);
            result = body;
            return code == HttpStatusCode.OK && body.GetProperty("state").GetString() != "running";
        }, "the smoke test to end");

        Assert.Equal(HttpStatusCode.Conflict, busy);
        Assert.Equal("done", result.GetProperty("state").GetString());
        Assert.Equal(40, result.GetProperty("requests").GetInt64());
        Assert.Equal(40, result.GetProperty("statusCodes").GetProperty("200").GetInt64());
        var latency = result.GetProperty("latencyMs");
        Assert.True(latency.GetProperty("p50").GetDouble() > 0);
        Assert.True(latency.GetProperty("max").GetDouble() >= latency.GetProperty("p99").GetDouble());
        await ApiScenarioFixture.WaitUntilAsync(async () =>
        {
            var (_, body, _) = await fixture.GetAsync("/api/v1/endpoints/" + endpoint);
            return body.GetProperty("checklist").EnumerateArray().Any(c => c.GetProperty("code").GetString() == "smoke" && c.GetProperty("state").GetString() == "pass");
        }, "the smoke row to pass");
        var (_, history, _) = await fixture.GetAsync($"/api/v1/endpoints/{endpoint}/smoke-tests");
        Assert.Contains(history.EnumerateArray(), h => h.GetProperty("id").GetString() == id && h.GetProperty("runBy").GetString() == "olivia");
    }

    [Fact]
    public async Task Stop_ends_a_running_smoke_test_within_a_second()
    {
        const string endpoint = "ingress/mlops/retail-forecast-alb-advanced";
        await ListenerKnownAsync(endpoint);
        var (status, started) = await SendAsync(HttpMethod.Post, $"/api/v1/endpoints/{endpoint}/smoke-tests", new { ratePerSecond = 10, durationSeconds = 30 });
        Assert.Equal(HttpStatusCode.Accepted, status);
        var id = started.GetProperty("id").GetString()!;

        var (stop, _) = await SendAsync(HttpMethod.Delete, "/api/v1/smoke-tests/" + id, null);
        var clock = Stopwatch.StartNew();
        JsonElement result = default;
        await ApiScenarioFixture.WaitUntilAsync(async () =>
        {
            (_, result, _) = await fixture.GetAsync("/api/v1/smoke-tests/" + id);
            return result.GetProperty("state").GetString() != "running";
        }, "the smoke test to stop");

        Assert.Equal(HttpStatusCode.Accepted, stop);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1.5), $"stopped after {clock.Elapsed}");
        Assert.Equal("stopped", result.GetProperty("state").GetString());
        Assert.Contains("stopped by olivia", result.GetProperty("stopReason").GetString(), StringComparison.Ordinal);
        Assert.True(result.GetProperty("requests").GetInt64() < 300);
    }
}
