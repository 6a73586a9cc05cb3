using Dashboard.Client.Model;
using Dashboard.Server.Api;

namespace Dashboard.Server.Tests.Api;

/// <summary>The view model → DTO mapping: triage cards, flags, owners, times.</summary>
public sealed class ApiMappingTests
{
    private static readonly DateTimeOffset Now = new(2025, 6, 11, 10, 30, 0, TimeSpan.Zero);
    private static readonly ObjectRef Checkout = new(ObjectKind.Service, "storefront", "checkout");
    private static readonly ObjectRef Catalog = new(ObjectKind.Ingress, "catalog", "catalog");

    [Fact]
    public void Triage_items_of_one_endpoint_and_cause_are_one_card_listing_every_target()
    {
        TriageItem[] items =
        [
            Item(Checkout, "HealthCheckPathNotServed", TriageSeverity.Degraded, "10.0.1.1", Now.AddMinutes(-3), "checkout-1"),
            Item(Checkout, "HealthCheckPathNotServed", TriageSeverity.Outage, "10.0.1.2", Now.AddMinutes(-5), "checkout-2"),
            Item(Checkout, "HealthCheckPathNotServed", TriageSeverity.Degraded, "10.0.1.3", null, "checkout-2"),
            Item(Checkout, "Initial", TriageSeverity.Notice, "10.0.1.4", Now.AddSeconds(-10), "checkout-3"),
            Item(Catalog, "HealthCheckPathNotServed", TriageSeverity.Degraded, "10.0.2.1", Now.AddMinutes(-1), "catalog-1"),
        ];

        var cards = ApiMapping.TriageCards(items);

        Assert.Equal(3, cards.Count);
        var card = cards[0];
        Assert.Equal(new ObjectRefDto("Service", "storefront", "checkout"), card.Endpoint);
        Assert.Equal("outage", card.Severity);
        Assert.Equal(new CauseDto("HealthCheckPathNotServed", "Title of HealthCheckPathNotServed"), card.Cause);
        Assert.Equal(Now.AddMinutes(-5), card.Since);
        Assert.Equal(["10.0.1.2", "10.0.1.1", "10.0.1.3"], card.Targets.Select(t => t.Id));
        Assert.Equal(["checkout-2", "checkout-1"], card.Pods.Select(p => p.Name));
        Assert.Equal("Fix of HealthCheckPathNotServed", card.Fix.Text);
        Assert.Null(card.Fix.Command);
        Assert.Equal(Now.AddMinutes(-2), card.FreshAsOf);
        // Most severe first, then endpoint: the catalog card (degraded) before the checkout notice.
        Assert.Equal([("catalog", "HealthCheckPathNotServed", "degraded"), ("storefront", "Initial", "notice")],
            cards.Skip(1).Select(c => (c.Endpoint.Namespace, c.Cause.Code, c.Severity)));
    }

    [Fact]
    public void A_load_balancer_keeps_its_owners_flags_and_data_age_in_utc()
    {
        var lb = new LoadBalancerViewModel
        {
            Arn = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/k8s-shop/1",
            Name = "k8s-shop",
            Type = "application",
            Scheme = "internet-facing",
            State = "active",
            DnsName = "k8s-shop-1.us-east-1.elb.amazonaws.com",
            Owners = [new BalancerOwner(ObjectKind.Ingress, "catalog", "catalog", 0.25), new BalancerOwner(ObjectKind.Ingress, "storefront", "storefront", 0.75)],
            Flags = LoadBalancerFlags.Shared | LoadBalancerFlags.Drift,
            LinkedBy = LinkSource.ControllerTags,
            AsOf = new DateTimeOffset(2025, 6, 11, 12, 30, 0, TimeSpan.FromHours(2)),
        };

        var dto = ApiMapping.LoadBalancer(lb);

        Assert.Equal([new OwnerDto("Ingress", "catalog", "catalog", 0.25), new OwnerDto("Ingress", "storefront", "storefront", 0.75)], dto.Owners);
        Assert.Equal(["drift", "shared"], dto.Flags);
        Assert.Equal("controllerTags", dto.LinkedBy);
        Assert.Equal(TimeSpan.Zero, dto.AsOf!.Value.Offset);
        Assert.Equal(Now, dto.AsOf);
    }

    private static TriageItem Item(ObjectRef endpoint, string code, TriageSeverity severity, string ip, DateTimeOffset? since, string pod) => new()
    {
        Endpoint = endpoint,
        Severity = severity,
        LoadBalancerName = "k8s-lb",
        TargetGroupArn = "arn:tg/" + endpoint.Name,
        TargetGroupName = "tg-" + endpoint.Name,
        Target = new TargetView
        {
            Id = ip,
            Port = 8080,
            State = "unhealthy",
            Since = since,
            Pod = new PodView(endpoint.Namespace, pod, "Running", true, 0, "node-a", null, "/ready", "8080"),
        },
        Diagnosis = new Diagnosis(code, "Title of " + code, [$"evidence for {ip}", "shared evidence"], "Fix of " + code),
        AsOf = Now.AddMinutes(ip == "10.0.1.3" ? -2 : -1),
    };
}
