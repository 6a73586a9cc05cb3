using k8s;
using k8s.Models;

namespace Dashboard.Server.Tests.Inventory;

/// <summary>The manifests of the seed document (reference/seed-elb-eks.md, sections 2.1, 2.2, 3.2, 3.3), verbatim.</summary>
internal static class SeedManifests
{
    public const string Yaml = """
    # service-loadbalancer.yaml
    apiVersion: v1
    kind: Service
    metadata:
      name: retail-forecast-loadbalancer
      namespace: mlops
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
    ---
    # service-nlb-advanced.yaml
    apiVersion: v1
    kind: Service
    metadata:
      name: retail-forecast-nlb
      namespace: mlops
      labels:
        app: retail-forecast-api
      annotations:
        # Network Load Balancer configuration
        service.beta.kubernetes.io/aws-load-balancer-type: "nlb"
        service.beta.kubernetes.io/aws-load-balancer-scheme: "internet-facing"
        service.beta.kubernetes.io/aws-load-balancer-cross-zone-load-balancing-enabled: "true"
        service.beta.kubernetes.io/aws-load-balancer-backend-protocol: "http"

        # Health check configuration
        service.beta.kubernetes.io/aws-load-balancer-healthcheck-path: "/healthz"
        service.beta.kubernetes.io/aws-load-balancer-healthcheck-port: "8080"
        service.beta.kubernetes.io/aws-load-balancer-healthcheck-protocol: "HTTP"
        service.beta.kubernetes.io/aws-load-balancer-healthcheck-interval: "30"
        service.beta.kubernetes.io/aws-load-balancer-healthcheck-timeout: "6"
        service.beta.kubernetes.io/aws-load-balancer-healthy-threshold: "2"
        service.beta.kubernetes.io/aws-load-balancer-unhealthy-threshold: "2"

        # Access logging
        service.beta.kubernetes.io/aws-load-balancer-access-log-enabled: "true"
        service.beta.kubernetes.io/aws-load-balancer-access-log-s3-bucket-name: "retail-forecast-nlb-logs"
        service.beta.kubernetes.io/aws-load-balancer-access-log-s3-bucket-prefix: "nlb-access-logs"

        # Subnet configuration
        service.beta.kubernetes.io/aws-load-balancer-subnets: "subnet-12345678,subnet-87654321"

        # Target type
        service.beta.kubernetes.io/aws-load-balancer-target-type: "ip"

        # Additional tags
        service.beta.kubernetes.io/aws-load-balancer-additional-resource-tags: "Environment=Production,Project=RetailForecast"
    spec:
      type: LoadBalancer
      ports:
      - port: 80
        targetPort: 8080
        protocol: TCP
        name: http
      selector:
        app: retail-forecast-api
      externalTrafficPolicy: Local  # Preserve source IP
    ---
    # ingress-alb.yaml
    apiVersion: networking.k8s.io/v1
    kind: Ingress
    metadata:
      name: retail-forecast-alb-ingress
      namespace: mlops
      annotations:
        # ALB configuration
        kubernetes.io/ingress.class: alb
        alb.ingress.kubernetes.io/scheme: internet-facing
        alb.ingress.kubernetes.io/target-type: ip
        alb.ingress.kubernetes.io/load-balancer-name: retail-forecast-alb

        # Health check configuration
        alb.ingress.kubernetes.io/healthcheck-path: /healthz
        alb.ingress.kubernetes.io/healthcheck-interval-seconds: '30'
        alb.ingress.kubernetes.io/healthcheck-timeout-seconds: '5'
        alb.ingress.kubernetes.io/healthy-threshold-count: '2'
        alb.ingress.kubernetes.io/unhealthy-threshold-count: '2'

        # SSL configuration
        alb.ingress.kubernetes.io/ssl-redirect: '443'
        alb.ingress.kubernetes.io/certificate-arn: arn:aws:acm:us-east-1:YOUR_ACCOUNT_ID:certificate/YOUR_CERT_ID

        # Access logging
        alb.ingress.kubernetes.io/load-balancer-attributes: |
          access_logs.s3.enabled=true,
          access_logs.s3.bucket=retail-forecast-alb-logs,
          access_logs.s3.prefix=alb-access-logs

        # Additional configurations
        alb.ingress.kubernetes.io/target-group-attributes: |
          stickiness.enabled=false,
          deregistration_delay.timeout_seconds=30,
          slow_start.duration_seconds=30

        # WAF integration
        alb.ingress.kubernetes.io/wafv2-acl-arn: arn:aws:wafv2:us-east-1:YOUR_ACCOUNT_ID:regional/webacl/retail-forecast-waf/YOUR_WAF_ID

        # Tags
        alb.ingress.kubernetes.io/tags: Environment=Production,Project=RetailForecast
    spec:
      rules:
      - host: api.retail-forecast.com
        http:
          paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: retail-forecast-service
                port:
                  number: 80
      - http:  # Default rule for requests without host header
          paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: retail-forecast-service
                port:
                  number: 80
    ---
    # ingress-alb-advanced.yaml
    apiVersion: networking.k8s.io/v1
    kind: Ingress
    metadata:
      name: retail-forecast-alb-advanced
      namespace: mlops
      annotations:
        kubernetes.io/ingress.class: alb
        alb.ingress.kubernetes.io/scheme: internet-facing
        alb.ingress.kubernetes.io/target-type: ip

        # Listen ports for HTTP and HTTPS
        alb.ingress.kubernetes.io/listen-ports: '[{"HTTP": 80}, {"HTTPS": 443}]'

        # Actions for different paths
        alb.ingress.kubernetes.io/actions.weighted-routing: |
          {
            "type": "forward",
            "forwardConfig": {
              "targetGroups": [
                {
                  "serviceName": "retail-forecast-service",
                  "servicePort": 80,
                  "weight": 100
                }
              ]
            }
          }

        # Rate limiting
        alb.ingress.kubernetes.io/target-group-attributes: |
          stickiness.enabled=false,
          load_balancing.algorithm.type=round_robin,
          slow_start.duration_seconds=30
    spec:
      rules:
      - host: api.retail-forecast.com
        http:
          paths:
          # Health check endpoint
          - path: /healthz
            pathType: Exact
            backend:
              service:
                name: retail-forecast-service
                port:
                  number: 80

          # Prediction endpoints
          - path: /predict
            pathType: Exact
            backend:
              service:
                name: retail-forecast-service
                port:
                  number: 80

          # Batch prediction
          - path: /batch-predict
            pathType: Exact
            backend:
              service:
                name: retail-forecast-service
                port:
                  number: 80

          # Model information
          - path: /model-info
            pathType: Exact
            backend:
              service:
                name: retail-forecast-service
                port:
                  number: 80

          # Metrics endpoint
          - path: /metrics
            pathType: Exact
            backend:
              service:
                name: retail-forecast-service
                port:
                  number: 80

          # Default catch-all
          - path: /
            pathType: Prefix
            backend:
              service:
                name: retail-forecast-service
                port:
                  number: 80
    """;

    private static readonly Lazy<List<object>> Objects = new(() => KubernetesYaml.LoadAllFromString(Yaml));

    public static V1Service Service(string name) => Prepare(Objects.Value.OfType<V1Service>().Single(s => s.Metadata.Name == name));

    public static V1Ingress Ingress(string name) => Prepare(Objects.Value.OfType<V1Ingress>().Single(i => i.Metadata.Name == name));

    /// <summary>A fresh copy with what the API server adds on create (uid, resourceVersion, creationTimestamp).</summary>
    private static T Prepare<T>(T item) where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var copy = KubernetesJson.Deserialize<T>(KubernetesJson.Serialize(item));
        copy.Metadata.Uid = "uid-" + copy.Metadata.Name;
        copy.Metadata.ResourceVersion = "1001";
        copy.Metadata.CreationTimestamp = new DateTime(2024, 1, 1, 12, 0, 0, DateTimeKind.Utc);
        return copy;
    }
}
