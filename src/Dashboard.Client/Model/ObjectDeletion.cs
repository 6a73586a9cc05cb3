using System.Collections.Immutable;

namespace Dashboard.Client.Model;

/// <summary>
/// A Kubernetes object that is being deleted (<c>metadata.deletionTimestamp</c> set) but still exists, held by its
/// <c>metadata.finalizers</c> until the controllers that own them finish (the AWS Load Balancer Controller removes its
/// <c>ingress.k8s.aws/resources</c> finalizer once the load balancer is cleaned up).
/// </summary>
/// <param name="Since">When the delete was asked for (the deletion timestamp).</param>
/// <param name="Finalizers">What still holds the object; empty when only the grace period does.</param>
public sealed record ObjectDeletion(DateTimeOffset Since, ImmutableArray<string> Finalizers)
{
    /// <summary>"Deleting since 11:02:03 UTC (2 min ago), held by finalizer example.com/hold until its controller removes it."</summary>
    public string Sentence(DateTimeOffset now) =>
        Finalizers.IsDefaultOrEmpty
            ? Localization.UiText.Format("Deleting since {0}; it goes when its grace period ends.", DisplayFormat.TimeAndAgo(Since, now))
            : Finalizers.Length == 1
                ? Localization.UiText.Format("Deleting since {0}, held by finalizer {1} until its controller removes it.", DisplayFormat.TimeAndAgo(Since, now), Finalizers[0])
                : Localization.UiText.Format("Deleting since {0}, held by finalizers {1} until their controllers remove them.", DisplayFormat.TimeAndAgo(Since, now), string.Join(", ", Finalizers));

    /// <summary>The deletion of an object with these metadata values, or null when it is not being deleted.</summary>
    public static ObjectDeletion? Of(DateTime? deletionTimestamp, IEnumerable<string>? finalizers) =>
        deletionTimestamp is { } at
            ? new ObjectDeletion(new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)), [.. finalizers ?? []])
            : null;
}
