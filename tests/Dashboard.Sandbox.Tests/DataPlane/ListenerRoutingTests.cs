using System.Collections.Immutable;
using Dashboard.Sandbox.Aws;
using Dashboard.Sandbox.DataPlane;

namespace Dashboard.Sandbox.Tests.DataPlane;

/// <summary>How an ALB listener picks the action for a request: priorities, host and path conditions, fixed responses, redirects.</summary>
public sealed class ListenerRoutingTests
{
    private static readonly Listener Https = new()
    {
        Arn = "arn:listener",
        LoadBalancerArn = "arn:lb",
        Port = 443,
        Protocol = "HTTPS",
        DefaultActions = [RuleAction.Fixed("404", "text/plain", "no route")],
    };

    private static ListenerRule Rule(string priority, RuleAction action, params RuleCondition[] conditions) => new()
    {
        Arn = "arn:rule/" + priority,
        ListenerArn = Https.Arn,
        Priority = priority,
        Conditions = [.. conditions],
        Actions = [action],
        IsDefault = false,
    };

    private static readonly ImmutableArray<ListenerRule> Rules =
    [
        Rule("20", RuleAction.Forward("tg-web"), RuleCondition.HostHeader("*.example.com"), RuleCondition.PathPattern("/*")),
        Rule("3", RuleAction.Forward("tg-predict"), RuleCondition.HostHeader("api.example.com"), RuleCondition.PathPattern("/predict*")),
        Rule("5", RuleAction.Fixed("503", "application/json", "{\"maintenance\":true}"), RuleCondition.PathPattern("/Admin")),
        new ListenerRule { Arn = "arn:rule/default", ListenerArn = Https.Arn, Priority = "default", Conditions = [], Actions = Https.DefaultActions, IsDefault = true },
    ];

    private static RouteDecision Route(string host, string path, string query = "") =>
        ListenerRouting.Route(Https, Rules, new RoutedRequest("HTTPS", 443, host, path, query, "GET"), _ => 0);

    [Fact]
    public void The_lowest_priority_number_that_matches_wins_over_a_broader_rule()
    {
        Assert.Equal("tg-predict", Assert.IsType<RouteDecision.Forward>(Route("API.example.com", "/predict/batch")).TargetGroupArn);
        Assert.Equal("tg-web", Assert.IsType<RouteDecision.Forward>(Route("api.example.com", "/healthz")).TargetGroupArn);
    }

    [Fact]
    public void Paths_are_case_sensitive_and_a_request_matching_no_rule_takes_the_default_action()
    {
        var maintenance = Assert.IsType<RouteDecision.Fixed>(Route("other.test", "/Admin"));
        Assert.Equal("503", maintenance.Response.StatusCode);
        var fallthrough = Assert.IsType<RouteDecision.Fixed>(Route("other.test", "/admin"));
        Assert.Equal("404", fallthrough.Response.StatusCode);
        Assert.Equal("arn:rule/default", fallthrough.RuleArn);
    }

    [Fact]
    public void A_redirect_keeps_the_requests_host_path_and_query_and_drops_the_default_port()
    {
        var redirect = ListenerRouting.Redirect(new RedirectConfig("HTTPS", "443", "#{host}", "/#{path}", "#{query}", "HTTP_301"), "arn:rule",
            new RoutedRequest("HTTP", 80, "api.example.com", "/predict", "a=1", "GET"));

        Assert.Equal(301, redirect.StatusCode);
        Assert.Equal("https://api.example.com/predict?a=1", redirect.Location);
    }

    [Fact]
    public void A_weighted_forward_splits_by_weight()
    {
        var listener = Https with { DefaultActions = [RuleAction.ForwardWeighted(new WeightedTargetGroup("blue", 90), new WeightedTargetGroup("green", 10))] };
        var request = new RoutedRequest("HTTPS", 443, "x", "/", "", "GET");

        Assert.Equal("blue", Assert.IsType<RouteDecision.Forward>(ListenerRouting.Route(listener, [], request, _ => 89)).TargetGroupArn);
        Assert.Equal("green", Assert.IsType<RouteDecision.Forward>(ListenerRouting.Route(listener, [], request, _ => 90)).TargetGroupArn);
    }
}
