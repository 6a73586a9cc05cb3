using System.Collections.Immutable;
using Dashboard.Client.Model;
using Dashboard.Server.Aws.CloudWatch;

namespace Dashboard.Server.Topology;

/// <summary>
/// "Monitoring present": are the balancers' CloudWatch metrics flowing, and how old is the newest datapoint — from what
/// the metrics stage's live reads saw (<see cref="TopologyContext.MetricsFreshness"/>; no call of its own). Alarms are
/// out of scope (issue 10): the row says so instead of guessing.
/// </summary>
internal static partial class EndpointChecklist
{
    /// <summary>A newest datapoint older than this means traffic stopped or CloudWatch is behind (ELB publishes every minute, 1–3 minutes late).</summary>
    internal static readonly TimeSpan MetricsLate = TimeSpan.FromMinutes(10);

    private static ChecklistItem Monitoring(TopologyContext ctx, ImmutableArray<LoadBalancerViewModel> lbs)
    {
        const string title = "Monitoring present";
        if (lbs.IsEmpty)
        {
            return new ChecklistItem("monitoring", title, CheckState.Unknown, "No balancer.");
        }
        if (ctx.MetricsFreshness is not { } freshness)
        {
            return new ChecklistItem("monitoring", title, CheckState.Unknown, "CloudWatch metrics are not read on this host; alarms are not checked.");
        }
        var parts = lbs.Select(lb => Monitoring(lb, freshness, ctx.Now)).ToList();
        var state = parts.Select(p => p.State).OrderByDescending(Severity).First();
        return new ChecklistItem("monitoring", title, state, string.Join(" ", parts.Select(p => p.Reason)) + " Alarms are not checked.");
    }

    private static (CheckState State, string Reason) Monitoring(LoadBalancerViewModel lb, ImmutableDictionary<string, Metrics.BalancerMetricsFreshness> freshness, DateTimeOffset now)
    {
        if (lb.Type is not ("application" or "network") || MetricDimensions.LoadBalancer(lb.Arn) is not { } dimension)
        {
            return (CheckState.Unknown, $"{lb.Name}: the dashboard charts application and network load balancers only.");
        }
        if (!freshness.TryGetValue(dimension, out var seen))
        {
            return (CheckState.Unknown, $"{lb.Name}: CloudWatch not read yet — the Metrics section on this page reads it.");
        }
        var read = $"(read {DisplayFormat.ClockTime(seen.ReadAt)})";
        if (seen.NewestDatapoint is not { } newest)
        {
            return (CheckState.Warn,
                $"{lb.Name}: no CloudWatch datapoint in the last hour {read}. ELB publishes only while traffic flows: send a request through the balancer; " +
                "if traffic does flow, check that the dashboard reads the balancer's region and that its role allows cloudwatch:GetMetricData.");
        }
        // A datapoint is stamped with its minute's start; it describes the minute up to a minute later.
        var age = now - newest.AddMinutes(1);
        var ageText = age <= TimeSpan.FromMinutes(1) ? "under a minute" : $"{(int)age.TotalMinutes} min";
        return age > MetricsLate
            ? (CheckState.Warn, $"{lb.Name}: newest CloudWatch datapoint {ageText} old {read} — traffic stopped, or CloudWatch is behind; compare the Requests chart with your clients.")
            : (CheckState.Pass, $"{lb.Name}: metrics flowing, newest datapoint {ageText} old {read}.");
    }

    private static int Severity(CheckState state) => state switch
    {
        CheckState.Fail => 3,
        CheckState.Warn => 2,
        CheckState.Unknown => 1,
        _ => 0,
    };
}
