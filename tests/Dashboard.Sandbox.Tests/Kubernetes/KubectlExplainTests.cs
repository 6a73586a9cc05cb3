using Dashboard.Sandbox.Kubernetes;

namespace Dashboard.Sandbox.Tests.Kubernetes;

/// <summary>
/// <c>kubectl explain</c> (1.32, which reads the OpenAPI v3 documents) against the sandbox's generated schemas. The expected
/// lines are kubectl's plaintext template applied to the Kubernetes API types as the API reference documents them: a
/// header with GROUP (left out for the core group), KIND and VERSION, the field with its type (<c>[]</c> for lists,
/// <c>map[string]</c> for maps, the Go type name of a struct, <c>IntOrString</c>, <c>Quantity</c>), <c>-required-</c> on
/// the required fields, and nested fields indented by two spaces with <c>--recursive</c>.
/// </summary>
public sealed class KubectlExplainTests(KubectlFixture fixture) : IClassFixture<KubectlFixture>
{
    [Fact]
    public async Task Service_ports_are_explained_with_types_required_fields_and_descriptions()
    {
        var result = (await fixture.RunAsync("explain", "service.spec.ports")).Succeeded();

        Assert.DoesNotContain("GROUP:", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("KIND:       Service\nVERSION:    v1\n", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("FIELD: ports <[]ServicePort>", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("The list of ports that are exposed by this service.", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("ServicePort contains information on service's port.", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("  port\t<integer> -required-\n", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("  nodePort\t<integer>\n", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("  protocol\t<string>\n", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("  targetPort\t<IntOrString>\n", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("Number or name of the port to access on the pods targeted by the service.", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ingress_rules_are_explained_recursively()
    {
        var result = (await fixture.RunAsync("explain", "ingress.spec.rules", "--recursive")).Succeeded();

        Assert.Contains("GROUP:      networking.k8s.io\nKIND:       Ingress\nVERSION:    v1\n", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("FIELD: rules <[]IngressRule>", result.Stdout, StringComparison.Ordinal);
        var expected = string.Join('\n',
            "  host\t<string>",
            "  http\t<HTTPIngressRuleValue>",
            "    paths\t<[]HTTPIngressPath> -required-",
            "      backend\t<IngressBackend> -required-",
            "        resource\t<TypedLocalObjectReference>",
            "          apiGroup\t<string>",
            "          kind\t<string>",
            "          name\t<string>",
            "        service\t<IngressServiceBackend>",
            "          name\t<string> -required-",
            "          port\t<ServiceBackendPort>",
            "            name\t<string>",
            "            number\t<integer>",
            "      path\t<string>",
            "      pathType\t<string> -required-");
        Assert.Contains(expected, result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deployment_strategy_and_value_types_are_explained()
    {
        var strategy = (await fixture.RunAsync("explain", "deployment.spec.strategy")).Succeeded();
        var resources = (await fixture.RunAsync("explain", "pods.spec.containers.resources")).Succeeded();
        var metadata = (await fixture.RunAsync("explain", "pod.metadata")).Succeeded();
        var replicaSet = (await fixture.RunAsync("explain", "rs.spec", "--api-version=apps/v1")).Succeeded();

        Assert.Contains("GROUP:      apps\nKIND:       Deployment\nVERSION:    v1\n", strategy.Stdout, StringComparison.Ordinal);
        Assert.Contains("FIELD: strategy <DeploymentStrategy>", strategy.Stdout, StringComparison.Ordinal);
        Assert.Contains("  rollingUpdate\t<RollingUpdateDeployment>\n", strategy.Stdout, StringComparison.Ordinal);
        Assert.Contains("  type\t<string>\n", strategy.Stdout, StringComparison.Ordinal);
        Assert.Contains("Type of deployment. Can be \"Recreate\" or \"RollingUpdate\".", strategy.Stdout, StringComparison.Ordinal);
        Assert.Contains("  limits\t<map[string]Quantity>\n", resources.Stdout, StringComparison.Ordinal);
        Assert.Contains("  creationTimestamp\t<string>\n", metadata.Stdout, StringComparison.Ordinal);
        Assert.Contains("  labels\t<map[string]string>\n", metadata.Stdout, StringComparison.Ordinal);
        Assert.Contains("  ownerReferences\t<[]OwnerReference>\n", metadata.Stdout, StringComparison.Ordinal);
        Assert.Contains("KIND:       ReplicaSet", replicaSet.Stdout, StringComparison.Ordinal);
        Assert.Contains("  selector\t<LabelSelector> -required-\n", replicaSet.Stdout, StringComparison.Ordinal);
        Assert.Contains("  template\t<PodTemplateSpec>\n", replicaSet.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_served_kind_is_explained_and_an_unknown_field_is_an_error()
    {
        foreach (var type in ResourceTypes.All)
        {
            var result = (await fixture.RunAsync("explain", type.Plural + "." + "metadata")).Succeeded();
            Assert.Contains($"KIND:       {type.Kind}\n", result.Stdout, StringComparison.Ordinal);
            Assert.Contains("FIELD: metadata <ObjectMeta>", result.Stdout, StringComparison.Ordinal);
        }
        var binding = (await fixture.RunAsync("explain", "targetgroupbindings.spec.targetType")).Succeeded();
        var unknown = (await fixture.RunAsync("explain", "deployment.spec.nope")).Failed();

        Assert.Contains("GROUP:      elbv2.k8s.aws\nKIND:       TargetGroupBinding\nVERSION:    v1beta1\n", binding.Stdout, StringComparison.Ordinal);
        Assert.Contains("ENUM:\n    instance\n    ip\n", binding.Stdout, StringComparison.Ordinal);
        Assert.Contains("error: field \"nope\" does not exist", unknown.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Apply_validation_stays_with_the_server_now_that_schemas_are_served()
    {
        // kubectl --validate=strict asks the OpenAPI v3 document whether PATCH takes fieldValidation, and then leaves the
        // check to the server (no client-side schema pass): the errors are the API server's strict decoding errors.
        var manifest = fixture.WriteFile("explain-strict.yaml", $$$"""
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: strict-web, namespace: {{{KubectlFixture.Namespace}}}}
            spec:
              replicaz: 2
              selector: {matchLabels: {app: strict-web}}
              template:
                metadata: {labels: {app: strict-web}}
                spec:
                  containers: [{name: web, image: nginx:1.27, portz: 1}]
            """);

        var strict = (await fixture.RunAsync("apply", "--validate=strict", "-f", manifest)).Failed();
        var warn = (await fixture.RunAsync("apply", "--validate=warn", "-f", manifest)).Succeeded();

        Assert.Contains("Error from server (BadRequest): error when creating", strict.Stderr, StringComparison.Ordinal);
        Assert.Contains("strict decoding error: unknown field \"spec.replicaz\", unknown field \"spec.template.spec.containers[0].portz\"", strict.Stderr, StringComparison.Ordinal);
        Assert.Contains("Warning: unknown field \"spec.replicaz\"", warn.Stderr, StringComparison.Ordinal);
        Assert.Contains("deployment.apps/strict-web created", warn.Stdout, StringComparison.Ordinal);
    }
}
