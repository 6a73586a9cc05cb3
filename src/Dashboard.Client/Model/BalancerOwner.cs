namespace Dashboard.Client.Model;

/// <summary>
/// A Kubernetes object that owns (part of) a load balancer, as the topology decides it (TargetGroupBinding, then the
/// controller's tags, then the status hostname), with its share: 1 for a sole owner, the member's part of the requests for
/// an Ingress group's shared ALB. The Load balancers page, the Cost page, the CSV export and the API all show this record.
/// </summary>
public sealed record BalancerOwner(ObjectKind Kind, string Namespace, string Name, double Share = 1)
{
    /// <summary>The owner as a link target.</summary>
    public ObjectRef Object => new(Kind, Namespace, Name);

    /// <summary><c>{namespace}/{name}</c>.</summary>
    public string Key => $"{Namespace}/{Name}";

    /// <summary>The page that shows this object.</summary>
    public string Url => Kind == ObjectKind.Ingress ? DashboardUrls.IngressDetail(Namespace, Name) : DashboardUrls.ServiceDetail(Namespace, Name);

    public override string ToString() => Object.ToString();
}
