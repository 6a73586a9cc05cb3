using System.Collections.Immutable;
using Dashboard.Client.Model;
using Dashboard.Server.Aws.ElasticLoadBalancing;
using Dashboard.Server.Topology;
using Dashboard.Testing;

namespace Dashboard.Server.Tests.Topology;

public sealed class EndpointChecklistTests
{
    private static (KubernetesSnapshot K8s, AwsFixture Aws, LoadBalancer Lb) ForecastIngress(Dictionary<string, string>? annotations = null)
    {
        var aws = new AwsFixture();
        var lb = aws.Balancer("k8s-mlops-forecast-1234567890", type: "application", tags: new() { ["elbv2.k8s.aws/cluster"] = K8s.Cluster, ["ingress.k8s.aws/stack"] = "mlops/forecast" });
        var tg = aws.Group(lb, "k8s-mlops-forecast-tg");
        aws.Target(tg, "10.0.1.10", 8080);
        var k8s = new KubernetesSnapshot
        {
            Ingresses = [K8s.Ingress("mlops", "forecast", backends: ["forecast-svc"], host: "api.retail-forecast.com", annotations: annotations, hostname: lb.DnsName)],
            Services = [K8s.Service("mlops", "forecast-svc", type: "ClusterIP")],
        };
        return (k8s, aws, lb);
    }

    private static ImmutableDictionary<string, ChecklistItem> Checklist(KubernetesSnapshot k8s, AwsFixture aws, TopologyContext ctx) =>
        TopologyBuilder.Build(k8s, aws.Build(), ctx).Endpoints["Ingress/mlops/forecast"].Checklist.ToImmutableDictionary(c => c.Code);

    [Fact]
    public void The_checklist_covers_the_seed_expectations_and_asks_for_the_custom_domain_to_be_looked_up()
    {
        var (k8s, aws, lb) = ForecastIngress();

        var topology = TopologyBuilder.Build(k8s, aws.Build(), K8s.Context());
        var checklist = topology.Endpoints["Ingress/mlops/forecast"].Checklist;

        Assert.Equal(["balancer", "address", "subnets", "health", "target-port", "tls", "certificate", "redirect", "dns", "access", "waf", "monitoring", "answers", "smoke"], checklist.Select(c => c.Code));
        // Without the security part of the AWS snapshot (EC2, ACM, WAFv2 not read yet) its rows are Unknown, never guessed.
        Assert.Equal([CheckState.Pass, CheckState.Pass, CheckState.Unknown, CheckState.Pass, CheckState.Unknown, CheckState.Warn, CheckState.Unknown, CheckState.Unknown, CheckState.Unknown, CheckState.Warn, CheckState.Unknown, CheckState.Unknown,
                CheckState.Unknown, CheckState.Unknown], // nothing verified, no smoke test run yet
            checklist.Select(c => c.State));
        Assert.Equal(["api.retail-forecast.com", DnsAnswer.Normalize(lb.DnsName!)], topology.HostsToResolve.AsEnumerable());
    }

    [Fact]
    public void A_domain_that_is_a_cname_of_the_balancer_passes()
    {
        var (k8s, aws, lb) = ForecastIngress();
        var ctx = K8s.Context() with
        {
            Dns = ImmutableDictionary<string, DnsAnswer>.Empty.Add("api.retail-forecast.com",
                new DnsAnswer("api.retail-forecast.com", DnsOutcome.Resolved, [lb.DnsName!.ToUpperInvariant() + "."], ["3.3.3.3"], null, K8s.Now)),
        };

        var dns = Checklist(k8s, aws, ctx)["dns"];

        Assert.Equal(CheckState.Pass, dns.State);
        Assert.Contains("is a CNAME of k8s-mlops-forecast-1234567890", dns.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_resolver_the_domain_check_is_unknown_with_the_reason_and_elsewhere_it_fails()
    {
        var (k8s, aws, lb) = ForecastIngress();
        var offline = K8s.Context() with { Dns = ImmutableDictionary<string, DnsAnswer>.Empty.Add("api.retail-forecast.com", DnsAnswer.Unavailable("api.retail-forecast.com", "no answer within 2 s", K8s.Now)) };
        var elsewhere = K8s.Context() with
        {
            Dns = ImmutableDictionary<string, DnsAnswer>.Empty
                .Add("api.retail-forecast.com", new DnsAnswer("api.retail-forecast.com", DnsOutcome.Resolved, [], ["203.0.113.9"], null, K8s.Now))
                .Add(DnsAnswer.Normalize(lb.DnsName!), new DnsAnswer(lb.DnsName!, DnsOutcome.Resolved, [], ["3.3.3.3"], null, K8s.Now)),
        };

        Assert.Equal(new ChecklistItem("dns", "Custom domain resolves to the balancer", CheckState.Unknown, "api.retail-forecast.com: cannot look up (no answer within 2 s)."), Checklist(k8s, aws, offline)["dns"]);
        Assert.Equal(CheckState.Fail, Checklist(k8s, aws, elsewhere)["dns"].State);
    }

    [Fact]
    public void A_requested_certificate_without_an_https_listener_fails_tls_and_a_waf_acl_passes_access()
    {
        var (k8s, aws, _) = ForecastIngress(new()
        {
            ["alb.ingress.kubernetes.io/certificate-arn"] = "arn:aws:acm:us-east-1:123456789012:certificate/abc",
            ["alb.ingress.kubernetes.io/wafv2-acl-arn"] = "arn:aws:wafv2:us-east-1:123456789012:regional/webacl/retail/1",
        });

        var checklist = Checklist(k8s, aws, K8s.Context());

        Assert.Equal(CheckState.Fail, checklist["tls"].State);
        Assert.Contains("no HTTPS/TLS listener", checklist["tls"].Reason, StringComparison.Ordinal);
        Assert.Equal(CheckState.Pass, checklist["access"].State);
    }
}

public sealed class DnsLookupTests
{
    private static readonly TopologyOptions Options = new() { DnsTimeout = TimeSpan.FromMilliseconds(200) };

    [Fact]
    public async Task Answers_are_cached_and_one_query_serves_concurrent_callers()
    {
        var queries = 0;
        var lookup = new DnsLookup(Options, TimeProvider.System, (name, _) =>
        {
            Interlocked.Increment(ref queries);
            return Task.FromResult(new DnsAnswer(name, DnsOutcome.Resolved, [], ["192.0.2.1"], null, DateTimeOffset.UtcNow));
        });

        var answers = await Task.WhenAll(lookup.LookupAsync("API.example.com.", CancellationToken.None), lookup.LookupAsync("api.example.com", CancellationToken.None));
        var again = await lookup.LookupAsync("api.example.com", CancellationToken.None);

        Assert.All(answers.Append(again), a => Assert.Equal(["192.0.2.1"], a.Addresses.AsEnumerable()));
        Assert.Equal(1, queries);
    }

    [Fact]
    public async Task A_query_that_never_answers_becomes_unavailable_with_the_reason_after_the_timeout()
    {
        var never = new TaskCompletionSource<DnsAnswer>();
        var lookup = new DnsLookup(Options, TimeProvider.System, (_, _) => never.Task);

        var answer = await lookup.LookupAsync("api.example.com", CancellationToken.None).WaitAsync(Patience.Eventually);

        Assert.Equal(DnsOutcome.Unavailable, answer.Outcome);
        Assert.Equal("no answer within 0.2 s", answer.Error);
    }

    [Fact]
    public async Task A_failing_resolver_is_an_answer_not_an_exception()
    {
        var lookup = new DnsLookup(Options, TimeProvider.System, (_, _) => throw new InvalidOperationException("no name servers found"));

        var answer = await lookup.LookupAsync("api.example.com", CancellationToken.None);

        Assert.Equal((DnsOutcome.Unavailable, "no name servers found"), (answer.Outcome, answer.Error));
    }

    [Fact]
    public async Task Many_names_are_asked_a_few_at_a_time_and_every_one_is_answered()
    {
        var inFlight = 0;
        var peak = 0;
        var release = new TaskCompletionSource();
        var options = new TopologyOptions { DnsTimeout = TimeSpan.FromSeconds(30) };
        var lookup = new DnsLookup(options, TimeProvider.System, async (name, _) =>
        {
            var now = Interlocked.Increment(ref inFlight);
            InterlockedMax(ref peak, now);
            await release.Task;
            Interlocked.Decrement(ref inFlight);
            return new DnsAnswer(name, DnsOutcome.Resolved, [], ["192.0.2.1"], null, DateTimeOffset.UtcNow);
        });

        var lookups = Enumerable.Range(0, 100).Select(i => lookup.LookupAsync($"host-{i}.example.com", CancellationToken.None)).ToList();
        await WaitUntil(() => Volatile.Read(ref inFlight) == DnsLookup.MaxQueriesInFlight);
        release.SetResult();
        var answers = await Task.WhenAll(lookups).WaitAsync(Patience.Eventually);

        Assert.Equal(DnsLookup.MaxQueriesInFlight, peak);
        Assert.All(answers, a => Assert.Equal(DnsOutcome.Resolved, a.Outcome));
        Assert.Equal(100, lookup.Queries);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(Patience.Eventually);
        while (!condition())
        {
            await Task.Delay(10, timeout.Token);
        }
    }
}
