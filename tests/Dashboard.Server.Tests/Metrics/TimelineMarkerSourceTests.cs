using System.Globalization;
using System.Net;
using Dashboard.Client.Changes;
using Dashboard.Client.Metrics;
using Dashboard.Client.Model;
using Dashboard.Client.SmokeTests;
using Dashboard.Client.Verify;
using Dashboard.Server.Audit;
using Dashboard.Server.Metrics;
using Dashboard.Server.Tests.Api;
using Dashboard.Server.Tests.Changes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dashboard.Server.Tests.Metrics;

/// <summary>
/// The dashboard's own actions on the metrics timeline: guided changes from the audit trail and smoke tests from their
/// kept results, on the endpoint they touched, through <see cref="TimelineMarkerSource"/> and
/// <c>GET /api/v1/metrics/charts</c> (the same read the Metrics section makes).
/// </summary>
public sealed class TimelineMarkerSourceTests(ApiScenarioFixture fixture) : IClassFixture<ApiScenarioFixture>
{
    private const string HealthCheckDiff = """
        --- live/ingress/shop/web
        +++ planned/ingress/shop/web
        @@ -3,7 +3,7 @@
           annotations:
             alb.ingress.kubernetes.io/scheme: internet-facing
        -    alb.ingress.kubernetes.io/healthcheck-path: /ready
        +    # The path the load balancer's health check requests.
        +    alb.ingress.kubernetes.io/healthcheck-path: /healthz
             alb.ingress.kubernetes.io/target-type: ip
        """;

    private static ChangeRecord Record(string id, ObjectRef target, DateTimeOffset at, string outcome, string diff = HealthCheckDiff, string? rollsBack = null) => new()
    {
        ChangeId = id,
        PlanId = "p-" + id,
        At = at,
        User = "olivia",
        Action = rollsBack is null ? ChangeActions.Reconfigure : ChangeActions.Rollback,
        Object = target,
        Objects = [target],
        Outcome = outcome,
        Error = outcome == ChangeOutcomes.Applied ? null : "409: the Ingress changed since the plan",
        Diff = diff,
        RollsBack = rollsBack,
    };

    private static SmokeTestStatus Run(string id, ObjectRef endpoint, DateTimeOffset startedAt, long requests, long failures, string state = "done", string? stopReason = null) => new()
    {
        Id = id,
        Endpoint = endpoint,
        Target = new VerifyTarget { Id = "lb|80|", LoadBalancer = "lb", Scheme = "http", Host = "lb.example", Port = 80, Listener = "HTTP:80", DefaultPath = "/", BalancerScheme = "internet-facing" },
        Url = "http://lb.example/",
        Settings = new SmokeTestSettings(4, 10, 2, "GET", "/", 200),
        State = state,
        StopReason = stopReason,
        StartedAt = startedAt,
        EndedAt = startedAt.AddSeconds(10),
        RunBy = "olivia",
        Requests = requests,
        Failures = failures,
        LatencyMs = new LatencyFigures(1, 2, 3, 4),
    };

    [Fact]
    public void A_change_summary_names_what_changed_from_to()
    {
        Assert.Equal("healthcheck-path /ready → /healthz", ActionMarkers.Summary(HealthCheckDiff));
        Assert.Equal("port 80 → 8080, stickiness: true, target-type removed",
            ActionMarkers.Summary("--- a\n+++ b\n-  port: 80\n+  port: 8080\n+  stickiness: true\n-  alb.ingress.kubernetes.io/target-type: ip\n"));
        Assert.Equal("a: 1, b: 2, c: 3 (+1 more)", ActionMarkers.Summary("+a: 1\n+b: 2\n+c: 3\n+d: 4\n"));
        Assert.Equal("", ActionMarkers.Summary(""));
    }

    [Fact]
    public void Each_outcome_has_its_kind_text_and_link_and_refused_requests_draw_nothing()
    {
        var web = new ObjectRef(ObjectKind.Ingress, "shop", "web");
        var at = new DateTimeOffset(2026, 12, 3, 14, 2, 0, TimeSpan.Zero);

        var applied = ActionMarkers.From(Record("ch-1", web, at, ChangeOutcomes.Applied))!;
        var rolledBack = ActionMarkers.From(Record("ch-2", web, at, ChangeOutcomes.Applied, rollsBack: "ch-1"))!;
        var failed = ActionMarkers.From(Record("ch-3", web, at, ChangeOutcomes.Failed))!;
        var conflicted = ActionMarkers.From(Record("ch-4", web, at, ChangeOutcomes.Conflicted))!;
        var smoke = ActionMarkers.From(Run("st-1", web, at, 40, 0));
        var stopped = ActionMarkers.From(Run("st-2", web, at, 12, 9, "stopped", "auto-stopped: 9 of 12 requests failed"));

        Assert.Equal((at, ActionMarkers.Change, "olivia applied reconfigure: healthcheck-path /ready → /healthz", "changes/new?change=ch-1"),
            (applied.Time, applied.Kind, applied.Text, applied.Href));
        Assert.Equal((ActionMarkers.Rollback, "olivia rolled back change ch-1: healthcheck-path /ready → /healthz"), (rolledBack.Kind, rolledBack.Text));
        Assert.Equal((ActionMarkers.ChangeFailed, "reconfigure by olivia failed: 409: the Ingress changed since the plan"), (failed.Kind, failed.Text));
        Assert.Equal(ActionMarkers.ChangeFailed, conflicted.Kind);
        Assert.Contains("conflicted, nothing applied", conflicted.Text, StringComparison.Ordinal);
        Assert.Equal((at, ActionMarkers.Smoke, "smoke test by olivia: 40 requests, 0 errors", "endpoints/ingress/shop/web#smoke-title"),
            (smoke.Time, smoke.Kind, smoke.Text, smoke.Href));
        Assert.Equal("smoke test by olivia: 12 requests, 9 errors (auto-stopped: 9 of 12 requests failed)", stopped.Text);
        Assert.Null(ActionMarkers.From(Record("ch-5", web, at, ChangeOutcomes.Refused)));
        // The page shows the same text in the viewer's language.
        Assert.Equal("olivia đã áp dụng reconfigure: healthcheck-path /ready → /healthz", applied.Say!.Format(CultureInfo.GetCultureInfo("vi-VN")));
    }

    [Fact]
    public async Task The_source_reads_the_audit_trail_and_the_smoke_tests_of_the_endpoint_within_the_range()
    {
        await using var database = TestStateStore.Sqlite();
        var (state, schema) = database.Open();
        var audit = new StateAuditStore(state, schema);
        var web = new ObjectRef(ObjectKind.Ingress, "shop", "web");
        var other = new ObjectRef(ObjectKind.Service, "shop", "api");
        var end = new DateTimeOffset(2026, 12, 3, 15, 0, 0, TimeSpan.Zero);
        var start = end.AddHours(-1);
        await audit.AppendAsync(Record("ch-in", web, end.AddMinutes(-30), ChangeOutcomes.Applied), CancellationToken.None);
        await audit.AppendAsync(Record("ch-failed", web, end.AddMinutes(-20), ChangeOutcomes.Failed), CancellationToken.None);
        await audit.AppendAsync(Record("ch-refused", web, end.AddMinutes(-19), ChangeOutcomes.Refused), CancellationToken.None);
        await audit.AppendAsync(Record("ch-before", web, start.AddMinutes(-5), ChangeOutcomes.Applied), CancellationToken.None);
        await audit.AppendAsync(Record("ch-after", web, end.AddMinutes(5), ChangeOutcomes.Applied), CancellationToken.None);
        await audit.AppendAsync(Record("ch-other", other, end.AddMinutes(-10), ChangeOutcomes.Applied), CancellationToken.None);
        var smoke = new KeptSmokeTests(
            [Run("st-in", web, end.AddMinutes(-15), 40, 0), Run("st-old", web, start.AddMinutes(-1), 40, 0)],
            Run("st-running", web, end.AddMinutes(-1), 7, 1, "running"));
        var source = Source(audit, smoke);

        var markers = await source.ActionsAsync([web], start, end, CancellationToken.None);

        Assert.Equal(
            [
                ("change", "olivia applied reconfigure: healthcheck-path /ready → /healthz"),
                ("change-failed", "reconfigure by olivia failed: 409: the Ingress changed since the plan"),
                ("smoke", "smoke test by olivia: 40 requests, 0 errors"),
                ("smoke", "smoke test by olivia, running: 7 requests, 1 errors so far"),
            ],
            markers.OrderBy(m => m.Time).Select(m => (m.Kind, m.Text)));
        Assert.Equal(["web"], smoke.AskedFor.Select(e => e.Name).Distinct());
    }

    [Fact]
    public async Task A_failing_store_costs_the_markers_never_the_read()
    {
        var web = new ObjectRef(ObjectKind.Ingress, "shop", "web");
        var now = DateTimeOffset.UtcNow;
        var source = Source(new FailingAuditStore(), new KeptSmokeTests([Run("st-1", web, now.AddMinutes(-5), 40, 0)], null));

        var markers = await source.ActionsAsync([web], now.AddHours(-1), now, CancellationToken.None);

        Assert.Equal(["smoke"], markers.Select(m => m.Kind));
    }

    [Fact]
    public async Task The_charts_api_returns_the_guided_changes_of_the_balancers_endpoints_on_its_timeline()
    {
        var (_, balancers, _) = await fixture.GetAsync("/api/v1/load-balancers?limit=1000");
        var lb = balancers.GetProperty("items").EnumerateArray()
            .First(l => l.GetProperty("type").GetString() == "application" && l.GetProperty("owners").GetArrayLength() > 0);
        var name = lb.GetProperty("name").GetString()!;
        var owner = lb.GetProperty("owners")[0];
        var endpoint = new ObjectRef(Enum.Parse<ObjectKind>(owner.GetProperty("kind").GetString()!, ignoreCase: true),
            owner.GetProperty("namespace").GetString()!, owner.GetProperty("name").GetString()!);
        var audit = fixture.Services.GetRequiredService<IAuditStore>();
        var id = "ch-markers-" + Guid.NewGuid().ToString("N")[..8];
        var now = DateTimeOffset.UtcNow;
        await audit.AppendAsync(Record(id, endpoint, now.AddMinutes(-10), ChangeOutcomes.Applied), CancellationToken.None);
        await audit.AppendAsync(Record(id + "-old", endpoint, now.AddHours(-2), ChangeOutcomes.Applied), CancellationToken.None);

        var (status, body, _) = await fixture.GetAsync($"/api/v1/metrics/charts?lb={name}&range=1h");
        var (ownStatus, own, _) = await fixture.GetAsync($"/api/v1/metrics/charts?lb={name}&range=1h&endpoint={endpoint.ToString().ToLowerInvariant()}");
        var (otherStatus, other, _) = await fixture.GetAsync($"/api/v1/metrics/charts?lb={name}&range=1h&endpoint=service/nowhere/nothing");
        var (badStatus, bad, _) = await fixture.GetAsync($"/api/v1/metrics/charts?lb={name}&range=1h&endpoint=deployment/shop");

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK), (status, ownStatus, otherStatus));
        foreach (var answer in new[] { body, own })
        {
            var marker = answer.GetProperty("markers").EnumerateArray().Single(m => m.GetProperty("href").GetString() == ChangeUrls.Change(id));
            Assert.Equal("change", marker.GetProperty("kind").GetString());
            Assert.Equal("olivia applied reconfigure: healthcheck-path /ready → /healthz", marker.GetProperty("text").GetString());
            Assert.Equal(now.AddMinutes(-10).ToUnixTimeSeconds(), DateTimeOffset.Parse(marker.GetProperty("t").GetString()!, CultureInfo.InvariantCulture).ToUnixTimeSeconds());
            Assert.DoesNotContain(answer.GetProperty("markers").EnumerateArray(), m => m.GetProperty("href").GetString() == ChangeUrls.Change(id + "-old"));
        }
        Assert.DoesNotContain(other.GetProperty("markers").EnumerateArray(), m => m.GetProperty("kind").GetString() == "change");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, badStatus);
        Assert.True(bad.GetProperty("errors").TryGetProperty("endpoint", out _));
    }

    [Fact]
    public async Task The_openapi_document_describes_the_markers_and_the_endpoint_parameter()
    {
        var (status, document, _) = await fixture.GetAsync("/openapi/v1.json");

        Assert.Equal(HttpStatusCode.OK, status);
        var schemas = document.GetProperty("components").GetProperty("schemas");
        Assert.True(schemas.GetProperty("MetricsViewDto").GetProperty("properties").TryGetProperty("markers", out _));
        Assert.Equal(["href", "kind", "t", "text"],
            schemas.GetProperty("MetricMarkerDto").GetProperty("properties").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        var parameters = document.GetProperty("paths").GetProperty("/api/v1/metrics/charts").GetProperty("get").GetProperty("parameters");
        Assert.Contains(parameters.EnumerateArray(), p => p.GetProperty("name").GetString() == "endpoint");
    }

    private static TimelineMarkerSource Source(IAuditStore audit, ISmokeTests smoke) => new(
        new ServiceCollection().AddSingleton(audit).AddSingleton(smoke).BuildServiceProvider(), NullLogger<TimelineMarkerSource>.Instance);

    /// <summary>Kept runs and a running one, as the smoke-test service answers them; records which endpoints were asked for.</summary>
    private sealed class KeptSmokeTests(IReadOnlyList<SmokeTestStatus> kept, SmokeTestStatus? running) : ISmokeTests
    {
        public List<ObjectRef> AskedFor { get; } = [];

        public SmokeTestLimits Limits => new(60, 50, 10, 2, 0.5);

        public Task<SmokeTestStatus> StartAsync(ObjectRef endpoint, SmokeTestRequest request, ChangeActor actor, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<SmokeTestStatus?> GetAsync(string id, CancellationToken cancellationToken) => Task.FromResult(kept.FirstOrDefault(k => k.Id == id));

        public Task<bool> StopAsync(string id, ChangeActor actor, CancellationToken cancellationToken) => Task.FromResult(false);

        public SmokeTestStatus? Running(ObjectRef endpoint) => running?.Endpoint == endpoint ? running : null;

        public Task<SmokeTestStatus?> RunningAsync(ObjectRef endpoint, CancellationToken cancellationToken) => Task.FromResult(Running(endpoint));

        public Task<IReadOnlyList<SmokeTestStatus>> HistoryAsync(ObjectRef endpoint, CancellationToken cancellationToken)
        {
            AskedFor.Add(endpoint);
            return Task.FromResult<IReadOnlyList<SmokeTestStatus>>([.. kept.Where(k => k.Endpoint == endpoint)]);
        }
    }

    private sealed class FailingAuditStore : IAuditStore
    {
        public Task AppendAsync(ChangeRecord record, CancellationToken cancellationToken) => throw new InvalidOperationException("database is locked");

        public Task<ChangeRecord?> FindAsync(string changeId, CancellationToken cancellationToken) => throw new InvalidOperationException("database is locked");

        public Task<IReadOnlyList<ChangeRecord>> ListAsync(AuditQuery query, CancellationToken cancellationToken) => throw new InvalidOperationException("database is locked");
    }
}
