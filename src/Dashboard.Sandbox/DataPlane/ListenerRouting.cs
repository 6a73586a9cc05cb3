using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Dashboard.Sandbox.Aws;

namespace Dashboard.Sandbox.DataPlane;

/// <summary>What a listener decides for one request.</summary>
public abstract record RouteDecision
{
    /// <summary>Forward to a target group (a weighted pick already made).</summary>
    public sealed record Forward(string TargetGroupArn, string RuleArn) : RouteDecision;

    /// <summary>A <c>fixed-response</c> action.</summary>
    public sealed record Fixed(FixedResponse Response, string RuleArn) : RouteDecision;

    /// <summary>A <c>redirect</c> action: the status (301/302) and the absolute Location.</summary>
    public sealed record Redirect(int StatusCode, string Location, string RuleArn) : RouteDecision;

    /// <summary>A forward action whose target groups are all gone, or an action the data plane does not model.</summary>
    public sealed record Unroutable(string Reason) : RouteDecision;
}

/// <summary>The request as a listener sees it: scheme and port it arrived on, Host (without port), path, query, method.</summary>
public sealed record RoutedRequest(string Protocol, int Port, string Host, string Path, string Query, string Method);

/// <summary>
/// How an ALB listener picks an action: its rules in priority order (the default rule last), each matching when every
/// condition matches — <c>host-header</c> (case-insensitive, <c>*</c> and <c>?</c> wildcards), <c>path-pattern</c>
/// (case-sensitive, wildcards, the path without the query), <c>http-request-method</c>; conditions on fields the sandbox
/// does not model never match. NLB (TCP/TLS) listeners only have a default action. Pure.
/// </summary>
public static class ListenerRouting
{
    public static RouteDecision Route(Listener listener, IReadOnlyList<ListenerRule> rules, RoutedRequest request, Func<int, int> pick)
    {
        var isHttp = listener.Protocol is "HTTP" or "HTTPS";
        if (isHttp)
        {
            foreach (var rule in rules.Where(r => !r.IsDefault).OrderBy(r => int.Parse(r.Priority, CultureInfo.InvariantCulture)))
            {
                if (rule.Conditions.All(c => Matches(c, request)))
                {
                    return Act(rule.Actions, rule.Arn, request, pick);
                }
            }
        }
        var defaultRule = rules.FirstOrDefault(r => r.IsDefault);
        return Act(defaultRule?.Actions ?? listener.DefaultActions, defaultRule?.Arn ?? listener.Arn, request, pick);
    }

    public static bool Matches(RuleCondition condition, RoutedRequest request) => condition.Field switch
    {
        "host-header" => condition.Values.Any(v => Wildcard(v, request.Host, ignoreCase: true)),
        "path-pattern" => condition.Values.Any(v => Wildcard(v, request.Path, ignoreCase: false)),
        "http-request-method" => condition.Values.Any(v => string.Equals(v, request.Method, StringComparison.Ordinal)),
        _ => false,
    };

    private static RouteDecision Act(ImmutableArray<RuleAction> actions, string ruleArn, RoutedRequest request, Func<int, int> pick)
    {
        // Authentication actions come first in real rules; the sandbox has none, so the last (terminal) action decides.
        var action = actions.OrderBy(a => a.Order ?? int.MaxValue).LastOrDefault();
        switch (action?.Type)
        {
            case "forward":
                var groups = action.TargetGroups.Where(g => g.Weight > 0).ToList();
                if (groups.Count == 0)
                {
                    groups = [.. action.TargetGroups];
                }
                if (groups.Count == 0)
                {
                    return new RouteDecision.Unroutable("the forward action has no target group");
                }
                var total = groups.Sum(g => Math.Max(g.Weight, 1));
                var roll = pick(total);
                foreach (var group in groups)
                {
                    roll -= Math.Max(group.Weight, 1);
                    if (roll < 0)
                    {
                        return new RouteDecision.Forward(group.TargetGroupArn, ruleArn);
                    }
                }
                return new RouteDecision.Forward(groups[^1].TargetGroupArn, ruleArn);
            case "fixed-response" when action.FixedResponse is { } fixedResponse:
                return new RouteDecision.Fixed(fixedResponse, ruleArn);
            case "redirect" when action.Redirect is { } redirect:
                return Redirect(redirect, ruleArn, request);
            default:
                return new RouteDecision.Unroutable($"no action the sandbox models ({action?.Type ?? "none"})");
        }
    }

    /// <summary>Fills the redirect's <c>#{protocol}</c>, <c>#{host}</c>, <c>#{port}</c>, <c>#{path}</c>, <c>#{query}</c> from the request.</summary>
    internal static RouteDecision.Redirect Redirect(RedirectConfig redirect, string ruleArn, RoutedRequest request)
    {
        string Fill(string template) => template
            .Replace("#{protocol}", request.Protocol.ToLowerInvariant(), StringComparison.Ordinal)
            .Replace("#{host}", request.Host, StringComparison.Ordinal)
            .Replace("#{port}", request.Port.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("#{path}", request.Path.TrimStart('/'), StringComparison.Ordinal)
            .Replace("#{query}", request.Query, StringComparison.Ordinal);
        var protocol = Fill(redirect.Protocol).ToLowerInvariant();
        var port = Fill(redirect.Port);
        var defaultPort = protocol == "https" ? "443" : "80";
        var path = "/" + Fill(redirect.Path).TrimStart('/');
        var query = Fill(redirect.Query);
        var location = new StringBuilder().Append(protocol).Append("://").Append(Fill(redirect.Host));
        if (port != defaultPort)
        {
            location.Append(':').Append(port);
        }
        location.Append(path);
        if (query.Length > 0)
        {
            location.Append('?').Append(query);
        }
        return new RouteDecision.Redirect(redirect.StatusCode == "HTTP_302" ? 302 : 301, location.ToString(), ruleArn);
    }

    private static bool Wildcard(string pattern, string value, bool ignoreCase)
    {
        var regex = "^" + Regex.Escape(pattern).Replace("\\*", ".*", StringComparison.Ordinal).Replace("\\?", ".", StringComparison.Ordinal) + "$";
        return Regex.IsMatch(value, regex, (ignoreCase ? RegexOptions.IgnoreCase : RegexOptions.None) | RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(50));
    }
}
