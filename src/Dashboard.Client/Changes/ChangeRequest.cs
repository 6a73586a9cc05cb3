namespace Dashboard.Client.Changes;

/// <summary>
/// What a user asks the guided change to do (POST /api/v1/changes/plan, and the wizard's form). Every field is checked on the
/// server (<c>ChangeValidation</c>); text-typed choices (action, via, scheme …) so that a wrong value is a 422 naming the
/// field, not a JSON error.
/// </summary>
public sealed record ChangeRequest
{
    /// <summary><c>expose</c>, <c>reconfigure</c> or <c>unexpose</c>.</summary>
    public string? Action { get; init; }

    /// <summary>Expose: the namespace of the workload.</summary>
    public string? Namespace { get; init; }

    /// <summary>Expose: the Deployment or ClusterIP Service to put behind a load balancer.</summary>
    public WorkloadRef? Workload { get; init; }

    /// <summary>Reconfigure / unexpose: the Service or Ingress to change.</summary>
    public TargetRef? Target { get; init; }

    /// <summary>Expose: <c>nlb</c> (a LoadBalancer Service, loadBalancerClass service.k8s.aws/nlb) or <c>alb</c> (an Ingress, class alb).</summary>
    public string? Via { get; init; }

    /// <summary>Expose: the name of the new Service (NLB) or Ingress (ALB).</summary>
    public string? Name { get; init; }

    /// <summary><c>internet-facing</c> or <c>internal</c>. Changing it replaces the load balancer.</summary>
    public string? Scheme { get; init; }

    /// <summary><c>ip</c> or <c>instance</c>. Changing it replaces the target group.</summary>
    public string? TargetType { get; init; }

    /// <summary>The port the load balancer listens on (NLB: the Service port; ALB: the backend Service port).</summary>
    public int? Port { get; init; }

    /// <summary>The container port traffic goes to (a new Service's targetPort).</summary>
    public int? TargetPort { get; init; }

    public HealthCheckRequest? HealthCheck { get; init; }

    /// <summary>CIDRs allowed to reach the load balancer (NLB: spec.loadBalancerSourceRanges; ALB: inbound-cidrs).</summary>
    public IReadOnlyList<string>? SourceRanges { get; init; }

    /// <summary>An ACM certificate ARN: a TLS listener (NLB: ssl-cert on the port; ALB: an HTTPS:443 listener).</summary>
    public string? CertificateArn { get; init; }

    /// <summary>ALB: redirect HTTP to HTTPS 443 (needs a certificate).</summary>
    public bool? SslRedirect { get; init; }

    /// <summary>The TLS security policy, e.g. ELBSecurityPolicy-TLS13-1-2-2021-06.</summary>
    public string? SslPolicy { get; init; }

    /// <summary>ALB: a WAFv2 web ACL ARN.</summary>
    public string? WafAclArn { get; init; }

    /// <summary>Target group deregistration delay, 0–3600 s.</summary>
    public int? DeregistrationDelaySeconds { get; init; }

    /// <summary>Target group stickiness.</summary>
    public bool? Stickiness { get; init; }

    /// <summary>Tags on the AWS resources the controller makes.</summary>
    public IReadOnlyDictionary<string, string>? Tags { get; init; }

    /// <summary>The load balancer's own name (at most 32 characters); applied at creation only.</summary>
    public string? LoadBalancerName { get; init; }

    /// <summary>ALB: the host rule (empty: any host).</summary>
    public string? Host { get; init; }

    /// <summary>ALB: the path prefix, <c>/</c> by default.</summary>
    public string? Path { get; init; }

    /// <summary>ALB: the IngressGroup to join (alb.ingress.kubernetes.io/group.name); empty for an ALB of its own.</summary>
    public string? Group { get; init; }
}

/// <summary>A workload to expose: <c>Deployment</c> or <c>Service</c> (a ClusterIP Service) and its name.</summary>
public sealed record WorkloadRef(string? Kind, string? Name);

/// <summary>An existing endpoint: <c>Service</c> or <c>Ingress</c>, namespace, name.</summary>
public sealed record TargetRef(string? Kind, string? Namespace, string? Name);

/// <summary>The target group health check; empty fields keep the controller's default.</summary>
public sealed record HealthCheckRequest
{
    public string? Path { get; init; }

    /// <summary><c>traffic-port</c> or a port number.</summary>
    public string? Port { get; init; }

    /// <summary>HTTP, HTTPS (or TCP for an NLB).</summary>
    public string? Protocol { get; init; }

    /// <summary>Success codes: <c>200</c>, <c>200-299</c>, <c>200,302</c>.</summary>
    public string? SuccessCodes { get; init; }

    public int? IntervalSeconds { get; init; }
    public int? TimeoutSeconds { get; init; }
    public int? HealthyThreshold { get; init; }
    public int? UnhealthyThreshold { get; init; }
}

/// <summary>The actions a plan can carry.</summary>
public static class ChangeActions
{
    public const string Expose = "expose";
    public const string Reconfigure = "reconfigure";
    public const string Unexpose = "unexpose";
    public const string Rollback = "rollback";
}
