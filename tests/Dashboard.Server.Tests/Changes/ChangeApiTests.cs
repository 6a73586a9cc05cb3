using System.Net;
using Dashboard.Server.Tests.Api;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Dashboard.Server.Tests.Changes;

/// <summary>
/// Plan → dry run → apply → audit → rollback through /api/v1 against the sandbox API server (KubernetesClient over HTTP
/// checks what was really stored). Each test works on its own objects, so they share one dashboard.
/// </summary>
public sealed class ChangeApiTests(ChangesFixture fixture) : IClassFixture<ChangesFixture>
{
    private static object ExposeNlb(string name) => new
    {
        action = "expose",
        @namespace = "mlops",
        workload = new { kind = "Deployment", name = "retail-forecast-api" },
        via = "nlb",
        name,
        scheme = "internet-facing",
        targetType = "ip",
        port = 80,
        targetPort = 8080,
        healthCheck = new { path = "/healthz" },
    };

    [Fact]
    public async Task A_plan_dry_runs_on_the_server_and_stores_nothing()
    {
        var (status, plan, _) = await fixture.PostAsync("/api/v1/changes/plan", ExposeNlb("plan-only"), ChangesFixture.Viewer);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(plan.GetProperty("dryRun").GetProperty("ok").GetBoolean(), plan.GetProperty("dryRun").GetProperty("message").GetString());
        var manifest = plan.GetProperty("manifest").GetString()!;
        Assert.Contains("loadBalancerClass: service.k8s.aws/nlb", manifest, StringComparison.Ordinal);
        Assert.Contains("service.beta.kubernetes.io/aws-load-balancer-healthcheck-path: /healthz", manifest, StringComparison.Ordinal);
        Assert.Contains("# HTTP(S) path health checks request.", manifest, StringComparison.Ordinal);
        // The diff is against the server's answer: the API server's defaults (a cluster IP, the session affinity) are in it.
        var diff = plan.GetProperty("diff").GetString()!;
        Assert.Contains("+  sessionAffinity: None", diff, StringComparison.Ordinal);
        Assert.DoesNotContain("resourceVersion", diff, StringComparison.Ordinal);
        Assert.DoesNotContain("managedFields", diff, StringComparison.Ordinal);
        var client = await fixture.KubernetesAsync();
        var missing = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.ReadNamespacedServiceAsync("plan-only", "mlops"));
        Assert.Equal(HttpStatusCode.NotFound, missing.Response.StatusCode);
    }

    [Fact]
    public async Task Invalid_input_is_422_naming_each_field_and_nothing_is_planned()
    {
        var (status, problem, _) = await fixture.PostAsync("/api/v1/changes/plan", new
        {
            action = "expose",
            @namespace = "mlops",
            workload = new { kind = "Deployment", name = "retail-forecast-api" },
            via = "nlb",
            name = "Bad_Name",
            port = 70000,
            targetPort = 8080,
            healthCheck = new { path = "healthz", successCodes = "2xx", intervalSeconds = 1 },
            sourceRanges = new[] { "10.0.0.0/33" },
        }, ChangesFixture.Viewer);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        var errors = problem.GetProperty("errors");
        foreach (var field in new[] { "name", "port", "healthCheck.path", "healthCheck.successCodes", "healthCheck.intervalSeconds", "sourceRanges[0]" })
        {
            Assert.True(errors.TryGetProperty(field, out _), $"no error for {field}: {errors}");
        }
        Assert.Contains("/healthz", errors.GetProperty("healthCheck.path")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_viewer_may_plan_but_not_apply_and_a_write_without_the_header_is_refused()
    {
        var (_, plan, _) = await fixture.PostAsync("/api/v1/changes/plan", ExposeNlb("viewer-try"), ChangesFixture.Viewer, user: "victor");
        var planId = plan.GetProperty("planId").GetString();

        var (forbidden, problem, _) = await fixture.PostAsync($"/api/v1/changes/{planId}/apply", null, ChangesFixture.Viewer, user: "victor");
        Assert.Equal(HttpStatusCode.Forbidden, forbidden);
        Assert.Equal("forbidden", problem.GetProperty("code").GetString());

        var (noHeader, headerProblem, _) = await fixture.PostAsync("/api/v1/changes/plan", ExposeNlb("viewer-try"), ChangesFixture.Operator, header: false);
        Assert.Equal(HttpStatusCode.BadRequest, noHeader);
        Assert.Equal("missingRequestHeader", headerProblem.GetProperty("code").GetString());

        // Another operator cannot apply a plan that is not theirs.
        var (notTheirs, _, _) = await fixture.PostAsync($"/api/v1/changes/{planId}/apply", null, ChangesFixture.Operator, user: "mallory");
        Assert.Equal(HttpStatusCode.Forbidden, notTheirs);
        var client = await fixture.KubernetesAsync();
        await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.ReadNamespacedServiceAsync("viewer-try", "mlops"));
    }

    [Fact]
    public async Task Expose_applies_with_server_side_apply_is_audited_and_rolls_back()
    {
        var (_, plan, _) = await fixture.PostAsync("/api/v1/changes/plan", ExposeNlb("forecast-public"), ChangesFixture.Operator);
        var (status, applied, response) = await fixture.PostAsync($"/api/v1/changes/{plan.GetProperty("planId").GetString()}/apply", null, ChangesFixture.Operator);

        Assert.Equal(HttpStatusCode.Accepted, status);
        var changeId = applied.GetProperty("changeId").GetString()!;
        Assert.Equal($"/api/v1/changes/{changeId}", response.Headers.Location?.OriginalString);
        var client = await fixture.KubernetesAsync();
        var service = await client.CoreV1.ReadNamespacedServiceAsync("forecast-public", "mlops");
        Assert.Equal("service.k8s.aws/nlb", service.Spec.LoadBalancerClass);
        Assert.Contains(service.Metadata.ManagedFields, m => m.Manager == "endpoint-dashboard" && m.Operation == "Apply");
        var events = await client.CoreV1.ListNamespacedEventAsync("mlops", fieldSelector: "involvedObject.name=forecast-public");
        Assert.Contains(events.Items, e => e.Reason == "ChangedByEndpointDashboard" && e.Message.Contains("alice", StringComparison.Ordinal));

        // The audit trail, durable in the state database (read back from the file by a store of its own).
        var stored = await TestStateStore.SqliteAudit(fixture.StatePath).FindAsync(changeId, CancellationToken.None);
        Assert.NotNull(stored);
        Assert.Equal("alice", stored.User);
        Assert.Equal("applied", stored.Outcome);
        var (_, audit) = await fixture.GetAsync("/api/v1/audit?namespace=mlops&user=alice");
        Assert.Contains(audit.GetProperty("items").EnumerateArray(), e => e.GetProperty("id").GetString() == changeId);

        // Progress from the feeds: the sandbox's controller provisions the NLB and the address arrives.
        await ApiScenarioFixture.WaitUntilAsync(async () =>
        {
            var (_, change) = await fixture.GetAsync($"/api/v1/changes/{changeId}");
            return change.GetProperty("steps").EnumerateArray().Any(s => s.GetProperty("name").GetString() == "Address assigned" && s.GetProperty("state").GetString() == "done");
        }, "the new NLB's address in the change's progress");

        // Rollback of an expose is a plan that deletes what it made, through the same dry run and apply.
        var (rollbackStatus, rollback, _) = await fixture.PostAsync($"/api/v1/changes/{changeId}/rollback", null, ChangesFixture.Operator);
        Assert.Equal(HttpStatusCode.OK, rollbackStatus);
        Assert.Equal("delete", rollback.GetProperty("objects")[0].GetProperty("operation").GetString());
        Assert.True(rollback.GetProperty("dryRun").GetProperty("ok").GetBoolean());
        Assert.NotNull(await client.CoreV1.ReadNamespacedServiceAsync("forecast-public", "mlops"));
        var (rolledBack, _, _) = await fixture.PostAsync($"/api/v1/changes/{rollback.GetProperty("planId").GetString()}/apply", null, ChangesFixture.Operator);
        Assert.Equal(HttpStatusCode.Accepted, rolledBack);
        // The delete is graceful: the controller tears the NLB down and releases its finalizer, then the Service is gone.
        await ApiScenarioFixture.WaitUntilAsync(async () =>
        {
            try
            {
                await client.CoreV1.ReadNamespacedServiceAsync("forecast-public", "mlops");
                return false;
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
            {
                return true;
            }
        }, "the rolled-back Service to be gone");
    }

    [Fact]
    public async Task A_plan_whose_object_changed_since_is_refused_with_409()
    {
        var client = await fixture.KubernetesAsync();
        await CreateNlbAsync(client, "conflict-rv");
        var (_, plan, _) = await fixture.PostAsync("/api/v1/changes/plan", Reconfigure("conflict-rv", "/ready"), ChangesFixture.Operator);
        Assert.True(plan.GetProperty("dryRun").GetProperty("ok").GetBoolean());

        // Someone changes the Service between plan and apply.
        await client.CoreV1.PatchNamespacedServiceAsync(new V1Patch("{\"metadata\":{\"labels\":{\"touched\":\"yes\"}}}", V1Patch.PatchType.MergePatch), "conflict-rv", "mlops");

        var (status, problem, _) = await fixture.PostAsync($"/api/v1/changes/{plan.GetProperty("planId").GetString()}/apply", null, ChangesFixture.Operator);
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal("objectChanged", problem.GetProperty("code").GetString());
        var live = await client.CoreV1.ReadNamespacedServiceAsync("conflict-rv", "mlops");
        Assert.Equal("/healthz", live.Metadata.Annotations["service.beta.kubernetes.io/aws-load-balancer-healthcheck-path"]);
        var refused = await TestStateStore.SqliteAudit(fixture.StatePath).FindAsync(problem.GetProperty("changeId").GetString()!, CancellationToken.None);
        Assert.Equal("refused", refused?.Outcome);
    }

    [Fact]
    public async Task A_field_another_manager_owns_is_a_conflict_naming_it_until_forced_and_rollback_restores_it()
    {
        var client = await fixture.KubernetesAsync();
        await CreateNlbAsync(client, "conflict-ssa");
        // Another manager (kubectl apply --server-side --field-manager=someone-else) owns the health-check path.
        var other = new V1Service
        {
            ApiVersion = "v1",
            Kind = "Service",
            Metadata = new V1ObjectMeta
            {
                Name = "conflict-ssa",
                NamespaceProperty = "mlops",
                Annotations = new Dictionary<string, string> { ["service.beta.kubernetes.io/aws-load-balancer-healthcheck-path"] = "/other" },
            },
        };
        await client.CoreV1.PatchNamespacedServiceAsync(new V1Patch(other, V1Patch.PatchType.ApplyPatch), "conflict-ssa", "mlops", fieldManager: "someone-else", force: true);

        var (_, plan, _) = await fixture.PostAsync("/api/v1/changes/plan", Reconfigure("conflict-ssa", "/ready"), ChangesFixture.Operator);
        Assert.False(plan.GetProperty("dryRun").GetProperty("ok").GetBoolean());
        Assert.Contains(plan.GetProperty("warnings").EnumerateArray(), w => w.GetProperty("code").GetString() == "field-conflict"
            && w.GetProperty("message").GetString()!.Contains("someone-else", StringComparison.Ordinal));
        var planId = plan.GetProperty("planId").GetString();

        var (status, problem, _) = await fixture.PostAsync($"/api/v1/changes/{planId}/apply", null, ChangesFixture.Operator);
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal("fieldConflict", problem.GetProperty("code").GetString());
        var conflict = Assert.Single(problem.GetProperty("conflicts").EnumerateArray());
        Assert.Equal("someone-else", conflict.GetProperty("manager").GetString());
        Assert.Equal(".metadata.annotations.service.beta.kubernetes.io/aws-load-balancer-healthcheck-path", conflict.GetProperty("field").GetString());
        Assert.Equal("/other", (await client.CoreV1.ReadNamespacedServiceAsync("conflict-ssa", "mlops")).Metadata.Annotations["service.beta.kubernetes.io/aws-load-balancer-healthcheck-path"]);

        // Take ownership: plan again (a plan is used once), apply with force.
        var (_, again, _) = await fixture.PostAsync("/api/v1/changes/plan", Reconfigure("conflict-ssa", "/ready"), ChangesFixture.Operator);
        var (forced, applied, _) = await fixture.PostAsync($"/api/v1/changes/{again.GetProperty("planId").GetString()}/apply?force=true", null, ChangesFixture.Operator);
        Assert.Equal(HttpStatusCode.Accepted, forced);
        var live = await client.CoreV1.ReadNamespacedServiceAsync("conflict-ssa", "mlops");
        Assert.Equal("/ready", live.Metadata.Annotations["service.beta.kubernetes.io/aws-load-balancer-healthcheck-path"]);

        // Roll back: the path the object had before the change.
        var (_, rollback, _) = await fixture.PostAsync($"/api/v1/changes/{applied.GetProperty("changeId").GetString()}/rollback", null, ChangesFixture.Operator);
        Assert.Contains("-    service.beta.kubernetes.io/aws-load-balancer-healthcheck-path: /ready", rollback.GetProperty("diff").GetString(), StringComparison.Ordinal);
        var (rolledBack, _, _) = await fixture.PostAsync($"/api/v1/changes/{rollback.GetProperty("planId").GetString()}/apply", null, ChangesFixture.Operator);
        Assert.Equal(HttpStatusCode.Accepted, rolledBack);
        live = await client.CoreV1.ReadNamespacedServiceAsync("conflict-ssa", "mlops");
        Assert.Equal("/other", live.Metadata.Annotations["service.beta.kubernetes.io/aws-load-balancer-healthcheck-path"]);
    }

    [Fact]
    public async Task A_reconfigured_health_check_path_reaches_the_target_group_as_the_AWS_CLI_shows_it()
    {
        var client = await fixture.KubernetesAsync();
        await CreateNlbAsync(client, "reconf-cli", httpHealthCheck: true);
        var (_, plan, _) = await fixture.PostAsync("/api/v1/changes/plan", Reconfigure("reconf-cli", "/ready"), ChangesFixture.Operator);
        var (status, applied, _) = await fixture.PostAsync($"/api/v1/changes/{plan.GetProperty("planId").GetString()}/apply", null, ChangesFixture.Operator);
        Assert.Equal(HttpStatusCode.Accepted, status);

        // The dashboard's progress says so once its AWS snapshot has the target group with the new path …
        var changeId = applied.GetProperty("changeId").GetString();
        await Api.ApiScenarioFixture.WaitUntilAsync(async () =>
        {
            var (_, change) = await fixture.GetAsync($"/api/v1/changes/{changeId}");
            return change.GetProperty("steps").EnumerateArray().Any(s => s.GetProperty("name").GetString() == "Target group uses the new health-check path"
                && s.GetProperty("state").GetString() == "done");
        }, "the progress step of the new health-check path");

        // … and the AWS CLI, asked independently, agrees.
        var address = (await client.CoreV1.ReadNamespacedServiceAsync("reconf-cli", "mlops")).Status.LoadBalancer.Ingress[0].Hostname;
        var balancers = await Metrics.AwsCli.RunAsync(fixture.Services, "elbv2", "describe-load-balancers");
        var arn = balancers.GetProperty("LoadBalancers").EnumerateArray().Single(b => b.GetProperty("DNSName").GetString() == address).GetProperty("LoadBalancerArn").GetString()!;
        var groups = await Metrics.AwsCli.RunAsync(fixture.Services, "elbv2", "describe-target-groups", "--load-balancer-arn", arn);
        Assert.Equal(["/ready"], groups.GetProperty("TargetGroups").EnumerateArray().Select(g => g.GetProperty("HealthCheckPath").GetString()));
    }

    private static object Reconfigure(string name, string path) => new
    {
        action = "reconfigure",
        target = new { kind = "Service", @namespace = "mlops", name },
        healthCheck = new { path },
    };

    /// <summary>An NLB Service made by someone else, once the sandbox's controller has given it its address (no more writes of its own).</summary>
    private static async Task CreateNlbAsync(IKubernetes client, string name, bool httpHealthCheck = false)
    {
        var annotations = new Dictionary<string, string>
        {
            ["service.beta.kubernetes.io/aws-load-balancer-healthcheck-path"] = "/healthz",
            ["service.beta.kubernetes.io/aws-load-balancer-nlb-target-type"] = "ip",
        };
        if (httpHealthCheck)
        {
            // An HTTP health check: the target group has a path (a TCP check has none).
            annotations["service.beta.kubernetes.io/aws-load-balancer-healthcheck-protocol"] = "http";
        }
        await client.CoreV1.CreateNamespacedServiceAsync(new V1Service
        {
            Metadata = new V1ObjectMeta
            {
                Name = name,
                Annotations = annotations,
            },
            Spec = new V1ServiceSpec
            {
                Type = "LoadBalancer",
                LoadBalancerClass = "service.k8s.aws/nlb",
                Selector = new Dictionary<string, string> { ["app"] = "retail-forecast-api" },
                Ports = [new V1ServicePort { Port = 80, TargetPort = 8080, Protocol = "TCP" }],
            },
        }, "mlops");
        await ApiScenarioFixture.WaitUntilAsync(async () =>
            (await client.CoreV1.ReadNamespacedServiceAsync(name, "mlops")).Status?.LoadBalancer?.Ingress is { Count: > 0 }, $"the address of {name}");
    }
}
