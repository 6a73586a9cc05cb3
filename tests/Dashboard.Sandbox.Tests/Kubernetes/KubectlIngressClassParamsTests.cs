using Dashboard.Testing;

namespace Dashboard.Sandbox.Tests.Kubernetes;

/// <summary>
/// The AWS Load Balancer Controller's IngressClassParams through the real kubectl: applied, listed with its columns,
/// and — named by an IngressClass — winning over the Ingress's own scheme and inbound-cidrs annotations in the ALB the
/// simulated controller builds, including after a <c>kubectl patch</c>.
/// </summary>
public sealed class KubectlIngressClassParamsTests(KubectlFixture fixture) : IClassFixture<KubectlFixture>
{
    private const string Manifest = """
        apiVersion: elbv2.k8s.aws/v1beta1
        kind: IngressClassParams
        metadata:
          name: public-params
        spec:
          scheme: internet-facing
          ipAddressType: ipv4
          group:
            name: public-shop
          inboundCIDRs:
          - 203.0.113.0/24
          sslPolicy: ELBSecurityPolicy-TLS13-1-2-2021-06
          tags:
          - key: team
            value: shop
        ---
        apiVersion: networking.k8s.io/v1
        kind: IngressClass
        metadata:
          name: alb-public
        spec:
          controller: ingress.k8s.aws/alb
          parameters:
            apiGroup: elbv2.k8s.aws
            kind: IngressClassParams
            name: public-params
        ---
        apiVersion: v1
        kind: Service
        metadata:
          name: web
          namespace: kapi-test
        spec:
          ports:
          - port: 80
            targetPort: 8080
          selector:
            app: web
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: web
          namespace: kapi-test
          annotations:
            alb.ingress.kubernetes.io/scheme: internal
            alb.ingress.kubernetes.io/inbound-cidrs: 10.0.0.0/8
            alb.ingress.kubernetes.io/target-type: ip
        spec:
          ingressClassName: alb-public
          defaultBackend:
            service:
              name: web
              port:
                number: 80
        """;

    private Dashboard.Sandbox.Aws.LoadBalancer? ShopBalancer() => fixture.Host.AwsWorld.GetLoadBalancers()
        .FirstOrDefault(lb => fixture.Host.AwsWorld.GetTags(lb.Arn).GetValueOrDefault("ingress.k8s.aws/stack") == "public-shop");

    [Fact]
    public async Task Applied_params_are_listed_and_win_over_the_Ingress_annotations_until_patched()
    {
        (await fixture.RunAsync("apply", "-f", fixture.WriteFile("params.yaml", Manifest))).Succeeded();

        var table = (await fixture.RunAsync("get", "ingressclassparams")).Succeeded().Stdout;
        Assert.Matches(@"NAME\s+GROUP-NAME\s+SCHEME\s+AGE", table);
        Assert.Matches(@"public-params\s+public-shop\s+internet-facing\s+\d+s", table);
        var cidrs = (await fixture.RunAsync("get", "ingressclassparams", "public-params", "-o", "jsonpath={.spec.inboundCIDRs[0]}")).Succeeded().Stdout;
        Assert.Equal("203.0.113.0/24", cidrs);

        // The IngressClassParams' group, scheme and CIDRs, not the Ingress's "internal" and 10.0.0.0/8.
        Assert.True(await LoadBalancerController.Wait.UntilAsync(() => ShopBalancer() is { Scheme: "internet-facing" }, Patience.Eventually),
            "an internet-facing ALB for group public-shop");
        var tags = fixture.Host.AwsWorld.GetTags(ShopBalancer()!.Arn);
        Assert.Equal("203.0.113.0/24", tags.GetValueOrDefault("sandbox.endpoint-dashboard.dev/source-ranges"));

        (await fixture.RunAsync("patch", "ingressclassparams", "public-params", "--type", "merge", "-p", """{"spec":{"scheme":"internal"}}""")).Succeeded();
        Assert.True(await LoadBalancerController.Wait.UntilAsync(() => ShopBalancer() is { Scheme: "internal" }, Patience.Eventually),
            "the controller replaces the ALB with an internal one after the patch");
    }

    [Fact]
    public async Task Ingressclassparams_are_cluster_scoped_and_a_watch_sees_a_change()
    {
        var resources = (await fixture.RunAsync("api-resources", "--api-group", "elbv2.k8s.aws")).Succeeded().Stdout;
        Assert.Matches(@"ingressclassparams\s+elbv2\.k8s\.aws/v1beta1\s+false\s+IngressClassParams", resources);
        (await fixture.RunAsync("apply", "-f", fixture.WriteFile("watched.yaml", """
            apiVersion: elbv2.k8s.aws/v1beta1
            kind: IngressClassParams
            metadata:
              name: watched-params
            spec:
              scheme: internal
            """))).Succeeded();

        using var process = fixture.Start("get", "ingressclassparams", "watched-params", "-w", "-o", "jsonpath={.spec.scheme}{\"\\n\"}");
        var lines = new List<string>();
        var reader = Task.Run(async () =>
        {
            while (await process.StandardOutput.ReadLineAsync() is { } line)
            {
                lock (lines)
                {
                    lines.Add(line);
                }
            }
        });
        string[] Seen()
        {
            lock (lines)
            {
                return [.. lines];
            }
        }
        try
        {
            Assert.True(await LoadBalancerController.Wait.UntilAsync(() => Seen().Contains("internal"), Patience.Eventually), "the listed object");
            (await fixture.RunAsync("patch", "ingressclassparams", "watched-params", "--type", "merge", "-p", """{"spec":{"scheme":"internet-facing"}}""")).Succeeded();
            Assert.True(await LoadBalancerController.Wait.UntilAsync(() => Seen().Contains("internet-facing"), Patience.Eventually),
                "kubectl get -w did not print the change: " + string.Join("\n", Seen()));
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        await reader;
    }
}
