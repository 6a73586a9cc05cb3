using System.Text.Json.Nodes;
using Dashboard.Sandbox.Aws;
using Dashboard.Sandbox.Cluster;
using Dashboard.Sandbox.LoadBalancerController;

namespace Dashboard.Sandbox.Tests.LoadBalancerController;

/// <summary>One health check against a simulated pod, and the matcher grammar.</summary>
public sealed class HealthCheckProbeTests
{
    private static readonly HealthCheck _http = new() { Protocol = "HTTP", Path = "/healthz", Matcher = "200-399", Port = "traffic-port" };

    private static ProbedPod Pod(PodHealth health, bool crash = false) => new(
        (JsonObject)JsonNode.Parse("""
            {"spec":{"containers":[{"name":"api","ports":[{"containerPort":8080}],"readinessProbe":{"httpGet":{"path":"/healthz","port":8080}}}]}}
            """)!,
        new PodBehaviour { Namespace = "mlops", Name = "api-1", Health = health, CrashLooping = crash, Ready = true });

    [Theory]
    [InlineData("200", 200, true)]
    [InlineData("200", 404, false)]
    [InlineData("200-399", 302, true)]
    [InlineData("200,404", 404, true)]
    [InlineData("200-299,500", 503, false)]
    public void Matcher_accepts_codes_ranges_and_lists(string matcher, int code, bool expected) =>
        Assert.Equal(expected, HealthCheckProbe.Matches(matcher, code));

    [Fact]
    public void Behaviours_map_to_the_ELB_reason_codes()
    {
        Assert.True(HealthCheckProbe.Check(_http, Pod(PodHealth.Ok)).Success);
        Assert.Equal(ProbeResult.Code(500), HealthCheckProbe.Check(_http, Pod(PodHealth.Http500)));
        Assert.Equal(ProbeResult.TimedOut, HealthCheckProbe.Check(_http, Pod(PodHealth.Timeout)));
        Assert.Equal(ProbeResult.Failed, HealthCheckProbe.Check(_http, Pod(PodHealth.Refuse)));
        Assert.Equal(ProbeResult.Failed, HealthCheckProbe.Check(_http, Pod(PodHealth.Ok, crash: true)));
        Assert.Equal(ProbeResult.TimedOut, HealthCheckProbe.Check(_http, null));
        // TCP checks only connect: a 500-answering pod passes, a refusing one does not.
        var tcp = _http with { Protocol = "TCP", Path = null, Matcher = null };
        Assert.True(HealthCheckProbe.Check(tcp, Pod(PodHealth.Http500)).Success);
        Assert.False(HealthCheckProbe.Check(tcp, Pod(PodHealth.Refuse)).Success);
    }

    [Fact]
    public void Paths_the_pod_does_not_serve_and_ports_nothing_listens_on_fail()
    {
        Assert.Equal("Health checks failed with these codes: [404]", HealthCheckProbe.Check(_http with { Path = "/ready" }, Pod(PodHealth.Ok)).Description);
        Assert.True(HealthCheckProbe.Check(_http with { Path = "/" }, Pod(PodHealth.Ok)).Success);
        Assert.Equal(ProbeResult.Failed, HealthCheckProbe.Check(_http with { Port = "9090" }, Pod(PodHealth.Ok)));
        Assert.True(HealthCheckProbe.Check(_http with { Port = "8080" }, Pod(PodHealth.Ok)).Success);
    }

    [Fact]
    public void Nodes_pass_when_a_reachable_pod_passes_and_the_local_health_port_answers_503_without_pods()
    {
        Assert.True(HealthCheckProbe.CheckNode(_http, [Pod(PodHealth.Http500), Pod(PodHealth.Ok)], healthCheckNodePort: false).Success);
        Assert.Equal(ProbeResult.Code(500), HealthCheckProbe.CheckNode(_http, [Pod(PodHealth.Http500)], healthCheckNodePort: false));
        Assert.Equal(ProbeResult.Failed, HealthCheckProbe.CheckNode(_http, [], healthCheckNodePort: false));
        Assert.Equal(ProbeResult.Code(503), HealthCheckProbe.CheckNode(_http, [], healthCheckNodePort: true));
    }
}
