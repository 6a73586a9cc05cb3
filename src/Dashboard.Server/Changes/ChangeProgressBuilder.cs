using System.Collections.Immutable;
using Dashboard.Client.Changes;
using Dashboard.Client.Model;

namespace Dashboard.Server.Changes;

/// <summary>
/// A change's progress from the feeds the pages read (the inventory's object, the topology's endpoint): accepted →
/// reconciled by the controller (or its FailedBuildModel / FailedDeployModel event) → load balancer active → address →
/// targets registered → targets healthy, and for a health-check change, the target group showing the new path. Pure;
/// the caller keeps when each step was first seen done.
/// </summary>
public static class ChangeProgressBuilder
{
    public const string Accepted = "Accepted by the API server";
    public const string Reconciled = "Reconciled by the load balancer controller";
    public const string Provisioned = "Load balancer active";
    public const string Address = "Address assigned";
    public const string Registered = "Targets registered";
    public const string Healthy = "Targets healthy";
    public const string HealthCheckPath = "Target group uses the new health-check path";
    public const string Removed = "Load balancer removed";

    private static readonly Dictionary<string, string> Usual = new()
    {
        [Reconciled] = "seconds after the apply",
        [Provisioned] = "an NLB or ALB takes 2–5 minutes to become active",
        [Address] = "the address appears when the balancer is created",
        [Registered] = "targets register within about 30 seconds of the target group",
        [Healthy] = "healthy threshold × interval (e.g. 2 × 10 s) after registration",
        [HealthCheckPath] = "the controller updates the target group within seconds",
        [Removed] = "the controller deletes the balancer within a minute",
    };

    public static ChangeProgress Build(ChangeRecord change, string? expectedHealthCheckPath, IReadOnlyList<string> addresses, bool objectExists,
        EndpointViewModel? endpoint, Func<string, bool, DateTimeOffset?> seen)
    {
        var steps = ImmutableArray.CreateBuilder<ProgressStep>();
        if (change.Outcome != ChangeOutcomes.Applied)
        {
            steps.Add(new ProgressStep(Accepted, ProgressState.Failed, change.At, change.Error ?? change.Outcome));
            return new ChangeProgress { ChangeId = change.ChangeId, Steps = steps.ToImmutable(), Stuck = Accepted };
        }
        steps.Add(new ProgressStep(Accepted, ProgressState.Done, change.At, $"{change.Action} by {change.User}"));
        var deletes = change.Action == ChangeActions.Unexpose || (change.Action == ChangeActions.Rollback && !objectExists);
        if (deletes)
        {
            var gone = !objectExists && (endpoint is null || endpoint.LoadBalancers.IsEmpty);
            steps.Add(Step(Removed, gone, null, seen));
            return Finish(change, steps);
        }

        var events = (endpoint?.Events ?? []).Where(e => e.LastSeen is null || e.LastSeen >= change.At.AddSeconds(-1)).ToList();
        var failure = events.Where(e => e.Reason is "FailedBuildModel" or "FailedDeployModel" or "FailedLoadGroupID").OrderByDescending(e => e.LastSeen).FirstOrDefault();
        var reconciled = events.Any(e => e.Reason == "SuccessfullyReconciled") || endpoint?.LoadBalancers.IsEmpty == false;
        if (failure is not null && !reconciled)
        {
            steps.Add(new ProgressStep(Reconciled, ProgressState.Failed, failure.LastSeen, $"{failure.Reason}: {failure.Message} — {FixFor(failure.Message)}"));
            return Finish(change, steps);
        }
        steps.Add(Step(Reconciled, reconciled, null, seen));
        var balancers = endpoint?.LoadBalancers ?? [];
        steps.Add(Step(Provisioned, balancers.Any(b => b.State == "active"),
            balancers.FirstOrDefault() is { } lb ? $"{lb.Type} {lb.Name}: {lb.State}" : null, seen));
        steps.Add(Step(Address, addresses.Count > 0, addresses.Count > 0 ? string.Join(", ", addresses) : null, seen));
        var targets = balancers.SelectMany(b => b.TargetGroups).SelectMany(g => g.Targets).ToList();
        steps.Add(Step(Registered, targets.Count > 0, targets.Count > 0 ? $"{targets.Count} target(s)" : null, seen));
        var healthy = targets.Count(t => t.State == "healthy");
        var unhealthy = targets.Where(t => t.State is "unhealthy").Select(t => t.Reason).FirstOrDefault();
        steps.Add(Step(Healthy, targets.Count > 0 && healthy == targets.Count,
            targets.Count > 0 ? $"{healthy} of {targets.Count} healthy" + (unhealthy is null ? "" : $" ({unhealthy})") : null, seen));
        if (!string.IsNullOrEmpty(expectedHealthCheckPath))
        {
            var groups = balancers.SelectMany(b => b.TargetGroups).ToList();
            var paths = groups.Select(g => g.HealthCheck.Path).Distinct().ToList();
            steps.Add(Step(HealthCheckPath, groups.Count > 0 && groups.All(g => g.HealthCheck.Path == expectedHealthCheckPath),
                groups.Count > 0 ? "AWS shows " + string.Join(", ", paths) : null, seen));
        }
        return Finish(change, steps);
    }

    private static ProgressStep Step(string name, bool done, string? detail, Func<string, bool, DateTimeOffset?> seen) =>
        new(name, done ? ProgressState.Done : ProgressState.Waiting, seen(name, done), detail);

    private static ChangeProgress Finish(ChangeRecord change, ImmutableArray<ProgressStep>.Builder steps)
    {
        var stuck = steps.FirstOrDefault(s => s.State != ProgressState.Done);
        return new ChangeProgress
        {
            ChangeId = change.ChangeId,
            Steps = steps.ToImmutable(),
            Stuck = stuck is null ? null : stuck.State == ProgressState.Failed ? stuck.Name
                : $"Waiting for: {stuck.Name} ({(Usual.TryGetValue(stuck.Name, out var usual) ? usual : "usually seconds")}).",
        };
    }

    /// <summary>The fix for a controller failure, from the failure table.</summary>
    public static string FixFor(string message) => message switch
    {
        _ when message.Contains("subnet", StringComparison.OrdinalIgnoreCase) =>
            "tag the subnets kubernetes.io/role/elb=1 (public) or kubernetes.io/role/internal-elb=1 (internal) and kubernetes.io/cluster/<name>; each needs 8 free IPs",
        _ when message.Contains("AccessDenied", StringComparison.Ordinal) => "the controller's IAM policy is older than the controller: apply the policy for its version",
        _ when message.Contains("ingress class", StringComparison.OrdinalIgnoreCase) || message.Contains("ingressclass", StringComparison.OrdinalIgnoreCase) =>
            "set spec.ingressClassName to a class whose controller is ingress.k8s.aws/alb",
        _ when message.Contains("certificate", StringComparison.OrdinalIgnoreCase) => "set a certificate ARN that exists in ACM for the host",
        _ => "fix the value the message names and plan again",
    };
}
