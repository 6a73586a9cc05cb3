using Bunit;
using Dashboard.Client.Components.Pages.Endpoints;
using Dashboard.Client.Feed;
using Dashboard.Client.Model;
using Dashboard.Client.Tests.Support;
using static Dashboard.Client.Tests.Support.TopologyObjects;

namespace Dashboard.Client.Tests.Endpoints;

public class EndpointPageTests : TopologyTestContext
{
    private IRenderedComponent<EndpointPage> RenderEndpoint(string kind, string ns, string name) =>
        Render<EndpointPage>(p => p.Add(x => x.Kind, kind).Add(x => x.Namespace, ns).Add(x => x.Name, name));

    [Fact]
    public void Renders_the_chain_from_object_to_pods_with_health_colours()
    {
        Topology.Endpoints[ForecastIngress.Key] = ForecastEndpoint();

        var cut = RenderEndpoint("ingress", "mlops", "retail-forecast");

        Assert.Equal(ForecastIngress, Topology.EndpointSubscriptions.Single().Endpoint);
        var chain = cut.Find("[data-testid='chain']");
        Assert.Contains("mlops/retail-forecast", chain.QuerySelector("[data-testid='chain-object']")!.TextContent, StringComparison.Ordinal);
        var balancer = chain.QuerySelector("[data-testid='chain-balancer']")!;
        Assert.Contains("k8s-shop-0123456789", balancer.TextContent, StringComparison.Ordinal);
        Assert.Contains("ALB · internet-facing · active", balancer.TextContent, StringComparison.Ordinal);
        Assert.Contains("health-warn", balancer.ClassName, StringComparison.Ordinal);
        Assert.Equal(["HTTP:80 → HTTPS:443", "HTTPS:443"], chain.QuerySelectorAll("[data-testid='chain-listener'] .strong").Select(e => e.TextContent));
        Assert.Contains("1/2 healthy", chain.QuerySelector("[data-testid='chain-target-group']")!.TextContent, StringComparison.Ordinal);
        var unhealthy = chain.QuerySelector("[data-testid='chain-target'][data-target='10.0.1.5:8080']")!;
        Assert.Contains("health-bad", unhealthy.QuerySelector(".target-pill")!.ClassName, StringComparison.Ordinal);
        Assert.Equal("retail-forecast-7d9f-abcde", unhealthy.QuerySelector(".pod-pill")!.TextContent);
    }

    [Fact]
    public void Lists_rules_target_group_settings_drift_and_targets_with_their_pods()
    {
        Topology.Endpoints[ForecastIngress.Key] = ForecastEndpoint();

        var cut = RenderEndpoint("ingress", "mlops", "retail-forecast");

        var rule = cut.Find("[data-testid='rule']");
        Assert.Contains("host forecast.example.com and path /*", rule.TextContent, StringComparison.Ordinal);
        Assert.Contains("→ k8s-mlops-retailfo-7c1d2e3f4a", rule.TextContent, StringComparison.Ordinal);
        Assert.Equal("endpoints/ingress/mlops/retail-forecast", rule.QuerySelector("a")!.GetAttribute("href"));

        var group = cut.Find("[data-testid='target-group']");
        Assert.Contains("HTTP /healthz on traffic-port every 10s, timeout 5s, 3↑ 2↓, codes 200", group.TextContent, StringComparison.Ordinal);
        Assert.Contains("Deregistration delay (s)", group.TextContent, StringComparison.Ordinal);
        Assert.Contains("round_robin", group.TextContent, StringComparison.Ordinal);
        var drift = group.QuerySelector("[data-testid='drift']")!;
        Assert.Contains("alb.ingress.kubernetes.io/healthcheck-path", drift.TextContent, StringComparison.Ordinal);

        var target = cut.Find("[data-testid='target'][data-target='10.0.1.5:8080']");
        Assert.Equal("unhealthy", target.GetAttribute("data-state"));
        var cells = target.QuerySelectorAll("td").Select(td => td.TextContent.Trim()).ToArray();
        Assert.Equal("ap-southeast-1a", cells[1]);
        Assert.Equal("Target.ResponseCodeMismatch", cells[3]);
        Assert.Equal("Health checks failed with these codes: [500]", cells[4]);
        Assert.Equal("7m", cells[5]);
        Assert.Equal("retail-forecast-7d9f-abcde", cells[6]);
        Assert.Equal("no", cells[8]);
        Assert.Equal("ip-10-0-1-20", cells[10]);
        Assert.Equal("True", cells[11]);
    }

    [Fact]
    public void Shows_the_checklist_diagnosis_and_events()
    {
        Topology.Endpoints[ForecastIngress.Key] = ForecastEndpoint();

        var cut = RenderEndpoint("ingress", "mlops", "retail-forecast");

        Assert.Equal(["Pass", "Fail", "Warn"], cut.FindAll("[data-testid='check']").Select(c => c.GetAttribute("data-state")!));
        Assert.Contains("health-bad", cut.Find("[data-code='health']").ClassName, StringComparison.Ordinal);
        Assert.Contains("1 of 2 targets unhealthy", cut.Find("[data-code='health']").TextContent, StringComparison.Ordinal);
        var diagnosis = cut.Find(".endpoint-overview [data-testid='diagnosis']");
        Assert.Equal("response-code-mismatch", diagnosis.GetAttribute("data-code"));
        Assert.Contains("Last answer: 500", diagnosis.TextContent, StringComparison.Ordinal);
        Assert.Contains("success-codes", diagnosis.QuerySelector(".fix")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("FailedDeployModel", cut.Find(".event-table").TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-testid='missing-balancer']"));
    }

    [Fact]
    public void Without_a_balancer_the_reason_is_shown_prominently()
    {
        Topology.Endpoints[ForecastNlbService.Key] = new EndpointViewModel
        {
            Object = ForecastNlbService,
            MissingBalancerReason = "FailedBuildModel: unable to resolve at least one subnet (0 match VPC and tags: [kubernetes.io/role/elb])",
        };

        var cut = RenderEndpoint("service", "mlops", "retail-forecast-nlb");

        var alert = cut.Find("[data-testid='missing-balancer']");
        Assert.Contains("No load balancer.", alert.TextContent, StringComparison.Ordinal);
        Assert.Contains("unable to resolve at least one subnet", alert.TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-testid='chain']"));
    }

    [Fact]
    public void The_log_tail_is_read_on_demand_when_asked_and_errors_are_said()
    {
        Topology.Endpoints[ForecastIngress.Key] = ForecastEndpoint();
        Topology.Logs["mlops/retail-forecast-7d9f-abcde"] = "GET /healthz 500\nERROR model not loaded";
        var cut = RenderEndpoint("ingress", "mlops", "retail-forecast");
        Assert.Empty(Topology.LogRequests);
        Assert.Empty(cut.FindAll("[data-testid='pod-log']"));

        cut.Find("[data-target='10.0.1.5:8080'] [data-testid='log-button']").Click();

        var log = cut.WaitForElement("[data-testid='pod-log'] .log-text", Timeout);
        Assert.Equal("GET /healthz 500\nERROR model not loaded", log.TextContent);
        Assert.Equal(("mlops", "retail-forecast-7d9f-abcde", 200), Assert.Single(Topology.LogRequests));

        cut.Find("[data-target='10.0.2.7:8080'] [data-testid='log-button']").Click();
        cut.WaitForAssertion(() => Assert.Contains(
            "Could not read the log of mlops/retail-forecast-7d9f-fghij: pods \"retail-forecast-7d9f-fghij\" not found",
            cut.Find("[data-testid='pod-log']").TextContent, StringComparison.Ordinal), Timeout);
    }

    [Fact]
    public void An_open_log_stays_open_while_the_endpoint_changes_live_and_closes_with_its_button()
    {
        Topology.Endpoints[ForecastIngress.Key] = ForecastEndpoint();
        Topology.Logs["mlops/retail-forecast-7d9f-abcde"] = "ERROR model not loaded";
        var cut = RenderEndpoint("ingress", "mlops", "retail-forecast");
        cut.Find("[data-target='10.0.1.5:8080'] [data-testid='log-button']").Click();
        cut.WaitForElement("[data-testid='pod-log'] .log-text", Timeout);

        var healed = ForecastEndpoint() with
        {
            LoadBalancers = [ShopAlb(Target("10.0.1.5", "healthy", pod: "retail-forecast-7d9f-abcde"), Target("10.0.2.7", "healthy", pod: "retail-forecast-7d9f-fghij"))],
        };
        Topology.Push(ForecastIngress, FeedChange<EndpointViewModel>.Upsert(ForecastIngress.Key, healed));

        cut.WaitForAssertion(() => Assert.Equal("healthy", cut.Find("[data-target='10.0.1.5:8080'][data-testid='target']").GetAttribute("data-state")), Timeout);
        Assert.Equal("ERROR model not loaded", cut.Find("[data-testid='pod-log'] .log-text").TextContent);
        Assert.Single(Topology.LogRequests);

        cut.Find("[data-testid='pod-log'] button[aria-label='Close the log']").Click();

        // The page renders pushed batches on the renderer's own turn: wait for the close to be rendered, not the next line.
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-testid='pod-log']")), Timeout);
    }

    [Fact]
    public void A_pushed_change_replaces_the_endpoint_and_a_delete_says_it_is_gone()
    {
        Topology.Endpoints[ForecastIngress.Key] = ForecastEndpoint();
        var cut = RenderEndpoint("ingress", "mlops", "retail-forecast");

        var healed = ForecastEndpoint() with
        {
            LoadBalancers = [ShopAlb(Target("10.0.1.5", "healthy", pod: "retail-forecast-7d9f-abcde"), Target("10.0.2.7", "healthy", pod: "retail-forecast-7d9f-fghij"))],
            Diagnoses = [],
        };
        Topology.Push(ForecastIngress, FeedChange<EndpointViewModel>.Upsert(ForecastIngress.Key, healed));
        cut.WaitForAssertion(() => Assert.Equal("healthy", cut.Find("[data-target='10.0.1.5:8080'][data-testid='target']").GetAttribute("data-state")), Timeout);
        Assert.NotNull(cut.Find("[data-testid='no-diagnosis']"));

        Topology.Push(ForecastIngress, FeedChange<EndpointViewModel>.Delete(ForecastIngress.Key));
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid='endpoint-unknown']")), Timeout);
    }

    [Fact]
    public void A_new_route_resubscribes_and_cancels_the_old_subscription()
    {
        Topology.Endpoints[ForecastIngress.Key] = ForecastEndpoint();
        var cut = RenderEndpoint("ingress", "mlops", "retail-forecast");

        cut.Render(p => p.Add(x => x.Kind, "service").Add(x => x.Namespace, "mlops").Add(x => x.Name, "retail-forecast-nlb"));

        // Re-subscribing waits for the old reader to stop first.
        cut.WaitForAssertion(() => Assert.Equal(2, Topology.EndpointSubscriptions.Count), Timeout);
        var subscriptions = Topology.EndpointSubscriptions.ToArray();
        Assert.Equal([ForecastIngress, ForecastNlbService], subscriptions.Select(s => s.Endpoint).ToArray());
        Assert.True(subscriptions[0].Token.IsCancellationRequested);
        Assert.False(subscriptions[1].Token.IsCancellationRequested);
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid='endpoint-unknown']")), Timeout);
    }

    [Fact]
    public void An_unknown_kind_in_the_url_names_the_fix_and_subscribes_to_nothing()
    {
        var cut = RenderEndpoint("deployment", "mlops", "retail-forecast");

        Assert.Contains("Unknown kind 'deployment' in the URL: use /endpoints/service/{namespace}/{name}", cut.Find("[data-testid='bad-url']").TextContent, StringComparison.Ordinal);
        Assert.Empty(Topology.EndpointSubscriptions);
    }
}
