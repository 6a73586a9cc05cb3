namespace Dashboard.Client.Model;

/// <summary>
/// A reference to a Kubernetes object a page can link to. The topology view models (<see cref="LoadBalancerViewModel"/>,
/// <see cref="EndpointViewModel"/>, <see cref="TriageItem"/> and their parts) are the joined view of Kubernetes and AWS —
/// object → load balancer → listener/rule → target group → target → pod/node — produced on the server by the pure
/// topology join and consumed by the Load balancers, Endpoint and Triage pages.
/// </summary>
public sealed record ObjectRef(ObjectKind Kind, string Namespace, string Name)
{
    public string Key => $"{Kind}/{Namespace}/{Name}";
    public override string ToString() => $"{Kind.ToString().ToLowerInvariant()}/{Namespace}/{Name}";
}
