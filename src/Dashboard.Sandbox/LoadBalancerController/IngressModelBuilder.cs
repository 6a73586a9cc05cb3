using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Dashboard.Sandbox.Aws;
using Dashboard.Sandbox.Cluster;

namespace Dashboard.Sandbox.LoadBalancerController;

/// <summary>
/// Builds the ALB stack of an Ingress group, as the AWS Load Balancer Controller does: members ordered by
/// <c>group.order</c> then name, listeners from each member's <c>listen-ports</c> (default HTTP:80, or HTTPS:443 with
/// <c>certificate-arn</c>), rules with host and path conditions merged per listen port in member order (each rule's paths
/// sorted as the controller sorts them: Exact, then Prefix longest first, then ImplementationSpecific), <c>ssl-redirect</c>
/// (a group setting) as every HTTP listener's only action, one target group per member backend that some rule or default
/// action forwards to (Service annotations override the Ingress's for health checks and target type).
/// </summary>
internal static partial class IngressModelBuilder
{
    private const string Prefix = ControllerAnnotations.IngressPrefix;

    /// <summary>
    /// The controller's class-loading error for an Ingress whose <c>spec.ingressClassName</c> names no IngressClass
    /// (it records <c>FailedLoadGroupID</c> and leaves the Ingress alone), or null.
    /// </summary>
    public static string? ClassError(JsonObject ingress, IEnumerable<JsonObject> ingressClasses)
    {
        if (JsonFields.Annotations(ingress).ContainsKey(ControllerAnnotations.IngressClass)
            || JsonFields.String(ingress["spec"], "ingressClassName") is not { } className
            || ingressClasses.Any(c => JsonFields.Name(c) == className))
        {
            return null;
        }
        return $"invalid ingress class: ingressclasses.networking.k8s.io \"{className}\" not found";
    }

    /// <summary>Whether the controller (IngressClass controller <c>ingress.k8s.aws/alb</c>) owns this Ingress.</summary>
    public static bool IsOwned(JsonObject ingress, IEnumerable<JsonObject> ingressClasses)
    {
        // The deprecated annotation wins over spec.ingressClassName when both are set.
        if (JsonFields.Annotations(ingress).TryGetValue(ControllerAnnotations.IngressClass, out var annotated))
        {
            return annotated.Trim() == "alb";
        }
        var classes = ingressClasses.ToList();
        var className = JsonFields.String(ingress["spec"], "ingressClassName");
        var ingressClass = className is null
            ? classes.FirstOrDefault(c => JsonFields.Annotations(c).GetValueOrDefault(ControllerAnnotations.DefaultIngressClass) == "true")
            : classes.FirstOrDefault(c => JsonFields.Name(c) == className);
        return ingressClass is not null && JsonFields.String(ingressClass["spec"], "controller") == ControllerAnnotations.AlbController;
    }

    /// <summary>
    /// The group an Ingress belongs to. A malformed group name throws the controller's group-loading error (it then
    /// leaves the Ingress out of every group and records <c>FailedLoadGroupID</c>).
    /// </summary>
    public static IngressGroupId GroupOf(JsonObject ingress, JsonObject? classParams = null)
    {
        var annotations = EffectiveAnnotations(ingress, classParams);
        if (annotations.TryGetValue(Prefix + "group.name", out var name))
        {
            if (!GroupNamePattern().IsMatch(name))
            {
                throw new ModelBuildException("invalid ingress group: groupName must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character");
            }
            if (name.Length > 63)
            {
                throw new ModelBuildException("invalid ingress group: groupName must be no more than 63 characters");
            }
            return IngressGroupId.Explicit(name);
        }
        return IngressGroupId.Implicit(JsonFields.Namespace(ingress) ?? "", JsonFields.Name(ingress) ?? "");
    }

    public static string StackKey(IngressGroupId group) => "ingress/" + group;

    public static Stack Build(IngressGroupId group, IReadOnlyList<JsonObject> ingresses, Func<string, string, JsonObject?> findService, AwsWorld aws,
        Func<JsonObject, JsonObject?>? classParamsOf = null)
    {
        var members = ingresses
            .Select(ing => (Ingress: ing, Reader: new AnnotationReader(Prefix, EffectiveAnnotations(ing, classParamsOf?.Invoke(ing))), Key: Key(ing)))
            .Select(m => (m.Ingress, m.Reader, m.Key, Order: GroupOrder(m.Reader)))
            .OrderBy(m => m.Order).ThenBy(m => m.Key, StringComparer.Ordinal)
            .ToList();
        // Group-wide settings: only the members that set one count (buildLoadBalancerScheme); none set: the default.
        var scheme = Single(members.Select(m => m.Reader.String("scheme")).OfType<string>().DefaultIfEmpty("internal"), "scheme");
        if (scheme is not ("internal" or "internet-facing"))
        {
            throw new ModelBuildException($"unknown scheme: {scheme}");
        }
        var ipAddressType = Single(members.Select(m => m.Reader.String("ip-address-type")).OfType<string>().DefaultIfEmpty("ipv4"), "IPAddressType");
        var explicitNames = members.Select(m => m.Reader.String("load-balancer-name")).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        if (explicitNames.Count > 1)
        {
            throw new ModelBuildException($"conflicting load balancer name: [{string.Join(' ', explicitNames)}]");
        }
        var loadBalancerName = explicitNames.Count == 1 ? explicitNames[0] : ResourceNaming.IngressLoadBalancer(aws.ClusterName, group, scheme);
        if (loadBalancerName.Length > 32)
        {
            throw new ModelBuildException("load balancer name cannot be longer than 32 characters");
        }

        var identity = ImmutableDictionary<string, string>.Empty
            .Add("elbv2.k8s.aws/cluster", aws.ClusterName)
            .Add("ingress.k8s.aws/stack", group.ToString());
        var extraTags = new Dictionary<string, string>(StringComparer.Ordinal);
        var loadBalancerAttributes = new Dictionary<string, string>(StringComparer.Ordinal);
        var sourceRanges = new List<string>();
        var listenPorts = new SortedDictionary<int, string>();
        int? sslRedirect = null;
        string? sslPolicy = null;
        var memberPorts = new Dictionary<string, IReadOnlyDictionary<int, string>>(StringComparer.Ordinal);
        // Listener certificates per port, merged over the members listening there in member order: a member's own
        // certificate-arn, or (when it listens on HTTPS without one) the ACM certificates discovered for its hosts.
        var certificatesByPort = new Dictionary<int, List<string>>();
        foreach (var member in members)
        {
            foreach (var (key, value) in member.Reader.Map("tags"))
            {
                extraTags[key] = value;
            }
            foreach (var (key, value) in member.Reader.Map("load-balancer-attributes"))
            {
                loadBalancerAttributes[key] = value;
            }
            if (member.Reader.List("inbound-cidrs").FirstOrDefault(c => !Cidr.IsValid(c)) is { } badCidr)
            {
                throw new ModelBuildException($"invalid inbound-cidrs settings on Ingress: {member.Key}: invalid CIDR address: {badCidr}");
            }
            sourceRanges.AddRange(member.Reader.List("inbound-cidrs").Where(c => !sourceRanges.Contains(c)));
            sslPolicy ??= member.Reader.String("ssl-policy");
            int? memberRedirect;
            try
            {
                memberRedirect = member.Reader.Int32("ssl-redirect");
            }
            catch (ModelBuildException e)
            {
                throw new ModelBuildException($"ingress: {member.Key}: {e.Message}");
            }
            if (memberRedirect is { } redirect)
            {
                if (sslRedirect is { } other && other != redirect)
                {
                    throw new ModelBuildException($"conflicting sslRedirect port: {other}, {redirect}");
                }
                sslRedirect = redirect;
            }
            var ports = ListenPorts(member.Reader, member.Ingress);
            memberPorts[member.Key] = ports;
            IReadOnlyList<string>? memberCertificates = null;
            foreach (var (port, protocol) in ports)
            {
                if (listenPorts.TryGetValue(port, out var existing) && existing != protocol)
                {
                    throw new ModelBuildException($"conflicting protocol for port {port}: {existing}, {protocol}");
                }
                listenPorts[port] = protocol;
                if (protocol != "HTTPS")
                {
                    continue;
                }
                memberCertificates ??= member.Reader.List("certificate-arn") is { Count: > 0 } explicitArns
                    ? explicitArns
                    : DiscoverCertificates(member.Ingress, aws).ToList() is { Count: > 0 } discovered
                        ? discovered
                        : throw new ModelBuildException($"ingress: {member.Key}: none certificate found for host: *");
                if (!certificatesByPort.TryGetValue(port, out var merged))
                {
                    certificatesByPort[port] = merged = [];
                }
                merged.AddRange(memberCertificates.Where(c => !merged.Contains(c)));
            }
        }
        if (sslRedirect is { } sslPort)
        {
            // ssl-redirect is a group setting: it needs an HTTPS listener on its port, and then every HTTP listener
            // of the group only redirects (the controller builds no rules, hence no target groups, for HTTP ports).
            if (!listenPorts.TryGetValue(sslPort, out var sslProtocol))
            {
                throw new ModelBuildException($"listener does not exist for SSLRedirect port: {sslPort}");
            }
            if (sslProtocol != "HTTPS")
            {
                throw new ModelBuildException($"listener protocol non-SSL for SSLRedirect port: {sslPort}");
            }
        }
        bool Redirects(int port) => sslRedirect is not null && listenPorts[port] == "HTTP";

        var targetGroups = new Dictionary<string, DesiredTargetGroup>(StringComparer.Ordinal);
        var rulesByPort = listenPorts.Keys.ToDictionary(p => p, _ => new List<(ImmutableArray<RuleCondition> Conditions, DesiredAction Action)>());
        var defaultActions = new Dictionary<int, (string Member, DesiredAction Action)>();
        foreach (var member in members)
        {
            var ns = JsonFields.Namespace(member.Ingress) ?? "";
            var context = new BackendContext(group, member.Ingress, member.Key, ns, findService, aws, targetGroups);
            // Rules (and the target groups their actions forward to) exist only on the member's non-redirecting ports:
            // a member listening on HTTP alone under a group ssl-redirect contributes nothing, as with the controller.
            var rulePorts = memberPorts[member.Key].Keys.Where(p => !Redirects(p)).ToList();
            if (rulePorts.Count == 0)
            {
                continue;
            }
            if (member.Ingress["spec"]?["defaultBackend"] is JsonObject defaultBackend)
            {
                var action = context.Action(defaultBackend);
                foreach (var port in rulePorts)
                {
                    if (defaultActions.TryGetValue(port, out var other))
                    {
                        throw new ModelBuildException($"multiple ingress defined default backend: [{other.Member} {member.Key}]");
                    }
                    defaultActions[port] = (member.Key, action);
                }
            }
            foreach (var rule in JsonFields.Objects(member.Ingress["spec"]?["rules"]))
            {
                var host = JsonFields.String(rule, "host");
                foreach (var path in SortPaths(JsonFields.Objects(rule["http"]?["paths"])))
                {
                    var action = context.Action(path["backend"] as JsonObject
                        ?? throw new ModelBuildException($"ingress: {member.Key}: a path has no backend"));
                    var conditions = ImmutableArray.CreateBuilder<RuleCondition>();
                    if (!string.IsNullOrEmpty(host))
                    {
                        conditions.Add(RuleCondition.HostHeader(host));
                    }
                    conditions.Add(new RuleCondition("path-pattern", PathPatterns(JsonFields.String(path, "path"), JsonFields.String(path, "pathType"))));
                    foreach (var port in rulePorts)
                    {
                        rulesByPort[port].Add((conditions.ToImmutable(), action));
                    }
                }
            }
        }

        var listeners = ImmutableArray.CreateBuilder<DesiredListener>();
        foreach (var (port, protocol) in listenPorts)
        {
            var redirect = Redirects(port);
            listeners.Add(new DesiredListener
            {
                Port = port,
                Protocol = protocol,
                Certificates = protocol == "HTTPS" ? [.. certificatesByPort[port]] : [],
                SslPolicy = protocol == "HTTPS" ? sslPolicy ?? "ELBSecurityPolicy-2016-08" : null,
                DefaultAction = redirect
                    ? new DesiredAction { Type = "redirect", Redirect = new RedirectConfig("HTTPS", sslRedirect!.Value.ToString(CultureInfo.InvariantCulture), "#{host}", "/#{path}", "#{query}", "HTTP_301") }
                    : defaultActions.TryGetValue(port, out var defaultAction)
                        ? defaultAction.Action
                        : new DesiredAction { Type = "fixed-response", FixedResponse = new FixedResponse("404", "text/plain", null) },
                Rules = redirect ? [] : [.. rulesByPort[port].Select((r, i) => new DesiredRule(i + 1, r.Conditions, r.Action))],
            });
        }

        var loadBalancerTags = identity.Add("ingress.k8s.aws/resource", "LoadBalancer").SetItems(extraTags);
        if (sourceRanges.Count > 0)
        {
            loadBalancerTags = loadBalancerTags.SetItem(ControllerAnnotations.SourceRangesTag, string.Join(',', sourceRanges));
        }
        return new Stack
        {
            Key = StackKey(group),
            Owner = StackOwner.Controller,
            Identity = identity,
            LoadBalancer = new DesiredLoadBalancer
            {
                Name = loadBalancerName,
                Type = LoadBalancerType.Application,
                Scheme = scheme,
                IpAddressType = ipAddressType,
                Subnets = ServiceModelBuilder.Subnets(members.SelectMany(m => m.Reader.List("subnets")).Distinct(StringComparer.Ordinal).ToList(), aws),
                SecurityGroups = [ResourceNaming.SecurityGroupId(loadBalancerName)],
                Attributes = loadBalancerAttributes.ToImmutableDictionary(),
                Tags = loadBalancerTags,
            },
            TargetGroups = [.. targetGroups.Values.Select(tg => tg with { Tags = tg.Tags.SetItems(extraTags) })],
            Listeners = listeners.ToImmutable(),
        };
    }

    /// <summary>
    /// Certificate discovery for an Ingress that listens on HTTPS without <c>certificate-arn</c>: the controller looks up
    /// ACM certificates matching its rules' and TLS hosts. The sandbox account holds an issued certificate for every
    /// host, with a stable ARN derived from the seed and the host; an Ingress without hosts finds none (the controller's error).
    /// </summary>

    [GeneratedRegex("^[a-z0-9]([-.a-z0-9]*[a-z0-9])?$")]
    private static partial Regex GroupNamePattern();
}
