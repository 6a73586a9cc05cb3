using System.Collections.Immutable;
using System.Globalization;
using Dashboard.Client.Model;

namespace Dashboard.Server.Topology;

/// <summary>The checklist rows that come from traffic the dashboard sent: "answers" (the last Verify) and "smoke test passed".</summary>
internal static partial class EndpointChecklist
{
    private static IEnumerable<ChecklistItem> ProbeRows(TopologyContext ctx, ObjectRef obj, ImmutableArray<LoadBalancerViewModel> lbs)
    {
        var probes = ctx.Probes.GetValueOrDefault(obj.Key);
        yield return Answers(probes?.LastVerify, lbs, ctx.Now);
        yield return Smoke(probes?.LastSmoke, lbs, ctx.Now);
    }

    private static ChecklistItem Answers(Client.Verify.VerifyResult? verify, ImmutableArray<LoadBalancerViewModel> lbs, DateTimeOffset now)
    {
        const string title = "Endpoint answers";
        if (verify is null)
        {
            return new ChecklistItem("answers", title, CheckState.Unknown, lbs.IsEmpty
                ? "No balancer to send a request to."
                : "Not verified yet: use Verify on this page (or POST …/verify) to send one request through the balancer.");
        }
        var when = $" ({verify.Method} {verify.Url}, {Ago(verify.At, now)} by {verify.RunBy})";
        if (verify.StatusCode is not { } status)
        {
            return new ChecklistItem("answers", title, CheckState.Fail, $"No answer: {verify.ErrorKind} — {verify.Error}{when}.");
        }
        var timing = verify.Timing is { } t ? string.Create(CultureInfo.InvariantCulture, $" in {t.TotalMs:0} ms") : "";
        var state = status < 400 ? CheckState.Pass : status < 500 ? CheckState.Warn : CheckState.Fail;
        var certificate = verify.Certificate is { CoversHost: false } c ? $"; the certificate ({c.Subject}) does not cover {verify.Target.Host}" : "";
        return new ChecklistItem("answers", title, certificate.Length > 0 && state == CheckState.Pass ? CheckState.Warn : state,
            $"Answered {status} {verify.ReasonPhrase}{timing}{certificate}{when}.");
    }

    private static ChecklistItem Smoke(Verify.SmokeOutcome? smoke, ImmutableArray<LoadBalancerViewModel> lbs, DateTimeOffset now)
    {
        const string title = "Smoke test passed";
        if (smoke is null)
        {
            return new ChecklistItem("smoke", title, CheckState.Unknown, lbs.IsEmpty
                ? "No balancer to test."
                : "No smoke test run yet: the seed's §7 load test, bounded, from this page (Operator).");
        }
        return new ChecklistItem("smoke", title, smoke.Passed ? CheckState.Pass : CheckState.Fail,
            $"{smoke.Summary} ({Ago(smoke.At, now)} by {smoke.RunBy}).");
    }

    // Absolute, not "3 min ago": the row must not change on every recompute.
    private static string Ago(DateTimeOffset at, DateTimeOffset now) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);
}
