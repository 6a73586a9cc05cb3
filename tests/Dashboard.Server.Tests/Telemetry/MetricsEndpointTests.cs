using System.Net;
using Dashboard.Client.Authorization;
using Dashboard.Server.Tests.Authentication;
using Dashboard.Server.Tests.ScaleOut;

namespace Dashboard.Server.Tests.Telemetry;

/// <summary><c>/metrics</c> when turned on: Prometheus text with the dashboard's own instruments, behind the Viewer policy; absent by default.</summary>
public sealed class MetricsEndpointTests
{
    [Fact]
    public async Task When_turned_on_a_viewer_scrapes_the_dashboards_own_metrics_and_anonymous_callers_do_not()
    {
        using var factory = DashboardFactory.WithTestUsers(new Dictionary<string, string?> { ["Dashboard:Telemetry:Prometheus"] = "true" });
        using var client = factory.CreateNonRedirectingClient();

        // Gauges are read at each scrape; AWS requests appear once the poller has called the (embedded) sandbox.
        string text = "";
        await Until.TrueAsync(async () =>
        {
            var response = await client.GetAsUserAsync("/metrics", DashboardRoles.Viewer);
            text = response.StatusCode == HttpStatusCode.OK ? await response.Content.ReadAsStringAsync() : "";
            return text.Contains("dashboard_aws_requests", StringComparison.Ordinal)
                && text.Contains("dashboard_kubernetes_watch_lag", StringComparison.Ordinal)
                && text.Contains("dashboard_aws_poll_queue_depth", StringComparison.Ordinal);
        }, "the AWS request counter, the watch lag and the poll queue depth in /metrics");

        Assert.Contains("# TYPE dashboard_leader", text, StringComparison.Ordinal);
        Assert.Contains("dashboard_source_state", text, StringComparison.Ordinal);
        Assert.Contains("dashboard_circuits", text, StringComparison.Ordinal);
        Assert.Contains("http_server_request_duration_seconds", text, StringComparison.Ordinal);
        var anonymous = await client.GetAsUserAsync("/metrics", roles: null);
        Assert.True(anonymous.IsRedirectToSignIn() || anonymous.StatusCode == HttpStatusCode.Unauthorized, $"anonymous /metrics answered {anonymous.StatusCode}");
        Assert.DoesNotContain("dashboard_", await anonymous.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task By_default_there_is_no_metrics_endpoint()
    {
        using var factory = DashboardFactory.WithTestUsers();
        using var client = factory.CreateNonRedirectingClient();

        var response = await client.GetAsUserAsync("/metrics", DashboardRoles.Viewer);

        Assert.DoesNotContain("# TYPE", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
