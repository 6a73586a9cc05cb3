using Seed = Dashboard.Sandbox.Cluster.Scenario.SeedManifests;

namespace Dashboard.Sandbox.Tests.LoadBalancerController;

/// <summary>Manifests of the tests: the seed workshop's objects, with the changes each test names.</summary>
internal static class Manifests
{
    public const string RetailForecastDeployment = """
        apiVersion: v1
        kind: Namespace
        metadata:
          name: mlops
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: retail-forecast-api
          namespace: mlops
          labels:
            app: retail-forecast-api
        spec:
          replicas: 3
          selector:
            matchLabels:
              app: retail-forecast-api
          template:
            metadata:
              labels:
                app: retail-forecast-api
            spec:
              containers:
              - name: retail-forecast-api
                image: 123456789012.dkr.ecr.us-east-1.amazonaws.com/retail-forecast:v1.0
                ports:
                - containerPort: 8080
                  name: http
                  protocol: TCP
                readinessProbe:
                  httpGet:
                    path: /healthz
                    port: 8080
        """;

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
