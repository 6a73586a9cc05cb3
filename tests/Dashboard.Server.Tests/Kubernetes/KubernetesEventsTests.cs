using Dashboard.Server.Kubernetes;
using k8s.Models;

namespace Dashboard.Server.Tests.Kubernetes;

public sealed class KubernetesEventsTests
{
    private static readonly DateTime First = new(2026, 3, 2, 9, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void A_recurring_event_of_the_events_api_is_dated_by_its_last_observation_not_its_first()
    {
        var recurring = new Corev1Event
        {
            Metadata = new V1ObjectMeta { Name = "web-1.17f", CreationTimestamp = First },
            InvolvedObject = new V1ObjectReference { Kind = "Pod", NamespaceProperty = "mlops", Name = "web-1" },
            EventTime = First,
            FirstTimestamp = First,
            Series = new Corev1EventSeries { Count = 12, LastObservedTime = First.AddMinutes(40) },
            Type = "Warning",
            Reason = "Unhealthy",
        };

        var view = KubernetesEvents.ToView(recurring);

        Assert.Equal(new DateTimeOffset(First.AddMinutes(40)), view.LastSeen);
        Assert.Equal(12, view.Count);
        Assert.Equal("Pod/mlops/web-1", KubernetesEvents.InvolvedKey(recurring));
        Assert.Equal(KubernetesEvents.InvolvedKey("Pod", "mlops", "web-1"), KubernetesEvents.InvolvedKey(recurring));
    }

    [Fact]
    public void A_core_event_is_dated_by_its_last_timestamp()
    {
        var core = new Corev1Event
        {
            Metadata = new V1ObjectMeta { Name = "svc.1", CreationTimestamp = First },
            InvolvedObject = new V1ObjectReference { Kind = "Service", NamespaceProperty = "mlops", Name = "api" },
            FirstTimestamp = First,
            LastTimestamp = First.AddMinutes(5),
        };

        Assert.Equal(new DateTimeOffset(First.AddMinutes(5)), KubernetesEvents.LastSeen(core));
    }
}
