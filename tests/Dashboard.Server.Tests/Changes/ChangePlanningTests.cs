using Dashboard.Client.Changes;
using Dashboard.Client.Model;
using Dashboard.Server.Changes;
using k8s.Models;

namespace Dashboard.Server.Tests.Changes;

/// <summary>The pure parts of planning: validation, the manifest, the live form, warnings, the diff, progress.</summary>
public sealed class ChangePlanningTests
{
    private static ChangeRequest Expose(string via = "nlb") => new()
    {
        Action = ChangeActions.Expose,
        Namespace = "mlops",
        Workload = new WorkloadRef("Deployment", "web"),
        Via = via,
        Name = "web-public",
        Scheme = "internet-facing",
        TargetType = "ip",
        Port = 80,
        TargetPort = 8080,
    };

    [Fact]
    public void A_good_expose_has_no_errors()
    {
        Assert.Empty(ChangeValidation.Validate(Expose()));
        Assert.Empty(ChangeValidation.Validate(Expose("alb") with { Host = "api.example.com", Group = "shop", CertificateArn = "arn:aws:acm:us-east-1:123456789012:certificate/abcd-1234", SslRedirect = true }));
    }

    [Theory]
    [InlineData("name", "Web")]
    [InlineData("name", "1web")]
    [InlineData("scheme", "public")]
    [InlineData("targetType", "pod")]
    [InlineData("certificateArn", "arn:aws:iam::123:cert")]
    [InlineData("group", "Shop_Group")]
    [InlineData("host", "API.example.com")]
    [InlineData("via", "clb")]
    public void Each_bad_value_is_an_error_of_its_field(string field, string value)
    {
        var request = field switch
        {
            "name" => Expose() with { Name = value },
            "scheme" => Expose() with { Scheme = value },
            "targetType" => Expose() with { TargetType = value },
            "certificateArn" => Expose("alb") with { CertificateArn = value },
            "group" => Expose("alb") with { Group = value },
            "host" => Expose("alb") with { Host = value },
            _ => Expose() with { Via = value },
        };

        var errors = ChangeValidation.Validate(request);

        Assert.Equal([field], errors.Keys);
        Assert.Contains($"'{value}'", errors[field][0], StringComparison.Ordinal);
    }

    [Fact]
    public void Health_check_values_are_checked_against_what_aws_accepts()
    {
        var errors = ChangeValidation.Validate(Expose() with
        {
            HealthCheck = new HealthCheckRequest { Path = "ready", SuccessCodes = "200-", IntervalSeconds = 400, TimeoutSeconds = 1, HealthyThreshold = 11, Port = "0" },
            DeregistrationDelaySeconds = 4000,
            SourceRanges = ["10.0.0.0/8", "300.0.0.0/8"],
        });

        Assert.Equal(
            ["deregistrationDelaySeconds", "healthCheck.healthyThreshold", "healthCheck.intervalSeconds", "healthCheck.path", "healthCheck.port", "healthCheck.successCodes", "healthCheck.timeoutSeconds", "sourceRanges[1]"],
            errors.Keys.Order(StringComparer.Ordinal));
        Assert.Empty(ChangeValidation.Validate(Expose() with { HealthCheck = new HealthCheckRequest { SuccessCodes = "200,302" } }));
        Assert.Empty(ChangeValidation.Validate(Expose() with { HealthCheck = new HealthCheckRequest { SuccessCodes = "200-299" } }));
    }

    [Fact]
    public void Alb_only_settings_on_an_nlb_and_ssl_redirect_without_a_certificate_are_refused()
    {
        var errors = ChangeValidation.Validate(Expose() with { WafAclArn = "arn:aws:wafv2:us-east-1:123456789012:regional/webacl/a/b", HealthCheck = new HealthCheckRequest() });
        Assert.Contains("wafAclArn", errors.Keys);
        Assert.Contains("sslRedirect", ChangeValidation.Validate(Expose("alb") with { SslRedirect = true }).Keys);
        Assert.Contains("healthCheck.protocol", ChangeValidation.Validate(Expose("alb") with { HealthCheck = new HealthCheckRequest { Protocol = "TCP" } }).Keys);
    }

    [Fact]
    public void The_inventory_annotation_rule_judges_the_built_objects_and_names_the_form_field()
    {
        var service = ManifestBuilder.NlbService(Expose(), new Dictionary<string, string> { ["app"] = "web" }, 8080);
        service.Metadata.Annotations["service.beta.kubernetes.io/aws-load-balancer-ssl-cert"] = "not-an-arn";

        var errors = ChangeValidation.ValidateAnnotations([service]);

        Assert.Contains("certificateArn", errors.Keys);
        Assert.Contains("CertificateNotFound", errors["certificateArn"][0], StringComparison.Ordinal);
    }

    [Fact]
    public void An_nlb_service_is_a_load_balancer_class_service_with_the_annotations_of_the_form()
    {
        var request = Expose() with
        {
            HealthCheck = new HealthCheckRequest { Path = "/ready", IntervalSeconds = 10 },
            SourceRanges = ["10.0.0.0/8"],
            DeregistrationDelaySeconds = 30,
            Stickiness = true,
            Tags = new Dictionary<string, string> { ["team"] = "ml", ["env"] = "prod" },
        };

        var service = ManifestBuilder.NlbService(request, new Dictionary<string, string> { ["app"] = "web" }, 8080);

        Assert.Equal("service.k8s.aws/nlb", service.Spec.LoadBalancerClass);
        Assert.Equal("LoadBalancer", service.Spec.Type);
        Assert.Equal(["10.0.0.0/8"], service.Spec.LoadBalancerSourceRanges);
        var a = service.Metadata.Annotations;
        Assert.Equal("/ready", a["service.beta.kubernetes.io/aws-load-balancer-healthcheck-path"]);
        Assert.Equal("10", a["service.beta.kubernetes.io/aws-load-balancer-healthcheck-interval"]);
        Assert.Equal("deregistration_delay.timeout_seconds=30,stickiness.enabled=true,stickiness.type=source_ip",
            a["service.beta.kubernetes.io/aws-load-balancer-target-group-attributes"]);
        Assert.Equal("env=prod,team=ml", a["service.beta.kubernetes.io/aws-load-balancer-additional-resource-tags"]);
        Assert.Equal("8080", service.Spec.Ports[0].TargetPort.Value);

        // Read back, the live object gives the same form.
        var read = ManifestBuilder.FromService(service);
        Assert.Equal(request.HealthCheck, read.HealthCheck);
        Assert.Equal(30, read.DeregistrationDelaySeconds);
        Assert.Equal(true, read.Stickiness);
        Assert.Equal(request.Tags, read.Tags);
    }

    [Fact]
    public void An_alb_ingress_with_a_certificate_listens_on_https_and_redirects()
    {
        var request = Expose("alb") with { Host = "api.example.com", Group = "shop", CertificateArn = "arn:aws:acm:us-east-1:123456789012:certificate/abcd", SslRedirect = true };

        var ingress = ManifestBuilder.AlbIngress(request, "web", 80);

        Assert.Equal("alb", ingress.Spec.IngressClassName);
        Assert.Equal("api.example.com", ingress.Spec.Rules[0].Host);
        Assert.Equal("web", ingress.Spec.Rules[0].Http.Paths[0].Backend.Service.Name);
        var a = ingress.Metadata.Annotations;
        Assert.Equal("443", a["alb.ingress.kubernetes.io/ssl-redirect"]);
        Assert.Equal("[{\"HTTP\": 80}, {\"HTTPS\": 443}]", a["alb.ingress.kubernetes.io/listen-ports"]);
        Assert.Equal("shop", a["alb.ingress.kubernetes.io/group.name"]);
        Assert.Empty(ChangeValidation.ValidateAnnotations([ingress]));
    }

    [Fact]
    public void The_health_check_comes_from_the_readiness_probe_with_a_named_port_resolved()
    {
        var template = new V1PodTemplateSpec
        {
            Spec = new V1PodSpec
            {
                Containers =
                [
                    new V1Container
                    {
                        Name = "api",
                        Ports = [new V1ContainerPort { Name = "http", ContainerPort = 8080 }],
                        ReadinessProbe = new V1Probe { HttpGet = new V1HTTPGetAction { Path = "/healthz", Port = "http" }, PeriodSeconds = 15 },
                    },
                ],
            },
        };

        var (check, note) = ManifestBuilder.HealthCheckFromProbe(template);

        Assert.Equal(new HealthCheckRequest { Path = "/healthz", Port = "8080", Protocol = "HTTP", IntervalSeconds = 15 }, check);
        Assert.Contains("api", note, StringComparison.Ordinal);
        var (none, warning) = ManifestBuilder.HealthCheckFromProbe(new V1PodTemplateSpec { Spec = new V1PodSpec { Containers = [new V1Container { Name = "x" }] } });
        Assert.Null(none);
        Assert.Contains("No container has an HTTP readinessProbe", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void Scheme_and_target_type_changes_are_red_and_nlb_health_check_protocol_may_replace_the_target_group()
    {
        var before = new ChangeRequest { Scheme = "internal", TargetType = "ip", HealthCheck = new HealthCheckRequest { Path = "/a", Protocol = "HTTP" } };

        var nlb = ChangeWarnings.ForReconfigure(before, before with { Scheme = "internet-facing", TargetType = "instance", HealthCheck = new HealthCheckRequest { Path = "/b", Protocol = "TCP" } }, alb: false);
        var pathOnly = ChangeWarnings.ForReconfigure(before, before with { HealthCheck = new HealthCheckRequest { Path = "/b", Protocol = "HTTP" } }, alb: false);

        Assert.Equal([ChangeWarnings.ReplacesLoadBalancer, ChangeWarnings.ReplacesTargetGroup, ChangeWarnings.MayReplaceTargetGroup], nlb.Select(w => w.Code));
        Assert.All(nlb.Take(2), w => Assert.Equal(LintSeverity.Error, w.Severity));
        Assert.Empty(pathOnly);
    }

    [Fact]
    public void Helm_and_argo_cd_managed_objects_are_flagged()
    {
        Assert.Contains("Helm", ChangeWarnings.GitOps(new V1ObjectMeta { Annotations = new Dictionary<string, string> { ["meta.helm.sh/release-name"] = "x" } })?.Message);
        Assert.Contains("Argo CD", ChangeWarnings.GitOps(new V1ObjectMeta { Labels = new Dictionary<string, string> { ["argocd.argoproj.io/instance"] = "x" } })?.Message);
        Assert.Null(ChangeWarnings.GitOps(new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "web" } }));
    }

    [Fact]
    public void The_diff_shows_hunks_with_context_and_line_numbers_and_nothing_for_equal_texts()
    {
        var live = string.Join('\n', Enumerable.Range(1, 20).Select(i => $"line{i}")) + "\n";
        var planned = live.Replace("line10\n", "line10 changed\n", StringComparison.Ordinal);

        var diff = PlanPresentation.UnifiedDiff(live, planned, "service/x/y");

        Assert.StartsWith("--- live/service/x/y\n+++ planned/service/x/y\n@@ -7,7 +7,7 @@\n line7\n", diff, StringComparison.Ordinal);
        Assert.Contains("-line10\n+line10 changed\n", diff, StringComparison.Ordinal);
        Assert.DoesNotContain("line3", diff, StringComparison.Ordinal);
        Assert.Equal("", PlanPresentation.UnifiedDiff(live, live, "x"));
        var rows = PlanPresentation.SideBySide(live, planned);
        Assert.Single(rows, r => r.Kind == DiffRowKind.Changed);
    }

    [Fact]
    public void Yaml_loses_the_noise_people_ask_editors_to_hide()
    {
        var service = new V1Service
        {
            ApiVersion = "v1",
            Kind = "Service",
            Metadata = new V1ObjectMeta
            {
                Name = "web",
                ResourceVersion = "42",
                Uid = "u-1",
                Generation = 3,
                CreationTimestamp = DateTime.UtcNow,
                ManagedFields = [new V1ManagedFieldsEntry { Manager = "kubectl" }],
                Annotations = new Dictionary<string, string> { ["kubectl.kubernetes.io/last-applied-configuration"] = "{}" },
            },
            Status = new V1ServiceStatus { LoadBalancer = new V1LoadBalancerStatus() },
        };

        var yaml = PlanPresentation.CleanYaml(service);

        foreach (var noise in new[] { "resourceVersion", "uid", "generation", "creationTimestamp", "managedFields", "status", "last-applied" })
        {
            Assert.DoesNotContain(noise, yaml, StringComparison.Ordinal);
        }
        Assert.Contains("name: web", yaml, StringComparison.Ordinal);
        Assert.Equal("42", service.Metadata.ResourceVersion);
    }

    [Fact]
    public void Progress_names_the_stuck_step_and_a_controller_failure_with_its_fix()
    {
        var change = new ChangeRecord
        {
            ChangeId = "c-1",
            PlanId = "p-1",
            At = DateTimeOffset.UnixEpoch.AddDays(1),
            User = "alice",
            Action = ChangeActions.Expose,
            Object = new ObjectRef(ObjectKind.Service, "mlops", "web"),
            Outcome = ChangeOutcomes.Applied,
        };
        var waiting = ChangeProgressBuilder.Build(change, null, [], objectExists: true, endpoint: null, (_, _) => null);
        Assert.Equal(ProgressState.Done, waiting.Steps[0].State);
        Assert.Contains(ChangeProgressBuilder.Reconciled, waiting.Stuck, StringComparison.Ordinal);

        var failed = ChangeProgressBuilder.Build(change, null, [], objectExists: true, new EndpointViewModel
        {
            Object = change.Object,
            Events = [new EventView("Warning", "FailedBuildModel", "Failed build model due to couldn't auto-discover subnets: unable to resolve at least one subnet", "service-controller", 1, change.At.AddSeconds(5), "Service/web")],
        }, (_, _) => null);
        var step = failed.Steps.Single(s => s.Name == ChangeProgressBuilder.Reconciled);
        Assert.Equal(ProgressState.Failed, step.State);
        Assert.Contains("kubernetes.io/role/elb=1", step.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_reconfigure_keeps_live_values_the_request_leaves_out()
    {
        var live = new ChangeRequest { Scheme = "internal", HealthCheck = new HealthCheckRequest { Path = "/a", IntervalSeconds = 10 }, SourceRanges = ["10.0.0.0/8"] };

        var merged = ChangeService.Merge(live, new ChangeRequest { Action = ChangeActions.Reconfigure, HealthCheck = new HealthCheckRequest { Path = "/b" } });

        Assert.Equal("internal", merged.Scheme);
        Assert.Equal(new HealthCheckRequest { Path = "/b", IntervalSeconds = 10 }, merged.HealthCheck);
        Assert.Equal(["10.0.0.0/8"], merged.SourceRanges);
    }
}
