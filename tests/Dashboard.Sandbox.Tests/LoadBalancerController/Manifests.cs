using Seed = Dashboard.Sandbox.Cluster.Scenario.SeedManifests;

namespace Dashboard.Sandbox.Tests.LoadBalancerController;

/// <summary>Manifests of the tests: the seed workshop's objects, with the changes each test names.</summary>
internal static class Manifests
{
    /// <summary>
    /// Namespace mlops and the seed's retail-forecast Deployment without its liveness probe (the file's last block), so a
    /// pod a test makes refuse connections stays up and only its readiness and target health change.
    /// </summary>
    public static readonly string RetailForecastDeployment =
        "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: mlops\n---\n" + WithoutLivenessProbe(Seed.Read("deployment.yaml", "123456789012"));

    private static string WithoutLivenessProbe(string deployment) =>
        deployment[..deployment.IndexOf("        livenessProbe:", StringComparison.Ordinal)].TrimEnd('\n');

    /// <summary>
    /// The seed's service-nlb-advanced.yaml handed to the controller (loadBalancerClass service.k8s.aws/nlb, ip targets
    /// through the controller's nlb-target-type annotation, a 10 s deregistration delay, no externalTrafficPolicy) with
    /// health checks short enough for tests (5 s, 2/2).
    /// The thresholds use the controller's annotation names (…-healthcheck-healthy-threshold); the seed's shorter
    /// …-healthy-threshold is not an annotation either implementation reads, so it leaves the default (3).
    /// </summary>
    public static readonly string ServiceNlbAdvanced = Seed.Edit(Seed.Read("service-nlb-advanced.yaml"),
        ("  type: LoadBalancer\n", "  type: LoadBalancer\n  loadBalancerClass: service.k8s.aws/nlb\n"),
        ("aws-load-balancer-healthcheck-interval: \"30\"", "aws-load-balancer-healthcheck-interval: \"5\""),
        ("aws-load-balancer-healthcheck-timeout: \"6\"", "aws-load-balancer-healthcheck-timeout: \"2\""),
        ("aws-load-balancer-healthy-threshold: \"2\"", "aws-load-balancer-healthcheck-healthy-threshold: \"2\""),
        ("aws-load-balancer-unhealthy-threshold: \"2\"", "aws-load-balancer-healthcheck-unhealthy-threshold: \"2\""),
        ("aws-load-balancer-target-type: \"ip\"",
            "aws-load-balancer-nlb-target-type: \"ip\"\n    service.beta.kubernetes.io/aws-load-balancer-target-group-attributes: \"deregistration_delay.timeout_seconds=10\""),
        ("\n  externalTrafficPolicy: Local  # Preserve source IP", ""));

    /// <summary>The seed's in-tree NLB (no loadBalancerClass, type annotation nlb): the cloud provider's business.</summary>
    public const string InTreeNlb = """
        apiVersion: v1
        kind: Service
        metadata:
          name: retail-forecast-loadbalancer
          namespace: mlops
          annotations:
            service.beta.kubernetes.io/aws-load-balancer-type: "nlb"
            service.beta.kubernetes.io/aws-load-balancer-healthcheck-interval: "5"
            service.beta.kubernetes.io/aws-load-balancer-healthcheck-timeout: "2"
            service.beta.kubernetes.io/aws-load-balancer-healthcheck-healthy-threshold: "2"
            service.beta.kubernetes.io/aws-load-balancer-healthcheck-unhealthy-threshold: "2"
        spec:
          type: LoadBalancer
          ports:
          - port: 80
            targetPort: 8080
            protocol: TCP
            name: http
          selector:
            app: retail-forecast-api
        """;

    /// <summary>A ClusterIP Service and two Ingresses of different namespaces' style sharing the ALB group "shop".</summary>
    public const string IngressGroup = """
        apiVersion: v1
        kind: Service
        metadata:
          name: retail-forecast-service
          namespace: mlops
        spec:
          ports:
          - port: 80
            targetPort: 8080
            name: http
          selector:
            app: retail-forecast-api
        ---
        apiVersion: networking.k8s.io/v1
        kind: IngressClass
        metadata:
          name: alb
        spec:
          controller: ingress.k8s.aws/alb
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: forecast-api
          namespace: mlops
          annotations:
            alb.ingress.kubernetes.io/group.name: shop
            alb.ingress.kubernetes.io/group.order: "20"
            alb.ingress.kubernetes.io/scheme: internet-facing
            alb.ingress.kubernetes.io/target-type: ip
            alb.ingress.kubernetes.io/healthcheck-path: /healthz
        spec:
          ingressClassName: alb
          rules:
          - host: api.retail-forecast.com
            http:
              paths:
              - path: /predict
                pathType: Prefix
                backend:
                  service:
                    name: retail-forecast-service
                    port:
                      number: 80
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: forecast-metrics
          namespace: mlops
          annotations:
            kubernetes.io/ingress.class: alb
            alb.ingress.kubernetes.io/group.name: shop
            alb.ingress.kubernetes.io/group.order: "10"
            alb.ingress.kubernetes.io/scheme: internet-facing
            alb.ingress.kubernetes.io/target-type: ip
        spec:
          rules:
          - host: metrics.retail-forecast.com
            http:
              paths:
              - path: /metrics
                pathType: Exact
                backend:
                  service:
                    name: retail-forecast-service
                    port:
                      name: http
        """;
}
