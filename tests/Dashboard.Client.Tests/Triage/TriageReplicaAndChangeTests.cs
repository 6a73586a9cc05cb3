using System.Globalization;
using Bunit;
using Dashboard.Client.Components.Pages.Triage;
using Dashboard.Client.Localization;
using Dashboard.Client.Model;
using Dashboard.Client.Tests.Support;
using static Dashboard.Client.Tests.Support.TopologyObjects;

namespace Dashboard.Client.Tests.Triage;

/// <summary>The Triage page's replica card and the change that preceded a failure.</summary>
public class TriageReplicaAndChangeTests : TopologyTestContext
{
    private static readonly ObjectRef Payments = new(ObjectKind.Service, "payments", "api");

    private static readonly PrecedingChange Edit = new()
    {
        At = Objects.Now.AddMinutes(-3),
        Lead = TimeSpan.FromSeconds(28),
        Kind = PrecedingChangeKind.Annotation,
        ObjectKind = "Service",
        Namespace = "payments",
        Name = "payments-api-nlb",
        Field = "healthcheck-path",
        From = "/ready",
        To = "/nope",
    };

    private static TriageItem Replicas()
    {
        var title = LocalText.Of("Diagnosis.BelowDesiredReplicas.Title", 2, 3, "Service", "payments", "api");
        var counts = LocalText.Of("Evidence.Replicas.Counts", "payments", "api", 3, 2, 3);
        return new TriageItem
        {
            Endpoint = Payments,
            Severity = TriageSeverity.Degraded,
            LoadBalancerName = "k8s-payments-api",
            TargetGroupArn = AlbTargetGroupArn,
            TargetGroupName = "k8s-payments-api-tg",
            Target = new TargetView { Id = "deployment/api", Port = 8080, State = "below desired", Reason = "2/3 ready" },
            Diagnosis = new Diagnosis("BelowDesiredReplicas", title.English, [counts.English], "Fix why the pods are not ready.")
            {
                TitleText = title,
                EvidenceText = [counts],
            },
            Kind = TriageItemKind.Replicas,
        };
    }

    [Fact]
    public void The_card_says_how_many_desired_replicas_serve_and_names_the_change_that_preceded_the_failure()
    {
        Topology.Triage = [Replicas(), Item(Payments, "10.0.3.1", TriageSeverity.Degraded) with { PrecededBy = Edit }];

        var cut = Render<TriagePage>();

        var group = cut.Find("[data-testid='triage-group']");
        Assert.Contains("2 of 3 desired replicas serve Service payments/api", group.QuerySelector(".triage-group-header")!.TextContent, StringComparison.Ordinal);
        var replicas = cut.Find("[data-kind='Replicas']");
        Assert.Contains("Deployment payments/api wants 3 replicas: 2 ready of 3 pods", replicas.QuerySelector(".evidence")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("started 28 s after `healthcheck-path` changed from /ready to /nope on Service payments/payments-api-nlb",
            Assert.Single(cut.FindAll("[data-testid='preceded-by']")).TextContent.Trim());
    }

    [Fact]
    public void In_vietnamese_the_replica_card_and_the_preceding_change_are_translated()
    {
        var culture = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("vi-VN");
        try
        {
            Topology.Triage = [Replicas(), Item(Payments, "10.0.3.1", TriageSeverity.Degraded) with { PrecededBy = Edit }];

            var cut = Render<TriagePage>();

            Assert.Contains("2/3 replica mong muốn đang phục vụ Service payments/api", cut.Find(".triage-group-header").TextContent, StringComparison.Ordinal);
            Assert.Contains("Deployment payments/api cần 3 replica", cut.Find("[data-kind='Replicas'] .evidence").TextContent, StringComparison.Ordinal);
            Assert.StartsWith("bắt đầu 28 giây sau khi `healthcheck-path` đổi từ /ready thành /nope", cut.Find("[data-testid='preceded-by']").TextContent.Trim(), StringComparison.Ordinal);
        }
        finally
        {
            CultureInfo.CurrentUICulture = culture;
        }
    }
}
