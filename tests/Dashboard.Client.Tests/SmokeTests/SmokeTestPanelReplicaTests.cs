using System.Security.Claims;
using Bunit;
using Dashboard.Client.Authorization;
using Dashboard.Client.Changes;
using Dashboard.Client.Components.Pages.Endpoints;
using Dashboard.Client.Model;
using Dashboard.Client.SmokeTests;
using Dashboard.Client.Tests.Support;
using Dashboard.Client.Verify;

namespace Dashboard.Client.Tests.SmokeTests;

/// <summary>
/// The endpoint page's smoke test on a replica that does not run the test: it shows the other replica's run (as
/// <see cref="ISmokeTests.RunningAsync"/> answers from the state store) and its Stop asks the service to stop it there.
/// </summary>
public sealed class SmokeTestPanelReplicaTests : DashboardTestContext
{
    private static readonly ObjectRef Endpoint = new(ObjectKind.Ingress, "mlops", "retail-forecast-alb-ingress");

    private static readonly VerifyTarget Target = new()
    {
        Id = "alb|80|forecast.example.com", LoadBalancer = "retail-forecast-alb", Scheme = "http", Host = "forecast.example.com", Port = 80,
        Listener = "HTTP:80", DefaultPath = "/", BalancerScheme = "internet-facing",
    };

    private static SmokeTestStatus Run(string state, long requests, string? stopReason = null) => new()
    {
        Id = "st-elsewhere", Endpoint = Endpoint, Target = Target, Url = "http://forecast.example.com/",
        Settings = new SmokeTestSettings(5, 30, 2, "GET", "/", 200), State = state, StopReason = stopReason,
        StartedAt = Objects.Now, RunBy = "oscar", Requests = requests, LatencyMs = new LatencyFigures(1, 2, 3, 4),
    };

    /// <summary>The service as a replica that does not run the test sees it: nothing local, the store's figures.</summary>
    private sealed class OtherReplicasRun : ISmokeTests
    {
        public SmokeTestStatus Stored { get; set; } = Run("running", 12);

        public List<(string Id, string By)> Stops { get; } = [];

        public SmokeTestLimits Limits => new(60, 50, 10, 2, 0.5);

        public Task<SmokeTestStatus> StartAsync(ObjectRef endpoint, SmokeTestRequest request, ChangeActor actor, CancellationToken cancellationToken) =>
            throw new NotSupportedException();

        public Task<SmokeTestStatus?> GetAsync(string id, CancellationToken cancellationToken) => Task.FromResult<SmokeTestStatus?>(id == Stored.Id ? Stored : null);

        public Task<bool> StopAsync(string id, ChangeActor actor, CancellationToken cancellationToken)
        {
            Stops.Add((id, actor.Name));
            // The running replica acts on the request and writes its result.
            Stored = Run("stopped", 20, $"stopped by {actor.Name}");
            return Task.FromResult(true);
        }

        public SmokeTestStatus? Running(ObjectRef endpoint) => null;

        public Task<SmokeTestStatus?> RunningAsync(ObjectRef endpoint, CancellationToken cancellationToken) =>
            Task.FromResult<SmokeTestStatus?>(endpoint == Endpoint && Stored.State == "running" ? Stored : null);

        public Task<IReadOnlyList<SmokeTestStatus>> HistoryAsync(ObjectRef endpoint, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<SmokeTestStatus>>([]);
    }

    private sealed class OneTarget : IEndpointVerifier
    {
        public IReadOnlyList<VerifyTarget> Targets(ObjectRef endpoint) => [Target];

        public Task<VerifyResult> VerifyAsync(ObjectRef endpoint, VerifyRequest request, ChangeActor actor, CancellationToken cancellationToken) =>
            throw new NotSupportedException();

        public VerifyResult? Last(ObjectRef endpoint) => null;
    }

    private IRenderedComponent<SmokeTestPanel> RenderPanel(ISmokeTests smoke)
    {
        RenderPopoverProvider();
        return Render<SmokeTestPanel>(p => p.Add(s => s.Endpoint, Endpoint).Add(s => s.Verifier, new OneTarget()).Add(s => s.Smoke, smoke));
    }

    [Fact]
    public void An_operator_sees_another_replicas_run_and_stops_it_from_here()
    {
        Authorization.SetAuthorized("olivia");
        Authorization.SetClaims(new Claim(DashboardRoles.ClaimType, DashboardRoles.Viewer), new Claim(DashboardRoles.ClaimType, DashboardRoles.Operator));
        var smoke = new OtherReplicasRun();
        var cut = RenderPanel(smoke);

        Assert.Equal("running", cut.Find("[data-testid=smoke-figures]").GetAttribute("data-state"));
        Assert.StartsWith("12 /", cut.Find("[data-testid=smoke-requests]").TextContent.Trim(), StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-testid=smoke-start]"));

        cut.Find("[data-testid=smoke-stop] button, button[data-testid=smoke-stop]").Click();

        Assert.Equal([("st-elsewhere", "olivia")], smoke.Stops);
        // The page keeps reading the run by id: the stored result replaces the figures and the form is back.
        cut.WaitForAssertion(() => Assert.Equal("stopped", cut.Find("[data-testid=smoke-figures]").GetAttribute("data-state")), Timeout);
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=smoke-start]")), Timeout);
        Assert.Empty(cut.FindAll("[data-testid=smoke-error]"));
    }

    [Fact]
    public void A_viewer_sees_the_run_but_cannot_stop_it()
    {
        Authorization.SetClaims(new Claim(DashboardRoles.ClaimType, DashboardRoles.Viewer));
        var smoke = new OtherReplicasRun();
        var cut = RenderPanel(smoke);

        Assert.Equal("running", cut.Find("[data-testid=smoke-figures]").GetAttribute("data-state"));
        Assert.True(cut.Find("button[data-testid=smoke-stop]").HasAttribute("disabled"));
    }
}
