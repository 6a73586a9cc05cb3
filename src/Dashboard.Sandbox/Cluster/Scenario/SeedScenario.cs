using System.Net;
using System.Text.Json.Nodes;
using Dashboard.Sandbox.Kubernetes;

namespace Dashboard.Sandbox.Cluster.Scenario;

/// <summary>
/// The world of the seed workshop (reference/seed-elb-eks.md, step 11): namespace <c>mlops</c> with the
/// retail-forecast API behind a ClusterIP Service, the in-tree NLB Services and the two ALB Ingresses with the
/// seed's annotations verbatim (its placeholders YOUR_ACCOUNT_ID/YOUR_CERT_ID/YOUR_WAF_ID filled with the
/// sandbox account and stable ids), the AWS Load Balancer Controller in kube-system, and a few realistic
/// neighbours: an internal NLB through loadBalancerClass (payments), two Ingresses of different namespaces
/// sharing one ALB through group.name (storefront, catalog — one with the deprecated class annotation, one
/// open to 0.0.0.0/0; both listen on 80 and 443, storefront's ssl-redirect redirects the group's port 80 and their rules
/// live on 443, catalog's more specific path first), an <c>external</c>-type NLB, a failing canary, a crash-looping worker, a Service whose
/// health-check path no container serves and a Service that selects nothing (internal-tools).
/// </summary>
internal static class SeedScenario
{
    public static List<JsonObject> Manifests(SandboxOptions options)
    {
        var certificateId = StableHash.Uuid($"{options.Seed}/acm/retail-forecast");
        var wafId = StableHash.Uuid($"{options.Seed}/waf/retail-forecast");
        var shopCertificateId = StableHash.Uuid($"{options.Seed}/acm/shop");
        var text = string.Join("\n---\n", [Mlops, .. _seedFiles.Select(SeedManifests.Read), KubeSystem, Payments, Storefront, Catalog, InternalTools])
            .Replace("YOUR_ACCOUNT_ID", options.AccountId, StringComparison.Ordinal)
            .Replace("YOUR_CERT_ID", certificateId, StringComparison.Ordinal)
            .Replace("YOUR_WAF_ID", wafId, StringComparison.Ordinal)
            .Replace("SHOP_CERT_ID", shopCertificateId, StringComparison.Ordinal)
            .Replace("us-east-1", options.Region, StringComparison.Ordinal)
            .Replace("retail-forecast-cluster", options.ClusterName, StringComparison.Ordinal);
        return YamlManifests.Parse(text);
    }

    /// <summary>
    /// Creates the scenario's objects directly in the store (controllers then add pods, slices, events), back-dated by
    /// <see cref="ScenarioClock"/> so the world looks like it has been running (the load balancer controller then
    /// back-dates the balancers it makes for them to their owners' creation times).
    /// </summary>
    public static int Load(ResourceStore store, SandboxOptions options, ServiceAddressSpace addresses)
    {
        var clock = new ScenarioClock(options.Seed, store.Time.GetUtcNow());
        var created = 0;
        foreach (var manifest in Manifests(options))
        {
            var apiVersion = JsonFields.String(manifest, "apiVersion") ?? "";
            var kind = JsonFields.String(manifest, "kind") ?? "";
            var type = ResourceTypes.FindByKind(apiVersion, kind)
                ?? throw new InvalidOperationException($"The seed scenario names {apiVersion}/{kind}, which the sandbox does not serve.");
            if (type == ResourceTypes.Services)
            {
                ServiceDefaults.Apply(manifest, addresses);
            }
            else if (type == ResourceTypes.Namespaces)
            {
                manifest["status"] = new JsonObject { ["phase"] = "Active" };
            }
            else if (type == ResourceTypes.Deployments)
            {
                // As written by the API server on the kubectl apply that made it: a later patch must not change the template.
                Kubernetes.Api.ObjectDefaults.DefaultDeployment(manifest);
            }
            try
            {
                var ns = type.Namespaced ? JsonFields.Namespace(manifest) : null;
                var createdAt = type == ResourceTypes.Namespaces
                    ? clock.NamespaceCreated(JsonFields.Name(manifest) ?? "")
                    : clock.ObjectCreated(ns, kind, JsonFields.Name(manifest) ?? "");
                store.Create(type, JsonFields.Namespace(manifest), manifest, createdAt: createdAt);
                created++;
            }
            catch (StoreException e) when (e.Code == HttpStatusCode.Conflict)
            {
                // Already there (a restarted loader over a kept store): keep what exists.
            }
        }
        return created;
    }

    /// <summary>The seed's own files, in the order the workshop applies them (after <see cref="Mlops"/>).</summary>
    private static readonly string[] _seedFiles =
    [
        "deployment.yaml", "service.yaml", "service-loadbalancer.yaml", "service-nlb-advanced.yaml", "ingress-alb.yaml", "ingress-alb-advanced.yaml",
    ];

    /// <summary>The namespace of the seed and what its Deployment refers to (service account, configuration).</summary>
    private const string Mlops = """
        apiVersion: v1
        kind: Namespace
        metadata:
          name: mlops
          labels:
            name: mlops
            app.kubernetes.io/part-of: retail-forecast
        ---
        apiVersion: v1
        kind: ServiceAccount
        metadata:
          name: retail-forecast-sa
          namespace: mlops
          labels:
            app: retail-forecast-api
          annotations:
            eks.amazonaws.com/role-arn: arn:aws:iam::YOUR_ACCOUNT_ID:role/RetailForecastModelAccess
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: retail-forecast-config
          namespace: mlops
          labels:
            app: retail-forecast-api
        data:
          MODEL_BUCKET: retail-forecast-models-YOUR_ACCOUNT_ID
          MODEL_KEY: models/latest/model.tar.gz
          AWS_REGION: us-east-1
          LOG_LEVEL: INFO
        """;

    private const string KubeSystem = """
        apiVersion: networking.k8s.io/v1
        kind: IngressClass
        metadata:
          name: alb
          labels:
            app.kubernetes.io/name: aws-load-balancer-controller
            app.kubernetes.io/instance: aws-load-balancer-controller
            app.kubernetes.io/managed-by: Helm
        spec:
          controller: ingress.k8s.aws/alb
        ---
        apiVersion: v1
        kind: ServiceAccount
        metadata:
          name: aws-load-balancer-controller
          namespace: kube-system
          labels:
            app.kubernetes.io/component: controller
            app.kubernetes.io/name: aws-load-balancer-controller
            app.kubernetes.io/managed-by: eksctl
          annotations:
            eks.amazonaws.com/role-arn: arn:aws:iam::YOUR_ACCOUNT_ID:role/AmazonEKSLoadBalancerControllerRole
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: aws-load-balancer-controller
          namespace: kube-system
          labels:
            app.kubernetes.io/name: aws-load-balancer-controller
            app.kubernetes.io/instance: aws-load-balancer-controller
            app.kubernetes.io/managed-by: Helm
            app.kubernetes.io/version: v2.6.0
            helm.sh/chart: aws-load-balancer-controller-1.6.0
          annotations:
            meta.helm.sh/release-name: aws-load-balancer-controller
            meta.helm.sh/release-namespace: kube-system
        spec:
          replicas: 2
          selector:
            matchLabels:
              app.kubernetes.io/name: aws-load-balancer-controller
              app.kubernetes.io/instance: aws-load-balancer-controller
          template:
            metadata:
              labels:
                app.kubernetes.io/name: aws-load-balancer-controller
                app.kubernetes.io/instance: aws-load-balancer-controller
              annotations:
                prometheus.io/scrape: "true"
                prometheus.io/port: "8080"
            spec:
              serviceAccountName: aws-load-balancer-controller
              priorityClassName: system-cluster-critical
              containers:
              - name: aws-load-balancer-controller
                image: public.ecr.aws/eks/aws-load-balancer-controller:v2.6.0
                args:
                - --cluster-name=retail-forecast-cluster
                - --ingress-class=alb
                ports:
                - name: webhook-server
                  containerPort: 9443
                  protocol: TCP
                - name: metrics-server
                  containerPort: 8080
                  protocol: TCP
                resources:
                  requests:
                    cpu: 100m
                    memory: 128Mi
                livenessProbe:
                  httpGet:
                    path: /healthz
                    port: 61779
                    scheme: HTTP
                  initialDelaySeconds: 30
                  timeoutSeconds: 10
                  failureThreshold: 2
                readinessProbe:
                  httpGet:
                    path: /readyz
                    port: 61779
                    scheme: HTTP
                  initialDelaySeconds: 10
                  timeoutSeconds: 10
                  failureThreshold: 2
                  successThreshold: 1
        ---
        apiVersion: v1
        kind: Service
        metadata:
          name: aws-load-balancer-webhook-service
          namespace: kube-system
          labels:
            app.kubernetes.io/name: aws-load-balancer-controller
            app.kubernetes.io/instance: aws-load-balancer-controller
            app.kubernetes.io/component: webhook
        spec:
          ports:
          - name: webhook-server
            port: 443
            targetPort: webhook-server
          selector:
            app.kubernetes.io/name: aws-load-balancer-controller
            app.kubernetes.io/instance: aws-load-balancer-controller
        ---
        apiVersion: v1
        kind: ServiceAccount
        metadata:
          name: coredns
          namespace: kube-system
          labels:
            eks.amazonaws.com/component: coredns
            k8s-app: kube-dns
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: coredns
          namespace: kube-system
          labels:
            eks.amazonaws.com/component: coredns
            k8s-app: kube-dns
        data:
          Corefile: |
            .:53 {
                errors
                health {
                    lameduck 5s
                  }
                ready
                kubernetes cluster.local in-addr.arpa ip6.arpa {
                  pods insecure
                  fallthrough in-addr.arpa ip6.arpa
                }
                prometheus :9153
                forward . /etc/resolv.conf
                cache 30
                loop
                reload
                loadbalance
            }
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: coredns
          namespace: kube-system
          labels:
            eks.amazonaws.com/component: coredns
            k8s-app: kube-dns
            kubernetes.io/name: CoreDNS
        spec:
          replicas: 2
          selector:
            matchLabels:
              eks.amazonaws.com/component: coredns
              k8s-app: kube-dns
          template:
            metadata:
              labels:
                eks.amazonaws.com/component: coredns
                k8s-app: kube-dns
            spec:
              serviceAccountName: coredns
              priorityClassName: system-cluster-critical
              containers:
              - name: coredns
                image: 602401143452.dkr.ecr.us-east-1.amazonaws.com/eks/coredns:v1.11.4-eksbuild.2
                args: ["-conf", "/etc/coredns/Corefile"]
                ports:
                - containerPort: 53
                  name: dns
                  protocol: UDP
                - containerPort: 53
                  name: dns-tcp
                  protocol: TCP
                - containerPort: 9153
                  name: metrics
                  protocol: TCP
                resources:
                  limits:
                    memory: 170Mi
                  requests:
                    cpu: 100m
                    memory: 70Mi
                livenessProbe:
                  httpGet:
                    path: /health
                    port: 8080
                    scheme: HTTP
                  initialDelaySeconds: 60
                  timeoutSeconds: 5
                  failureThreshold: 5
                readinessProbe:
                  httpGet:
                    path: /ready
                    port: 8181
                    scheme: HTTP
        ---
        apiVersion: v1
        kind: Service
        metadata:
          name: kube-dns
          namespace: kube-system
          labels:
            eks.amazonaws.com/component: kube-dns
            k8s-app: kube-dns
            kubernetes.io/cluster-service: "true"
            kubernetes.io/name: CoreDNS
          annotations:
            prometheus.io/port: "9153"
            prometheus.io/scrape: "true"
        spec:
          clusterIP: 10.100.0.10
          ports:
          - name: dns
            port: 53
            protocol: UDP
            targetPort: 53
          - name: dns-tcp
            port: 53
            protocol: TCP
            targetPort: 53
          - name: metrics
            port: 9153
            protocol: TCP
            targetPort: 9153
          selector:
            k8s-app: kube-dns
        """;

    private const string Payments = """
        apiVersion: v1
        kind: Namespace
        metadata:
          name: payments
          labels:
            team: payments
        ---
        apiVersion: v1
        kind: ServiceAccount
        metadata:
          name: payments-api
          namespace: payments
          annotations:
            eks.amazonaws.com/role-arn: arn:aws:iam::YOUR_ACCOUNT_ID:role/PaymentsApiRole
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: payments-api-config
          namespace: payments
        data:
          PAYMENT_PROVIDER_URL: https://api.payments.example.com
          RETRY_LIMIT: "3"
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: payments-api
          namespace: payments
          labels:
            app: payments-api
        spec:
          replicas: 3
          selector:
            matchLabels:
              app: payments-api
          template:
            metadata:
              labels:
                app: payments-api
                tier: backend
            spec:
              serviceAccountName: payments-api
              containers:
              - name: payments-api
                image: YOUR_ACCOUNT_ID.dkr.ecr.us-east-1.amazonaws.com/payments-api:2.4.1
                ports:
                - name: http
                  containerPort: 8443
                  protocol: TCP
                - name: metrics
                  containerPort: 9090
                  protocol: TCP
                resources:
                  requests:
                    cpu: 200m
                    memory: 256Mi
                readinessProbe:
                  httpGet:
                    path: /ready
                    port: http
                  periodSeconds: 5
                livenessProbe:
                  httpGet:
                    path: /livez
                    port: http
                  periodSeconds: 10
        ---
        apiVersion: v1
        kind: Service
        metadata:
          name: payments-api
          namespace: payments
          labels:
            app: payments-api
        spec:
          ports:
          - name: http
            port: 80
            targetPort: http
          selector:
            app: payments-api
        ---
        apiVersion: v1
        kind: Service
        metadata:
          name: payments-api-nlb
          namespace: payments
          labels:
            app: payments-api
          annotations:
            service.beta.kubernetes.io/aws-load-balancer-scheme: internal
            service.beta.kubernetes.io/aws-load-balancer-nlb-target-type: ip
            service.beta.kubernetes.io/aws-load-balancer-healthcheck-protocol: HTTP
            service.beta.kubernetes.io/aws-load-balancer-healthcheck-path: /ready
            service.beta.kubernetes.io/aws-load-balancer-healthcheck-port: traffic-port
            service.beta.kubernetes.io/aws-load-balancer-target-group-attributes: deregistration_delay.timeout_seconds=30,preserve_client_ip.enabled=true
            service.beta.kubernetes.io/aws-load-balancer-additional-resource-tags: Team=payments,CostCenter=cc-1042
        spec:
          type: LoadBalancer
          loadBalancerClass: service.k8s.aws/nlb
          ports:
          - name: https
            port: 443
            targetPort: http
            protocol: TCP
          - name: metrics
            port: 9090
            targetPort: metrics
            protocol: TCP
          selector:
            app: payments-api
        """;

    private const string Storefront = """
        apiVersion: v1
        kind: Namespace
        metadata:
          name: storefront
          labels:
            team: web
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: storefront-web-config
          namespace: storefront
        data:
          CATALOG_URL: http://catalog-api.catalog.svc.cluster.local
          FEATURE_NEW_CHECKOUT: "true"
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: storefront-web
          namespace: storefront
          labels:
            app: storefront-web
        spec:
          replicas: 2
          selector:
            matchLabels:
              app: storefront-web
          template:
            metadata:
              labels:
                app: storefront-web
            spec:
              containers:
              - name: web
                image: YOUR_ACCOUNT_ID.dkr.ecr.us-east-1.amazonaws.com/storefront-web:5.12.0
                ports:
                - name: http
                  containerPort: 3000
                  protocol: TCP
                readinessProbe:
                  httpGet:
                    path: /ready
                    port: http
                livenessProbe:
                  httpGet:
                    path: /live
                    port: http
        ---
        apiVersion: v1
        kind: Service
        metadata:
          name: storefront-web
          namespace: storefront
          labels:
            app: storefront-web
        spec:
          ports:
          - name: http
            port: 80
            targetPort: http
          selector:
            app: storefront-web
        ---
        apiVersion: v1
        kind: Service
        metadata:
          name: storefront-checkout-nlb
          namespace: storefront
          labels:
            app: storefront-web
          annotations:
            service.beta.kubernetes.io/aws-load-balancer-type: external
            service.beta.kubernetes.io/aws-load-balancer-nlb-target-type: ip
            service.beta.kubernetes.io/aws-load-balancer-scheme: internet-facing
            service.beta.kubernetes.io/aws-load-balancer-healthcheck-path: /ready
        spec:
          type: LoadBalancer
          ports:
          - name: http
            port: 80
            targetPort: http
            protocol: TCP
          selector:
            app: storefront-web
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: storefront
          namespace: storefront
          annotations:
            alb.ingress.kubernetes.io/group.name: shop
            alb.ingress.kubernetes.io/group.order: "20"
            alb.ingress.kubernetes.io/scheme: internet-facing
            alb.ingress.kubernetes.io/target-type: ip
            alb.ingress.kubernetes.io/inbound-cidrs: 0.0.0.0/0
            alb.ingress.kubernetes.io/listen-ports: '[{"HTTP": 80}, {"HTTPS": 443}]'
            alb.ingress.kubernetes.io/ssl-redirect: "443"
            alb.ingress.kubernetes.io/certificate-arn: arn:aws:acm:us-east-1:YOUR_ACCOUNT_ID:certificate/SHOP_CERT_ID
            alb.ingress.kubernetes.io/healthcheck-path: /ready
        spec:
          ingressClassName: alb
          rules:
          - host: shop.example.com
            http:
              paths:
              - path: /
                pathType: Prefix
                backend:
                  service:
                    name: storefront-web
                    port:
                      name: http
        """;

    private const string Catalog = """
        apiVersion: v1
        kind: Namespace
        metadata:
          name: catalog
          labels:
            team: web
        ---
        apiVersion: v1
        kind: ServiceAccount
        metadata:
          name: catalog-api
          namespace: catalog
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: catalog-api
          namespace: catalog
          labels:
            app: catalog-api
            track: stable
        spec:
          replicas: 2
          selector:
            matchLabels:
              app: catalog-api
              track: stable
          template:
            metadata:
              labels:
                app: catalog-api
                track: stable
            spec:
              serviceAccountName: catalog-api
              containers:
              - name: catalog-api
                image: YOUR_ACCOUNT_ID.dkr.ecr.us-east-1.amazonaws.com/catalog-api:3.8.2
                ports:
                - name: http
                  containerPort: 8080
                  protocol: TCP
                readinessProbe:
                  httpGet:
                    path: /ready
                    port: http
                  periodSeconds: 10
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: catalog-api-canary
          namespace: catalog
          labels:
            app: catalog-api
            track: canary
        spec:
          replicas: 1
          selector:
            matchLabels:
              app: catalog-api
              track: canary
          template:
            metadata:
              labels:
                app: catalog-api
                track: canary
              annotations:
                # Sandbox only: the canary build answers 500 on every path.
                sandbox.endpoint-dashboard.dev/health: http-500
            spec:
              serviceAccountName: catalog-api
              containers:
              - name: catalog-api
                image: YOUR_ACCOUNT_ID.dkr.ecr.us-east-1.amazonaws.com/catalog-api:3.9.0-rc.1
                ports:
                - name: http
                  containerPort: 8080
                  protocol: TCP
                readinessProbe:
                  httpGet:
                    path: /ready
                    port: http
                  periodSeconds: 10
        ---
        apiVersion: v1
        kind: Service
        metadata:
          name: catalog-api
          namespace: catalog
          labels:
            app: catalog-api
          annotations:
            # Per-Service override of the ALB health check: no catalog container serves /health (it serves /ready).
            alb.ingress.kubernetes.io/healthcheck-path: /health
        spec:
          ports:
          - name: http
            port: 80
            targetPort: 8080
          selector:
            app: catalog-api
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: catalog
          namespace: catalog
          annotations:
            kubernetes.io/ingress.class: alb
            alb.ingress.kubernetes.io/group.name: shop
            alb.ingress.kubernetes.io/group.order: "10"
            alb.ingress.kubernetes.io/scheme: internet-facing
            alb.ingress.kubernetes.io/target-type: ip
            alb.ingress.kubernetes.io/listen-ports: '[{"HTTP": 80}, {"HTTPS": 443}]'
            alb.ingress.kubernetes.io/certificate-arn: arn:aws:acm:us-east-1:YOUR_ACCOUNT_ID:certificate/SHOP_CERT_ID
        spec:
          rules:
          - host: shop.example.com
            http:
              paths:
              - path: /api/catalog
                pathType: Prefix
                backend:
                  service:
                    name: catalog-api
                    port:
                      number: 80
        """;

    private const string InternalTools = """
        apiVersion: v1
        kind: Namespace
        metadata:
          name: internal-tools
          labels:
            team: platform
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: grafana-datasources
          namespace: internal-tools
        data:
          datasources.yaml: |
            apiVersion: 1
            datasources:
            - name: CloudWatch
              type: cloudwatch
              jsonData:
                defaultRegion: us-east-1
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: grafana
          namespace: internal-tools
          labels:
            app: grafana
        spec:
          replicas: 1
          selector:
            matchLabels:
              app: grafana
          template:
            metadata:
              labels:
                app: grafana
            spec:
              containers:
              - name: grafana
                image: grafana/grafana:11.4.0
                ports:
                - name: http
                  containerPort: 3000
                  protocol: TCP
                readinessProbe:
                  httpGet:
                    path: /api/health
                    port: http
        ---
        apiVersion: v1
        kind: Service
        metadata:
          name: grafana
          namespace: internal-tools
          labels:
            app: grafana
        spec:
          ports:
          - name: http
            port: 80
            targetPort: http
          selector:
            app: grafana
        ---
        apiVersion: v1
        kind: Service
        metadata:
          name: legacy-reports
          namespace: internal-tools
          labels:
            app: legacy-reports
          annotations:
            description: Reports UI retired in 2024; its Deployment was deleted, the Service was not.
        spec:
          ports:
          - name: http
            port: 80
            targetPort: 8080
          selector:
            app: legacy-reports
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: report-worker
          namespace: internal-tools
          labels:
            app: report-worker
        spec:
          replicas: 1
          selector:
            matchLabels:
              app: report-worker
          template:
            metadata:
              labels:
                app: report-worker
              annotations:
                # Sandbox only: the worker exits on start (bad configuration), so it crash-loops.
                sandbox.endpoint-dashboard.dev/crash: "true"
            spec:
              containers:
              - name: worker
                image: YOUR_ACCOUNT_ID.dkr.ecr.us-east-1.amazonaws.com/report-worker:0.9.3
        """;
}
