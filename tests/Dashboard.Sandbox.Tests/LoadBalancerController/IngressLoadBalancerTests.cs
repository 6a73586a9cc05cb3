using System.Text.Json.Nodes;
using Dashboard.Sandbox.Aws;
using Dashboard.Sandbox.Kubernetes;

namespace Dashboard.Sandbox.Tests.LoadBalancerController;

/// <summary>alb Ingresses: groups merged into one ALB, rule order, shared hostname, bindings; readiness gates.</summary>
public sealed class IngressLoadBalancerTests
{
    [Fact]
    public async Task An_ingress_group_of_two_gets_one_ALB_with_the_rules_of_both_in_group_order_and_one_hostname()
    {
        await using var account = SimulatedAccount.Start();
        account.Apply(Manifests.RetailForecastDeployment);
        account.Apply(Manifests.IngressGroup);
        string? Hostname(string name) => SimulatedAccount.Hostname(account.Store.Get(ResourceTypes.Ingresses, "mlops", name));

        Assert.True(await account.AdvanceUntilAsync(() => Hostname("forecast-api") is not null && Hostname("forecast-metrics") is not null, TimeSpan.FromSeconds(10)));
        var loadBalancer = Assert.Single(account.Aws.GetLoadBalancers());
        Assert.Equal(LoadBalancerType.Application, loadBalancer.Type);
        Assert.Matches("^k8s-shop-[0-9a-f]{10}$", loadBalancer.Name);
        Assert.Equal(loadBalancer.DnsName, Hostname("forecast-api"));
        Assert.Equal(Hostname("forecast-api"), Hostname("forecast-metrics"));
        Assert.Equal("shop", account.Aws.GetTags(loadBalancer.Arn)["ingress.k8s.aws/stack"]);

        var listener = Assert.Single(account.Aws.GetListeners(loadBalancer.Arn));
        Assert.Equal((80, "HTTP"), (listener.Port, listener.Protocol));
        Assert.Equal("404", listener.DefaultActions[0].FixedResponse?.StatusCode);
        var rules = account.Aws.GetRules(listener.Arn).Where(r => !r.IsDefault).ToList();
        // group.order 10 (forecast-metrics) before 20 (forecast-api).
        Assert.Equal(["1", "2"], rules.Select(r => r.Priority));
        Assert.Equal(["metrics.retail-forecast.com"], rules[0].Conditions.Single(c => c.Field == "host-header").Values.ToArray());
        Assert.Equal(["/metrics"], rules[0].Conditions.Single(c => c.Field == "path-pattern").Values.ToArray());
        Assert.Equal(["api.retail-forecast.com"], rules[1].Conditions.Single(c => c.Field == "host-header").Values.ToArray());
        Assert.Equal(["/predict", "/predict/*"], rules[1].Conditions.Single(c => c.Field == "path-pattern").Values.ToArray());

        // One target group per member backend, tagged with the member, each with its TargetGroupBinding.
        var groups = account.Aws.GetTargetGroupsOf(loadBalancer.Arn);
        Assert.Equal(2, groups.Length);
        Assert.Equal(["mlops/forecast-api-retail-forecast-service:80", "mlops/forecast-metrics-retail-forecast-service:http"],
            groups.Select(g => account.Aws.GetTags(g.Arn)["ingress.k8s.aws/resource"]).Order());
        Assert.Equal("/healthz", groups.Single(g => account.Aws.GetTags(g.Arn)["ingress.k8s.aws/resource"].Contains("forecast-api", StringComparison.Ordinal)).HealthCheck.Path);
        foreach (var group in groups)
        {
            Assert.Matches("^k8s-mlops-retailfo-[0-9a-f]{10}$", group.Name);
            Assert.Equal(("HTTP", 8080, "ip"), (group.Protocol, group.Port, group.TargetType));
            var binding = account.Store.Get(ResourceTypes.TargetGroupBindings, "mlops", group.Name)!;
            Assert.Equal("shop", binding["metadata"]!["labels"]!["ingress.k8s.aws/stack"]!.GetValue<string>());
        }
        Assert.Equal("group.ingress.k8s.aws/shop",
            account.Store.Get(ResourceTypes.Ingresses, "mlops", "forecast-api")!["metadata"]!["finalizers"]![0]!.GetValue<string>());
        Assert.True(await account.AdvanceUntilAsync(() => groups.All(g => account.Aws.GetTargets(g.Arn) is { Count: 3 } targets
            && targets.All(t => t.Health.State == TargetHealthState.Healthy)), TimeSpan.FromMinutes(1)));

        // Leaving the group: the member gets its own ALB; the group keeps the other member's rules only.
        account.Annotate(ResourceTypes.Ingresses, "mlops", "forecast-metrics", "alb.ingress.kubernetes.io/group.name", null);
        Assert.True(await account.AdvanceUntilAsync(() => account.Aws.GetLoadBalancers().Length == 2
            && Hostname("forecast-metrics") is { } own && own != Hostname("forecast-api"), TimeSpan.FromSeconds(10)));
        Assert.Single(account.Aws.GetRules(listener.Arn), r => !r.IsDefault);
    }

    [Fact]
    public async Task HTTPS_with_ssl_redirect_redirects_the_HTTP_listener()
    {
        await using var account = SimulatedAccount.Start();
        account.Apply(Manifests.RetailForecastDeployment);
        account.Apply(Manifests.IngressGroup);
        account.Mutate(ResourceTypes.Ingresses, "mlops", "forecast-api", i =>
        {
            var annotations = i["metadata"]!["annotations"]!.AsObject();
            annotations["alb.ingress.kubernetes.io/listen-ports"] = """[{"HTTP": 80}, {"HTTPS": 443}]""";
            annotations["alb.ingress.kubernetes.io/ssl-redirect"] = "443";
            annotations["alb.ingress.kubernetes.io/certificate-arn"] = "arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555";
        });
        Assert.True(await account.AdvanceUntilAsync(() => account.Aws.GetLoadBalancers() is [var lb] && account.Aws.GetListeners(lb.Arn).Length == 2, TimeSpan.FromSeconds(10)));
        var listeners = account.Aws.GetListeners(account.Aws.GetLoadBalancers()[0].Arn).OrderBy(l => l.Port).ToList();
        Assert.Equal("redirect", listeners[0].DefaultActions[0].Type);
        Assert.Equal(("HTTPS", "443", "HTTP_301"), (listeners[0].DefaultActions[0].Redirect!.Protocol, listeners[0].DefaultActions[0].Redirect!.Port,
            listeners[0].DefaultActions[0].Redirect!.StatusCode));
        Assert.Empty(account.Aws.GetRules(listeners[0].Arn).Where(r => !r.IsDefault));
        Assert.Equal(("HTTPS", "arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555"),
            (listeners[1].Protocol, listeners[1].Certificates[0].CertificateArn));
        // Only forecast-api listens on 443; forecast-metrics (default HTTP:80) only has the redirected port, where the
        // controller builds no rules: it gets no rule, no target group and no binding at all.
        var httpsRule = Assert.Single(account.Aws.GetRules(listeners[1].Arn), r => !r.IsDefault);
        Assert.Equal(["api.retail-forecast.com"], httpsRule.Conditions.Single(c => c.Field == "host-header").Values.ToArray());
        Assert.True(await account.AdvanceUntilAsync(() => account.Aws.GetTargetGroups().Length == 1, TimeSpan.FromSeconds(10)));
        var targetGroup = Assert.Single(account.Aws.GetTargetGroups());
        Assert.Equal("mlops/forecast-api-retail-forecast-service:80", account.Aws.GetTags(targetGroup.Arn)["ingress.k8s.aws/resource"]);
        Assert.Equal(targetGroup.Arn, httpsRule.Actions[0].TargetGroups[0].TargetGroupArn);
        Assert.Equal([targetGroup.Name], account.Store.List(ResourceTypes.TargetGroupBindings, "mlops").Items.Select(b => b["metadata"]!["name"]!.GetValue<string>()));

        // Once forecast-metrics also listens on 443, its rule and target group come back there.
        account.Annotate(ResourceTypes.Ingresses, "mlops", "forecast-metrics", "alb.ingress.kubernetes.io/listen-ports", """[{"HTTP": 80}, {"HTTPS": 443}]""");
        Assert.True(await account.AdvanceUntilAsync(() => account.Aws.GetRules(listeners[1].Arn).Count(r => !r.IsDefault) == 2
            && account.Aws.GetTargetGroups().Length == 2, TimeSpan.FromSeconds(10)));
        Assert.Empty(account.Aws.GetRules(listeners[0].Arn).Where(r => !r.IsDefault));
    }

    [Fact]
    public async Task Rule_priorities_follow_the_controllers_path_order_within_each_rule_after_earlier_group_members()
    {
        await using var account = SimulatedAccount.Start();
        account.Apply(Manifests.RetailForecastDeployment);
        account.Apply(Manifests.IngressGroup);
        static JsonObject Path(string path, string? type)
        {
            var entry = new JsonObject
            {
                ["path"] = path,
                ["backend"] = new JsonObject { ["service"] = new JsonObject { ["name"] = "retail-forecast-service", ["port"] = new JsonObject { ["number"] = 80 } } },
            };
            if (type is not null)
            {
                entry["pathType"] = type;
            }
            return entry;
        }
        // Written in an order the controller changes: Exact first (kept as written, not by length), Prefix longest
        // first (equal lengths keep their order), ImplementationSpecific and untyped last as written; per rule (host).
        account.Mutate(ResourceTypes.Ingresses, "mlops", "forecast-api", i => i["spec"]!["rules"] = new JsonArray(
            new JsonObject
            {
                ["host"] = "api.retail-forecast.com",
                ["http"] = new JsonObject
                {
                    ["paths"] = new JsonArray(Path("/p", "Prefix"), Path("/v1/*", "ImplementationSpecific"), Path("/predict/batch", "Prefix"),
                        Path("/ready", "Exact"), Path("/pa", "Prefix"), Path("/predict", "Prefix"), Path("/a", null), Path("/healthz", "Exact"), Path("/pb", "Prefix")),
                },
            },
            new JsonObject
            {
                ["host"] = "admin.retail-forecast.com",
                ["http"] = new JsonObject { ["paths"] = new JsonArray(Path("/x", "Prefix"), Path("/longest-exact", "Exact")) },
            }));

        Assert.True(await account.AdvanceUntilAsync(() => account.Aws.GetLoadBalancers() is [var lb] && account.Aws.GetListeners(lb.Arn) is [var l]
            && account.Aws.GetRules(l.Arn).Count(r => !r.IsDefault) == 12, TimeSpan.FromSeconds(10)));
        var listener = Assert.Single(account.Aws.GetListeners(account.Aws.GetLoadBalancers()[0].Arn));
        var rules = account.Aws.GetRules(listener.Arn).Where(r => !r.IsDefault).OrderBy(r => int.Parse(r.Priority, System.Globalization.CultureInfo.InvariantCulture)).ToList();

        Assert.Equal(Enumerable.Range(1, 12).Select(p => p.ToString(System.Globalization.CultureInfo.InvariantCulture)), rules.Select(r => r.Priority));
        // forecast-metrics (group.order 10) keeps priority 1; forecast-api (20) follows.
        Assert.Equal(
            [
                "metrics.retail-forecast.com /metrics",
                "api.retail-forecast.com /ready", "api.retail-forecast.com /healthz",
                "api.retail-forecast.com /predict/batch,/predict/batch/*", "api.retail-forecast.com /predict,/predict/*",
                "api.retail-forecast.com /pa,/pa/*", "api.retail-forecast.com /pb,/pb/*", "api.retail-forecast.com /p,/p/*",
                "api.retail-forecast.com /v1/*", "api.retail-forecast.com /a",
                "admin.retail-forecast.com /longest-exact", "admin.retail-forecast.com /x,/x/*",
            ],
            rules.Select(r => r.Conditions.Single(c => c.Field == "host-header").Values[0] + " "
                + string.Join(',', r.Conditions.Single(c => c.Field == "path-pattern").Values)));
    }

    [Fact]
    public async Task Ssl_redirect_to_a_port_without_an_HTTPS_listener_is_the_controllers_build_error()
    {
        await using var account = SimulatedAccount.Start();
        account.Apply(Manifests.RetailForecastDeployment);
        // The annotation is in the manifest, so no reconcile can build the balancer before the redirect is known.
        account.Apply(Manifests.IngressGroup.Replace(
            "alb.ingress.kubernetes.io/group.order: \"20\"\n",
            "alb.ingress.kubernetes.io/group.order: \"20\"\n    alb.ingress.kubernetes.io/ssl-redirect: \"443\"\n", StringComparison.Ordinal));

        Assert.True(await account.AdvanceUntilAsync(() => account.Events("mlops", "FailedBuildModel").Count > 0, TimeSpan.FromSeconds(10)));
        Assert.Contains("listener does not exist for SSLRedirect port: 443", account.Events("mlops", "FailedBuildModel")[0]["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(account.Aws.GetLoadBalancers());
    }

    [Fact]
    public async Task Readiness_gate_condition_follows_target_health_in_labelled_namespaces()
    {
        await using var account = SimulatedAccount.Start();
        account.Apply(Manifests.RetailForecastDeployment);
        account.Mutate(ResourceTypes.Namespaces, null, "mlops", ns => ns["metadata"]!["labels"] = new JsonObject { ["elbv2.k8s.aws/pod-readiness-gate-inject"] = "enabled" });
        account.Apply(Manifests.ServiceNlbAdvanced);
        string? Gate(JsonObject pod, out string? reason)
        {
            var condition = pod["status"]?["conditions"]?.AsArray().OfType<JsonObject>()
                .FirstOrDefault(c => c["type"]!.GetValue<string>().StartsWith("target-health.elbv2.k8s.aws/k8s-mlops-retailfo-", StringComparison.Ordinal));
            reason = condition?["reason"]?.GetValue<string>();
            return condition?["status"]?.GetValue<string>();
        }

        Assert.True(await account.AdvanceUntilAsync(() => account.Pods("mlops") is { Count: 3 } pods && pods.All(p => Gate(p, out _) == "True"), TimeSpan.FromMinutes(1)));
        var pod = account.Pods("mlops")[0];
        account.Annotate(ResourceTypes.Pods, "mlops", pod["metadata"]!["name"]!.GetValue<string>(), "sandbox.endpoint-dashboard.dev/health", "refuse");
        string? reason = null;
        Assert.True(await account.AdvanceUntilAsync(() => Gate(account.Store.Get(ResourceTypes.Pods, "mlops", pod["metadata"]!["name"]!.GetValue<string>())!, out reason) == "False",
            TimeSpan.FromMinutes(1)));
        Assert.Equal("Target.FailedHealthChecks", reason);
    }
}
