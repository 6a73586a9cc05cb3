namespace Dashboard.Sandbox.Tests.Kubernetes;

/// <summary>The retail-forecast Service manifests of the seed workflow (reference/seed-elb-eks.md §2.1–2.2), namespace swapped per test.</summary>
internal static class SeedManifests
{
    public static string LoadBalancerService(string ns) => $"""
        apiVersion: v1
        kind: Service
        metadata:
          name: retail-forecast-loadbalancer
          namespace: {ns}
          labels:
            app: retail-forecast-api
          annotations:
            # Use Network Load Balancer for better performance
            service.beta.kubernetes.io/aws-load-balancer-type: "nlb"
            service.beta.kubernetes.io/aws-load-balancer-cross-zone-load-balancing-enabled: "true"
            service.beta.kubernetes.io/aws-load-balancer-backend-protocol: "http"
            service.beta.kubernetes.io/aws-load-balancer-healthcheck-path: "/healthz"
            service.beta.kubernetes.io/aws-load-balancer-healthcheck-interval: "30"
            service.beta.kubernetes.io/aws-load-balancer-healthcheck-timeout: "5"
            service.beta.kubernetes.io/aws-load-balancer-healthy-threshold: "2"
            service.beta.kubernetes.io/aws-load-balancer-unhealthy-threshold: "3"
        spec:
          type: LoadBalancer
          ports:
          - port: 80
            targetPort: 8080
            protocol: TCP
            name: http
          - port: 443
            targetPort: 8080
            protocol: TCP
            name: https
          selector:
            app: retail-forecast-api
          loadBalancerSourceRanges:
          - 0.0.0.0/0  # Allow access from anywhere (restrict in production)
        """;

    public static string NlbService(string ns, int port = 80, string scheme = "internet-facing") => $"""
        apiVersion: v1
        kind: Service
        metadata:
          name: retail-forecast-nlb
          namespace: {ns}
          labels:
            app: retail-forecast-api
          annotations:
            service.beta.kubernetes.io/aws-load-balancer-type: "nlb"
            service.beta.kubernetes.io/aws-load-balancer-scheme: "{scheme}"
            service.beta.kubernetes.io/aws-load-balancer-cross-zone-load-balancing-enabled: "true"
            service.beta.kubernetes.io/aws-load-balancer-backend-protocol: "http"
            service.beta.kubernetes.io/aws-load-balancer-healthcheck-path: "/healthz"
            service.beta.kubernetes.io/aws-load-balancer-healthcheck-port: "8080"
            service.beta.kubernetes.io/aws-load-balancer-target-type: "ip"
        spec:
          type: LoadBalancer
          ports:
          - port: {port}
            targetPort: 8080
            protocol: TCP
            name: http
          selector:
            app: retail-forecast-api
          externalTrafficPolicy: Local  # Preserve source IP
        """;
}
