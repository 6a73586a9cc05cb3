using System.Text.Json;
using Dashboard.Sandbox.Kubernetes;
using Dashboard.Sandbox.Tests.Aws;
using Dashboard.Testing;

namespace Dashboard.Sandbox.Tests.LoadBalancerController;

/// <summary>
/// The seed scenario's ingress group "shop" (storefront + catalog) read back with the AWS CLI: as the AWS Load Balancer
/// Controller builds it, port 80 only redirects to 443 and every member's target group is forwarded to by a rule on 443.
/// </summary>
public sealed class SharedAlbGroupCliTests
{
    [Fact]
    public async Task Every_member_of_the_shop_group_is_forwarded_to_from_the_HTTPS_listener_and_HTTP_redirects()
    {
        var options = new SandboxOptions
        {
            KubernetesUrl = "http://127.0.0.1:0",
            AwsUrl = "http://127.0.0.1:0",
            ProvisioningDelay = TimeSpan.FromMilliseconds(200),
        };
        await using var host = await SandboxHost.StartAsync(options, null, CancellationToken.None);
        string[] TargetGroupsOfShop() => [.. host.AwsWorld.GetTargetGroups()
            .Where(tg => host.AwsWorld.GetTags(tg.Arn).GetValueOrDefault("ingress.k8s.aws/stack") == "shop").Select(tg => tg.Arn)];
        string? Hostname(string ns) => SimulatedAccount.Hostname(host.Store.Get(ResourceTypes.Ingresses, ns, ns));
        Assert.True(await Wait.UntilAsync(() => Hostname("storefront") is not null && Hostname("catalog") is not null
            && TargetGroupsOfShop().Length == 2 && host.Store.List(ResourceTypes.TargetGroupBindings, "catalog").Items.Count == 1,
            Patience.Eventually), "the shop ALB, its two target groups and catalog's TargetGroupBinding");

        using var cli = new AwsCli(host.AwsUri);
        var loadBalancer = (await cli.JsonAsync("elbv2", "describe-load-balancers")).GetProperty("LoadBalancers").EnumerateArray()
            .Single(lb => lb.GetProperty("DNSName").GetString() == Hostname("storefront"));
        var listeners = (await cli.JsonAsync("elbv2", "describe-listeners", "--load-balancer-arn", loadBalancer.GetProperty("LoadBalancerArn").GetString()!))
            .GetProperty("Listeners").EnumerateArray().OrderBy(l => l.GetProperty("Port").GetInt32()).ToList();
        Assert.Equal([(80, "HTTP"), (443, "HTTPS")], listeners.Select(l => (l.GetProperty("Port").GetInt32(), l.GetProperty("Protocol").GetString())));

        async Task<List<JsonElement>> RulesAsync(JsonElement listener) =>
            [.. (await cli.JsonAsync("elbv2", "describe-rules", "--listener-arn", listener.GetProperty("ListenerArn").GetString()!)).GetProperty("Rules").EnumerateArray()];

        // Port 80: the group's ssl-redirect is its only action.
        var httpRule = Assert.Single(await RulesAsync(listeners[0]));
        Assert.True(httpRule.GetProperty("IsDefault").GetBoolean());
        var redirect = Assert.Single(httpRule.GetProperty("Actions").EnumerateArray());
        Assert.Equal("redirect", redirect.GetProperty("Type").GetString());
        Assert.Equal(("HTTPS", "443", "HTTP_301"), (redirect.GetProperty("RedirectConfig").GetProperty("Protocol").GetString(),
            redirect.GetProperty("RedirectConfig").GetProperty("Port").GetString(), redirect.GetProperty("RedirectConfig").GetProperty("StatusCode").GetString()));

        // Port 443: both members' rules in group order (catalog 10, storefront 20), each forwarding to its own target group.
        var httpsRules = (await RulesAsync(listeners[1])).Where(r => !r.GetProperty("IsDefault").GetBoolean()).ToList();
        Assert.Equal(["1", "2"], httpsRules.Select(r => r.GetProperty("Priority").GetString()));
        string[] PathPatterns(JsonElement rule) => [.. rule.GetProperty("Conditions").EnumerateArray()
            .Single(c => c.GetProperty("Field").GetString() == "path-pattern").GetProperty("Values").EnumerateArray().Select(v => v.GetString()!)];
        Assert.Equal(["/api/catalog", "/api/catalog/*"], PathPatterns(httpsRules[0]));
        Assert.Equal(["/*"], PathPatterns(httpsRules[1]));
        var forwarded = httpsRules.SelectMany(r => r.GetProperty("Actions").EnumerateArray())
            .Where(a => a.GetProperty("Type").GetString() == "forward")
            .Select(a => a.GetProperty("TargetGroupArn").GetString()!)
            .ToList();
        Assert.Equal(TargetGroupsOfShop().Order(StringComparer.Ordinal), forwarded.Order(StringComparer.Ordinal));
        string Resource(string arn) => host.AwsWorld.GetTags(arn)["ingress.k8s.aws/resource"];
        Assert.Equal(["catalog/catalog-catalog-api:80", "storefront/storefront-storefront-web:http"], forwarded.Select(Resource));

        // The target group's own port, as the controller sets it for ip targets: a numeric targetPort (catalog-api: 8080)
        // as is, a named one (storefront-web: http) as 1, since each pod resolves the name itself.
        var targetGroups = (await cli.JsonAsync("elbv2", "describe-target-groups", "--load-balancer-arn", loadBalancer.GetProperty("LoadBalancerArn").GetString()!))
            .GetProperty("TargetGroups").EnumerateArray().ToDictionary(tg => tg.GetProperty("TargetGroupArn").GetString()!, tg => tg.GetProperty("Port").GetInt32());
        Assert.Equal([8080, 1], forwarded.Select(arn => targetGroups[arn]));
    }
}
