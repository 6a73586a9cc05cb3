using System.Xml;
using System.Xml.Linq;

namespace Dashboard.Server.Aws.ElasticLoadBalancing;

/// <summary>
/// ELBv2 over the Query protocol: form POST with <c>Action</c> and <c>Version=2015-12-01</c>, XML answers.
/// Hand-written because AWSSDK.ElasticLoadBalancingV2 cannot be restored here (see docs/aws.md).
/// </summary>
public sealed class ElasticLoadBalancingClient : IElasticLoadBalancingClient
{
    public const string ApiVersion = "2015-12-01";

    /// <summary>DescribeLoadBalancers and DescribeTags accept at most this many ARNs per call.</summary>
    public const int MaxArnsPerCall = 20;

    /// <summary>The largest page the Describe* calls allow.</summary>
    public const int PageSize = 400;

    private readonly AwsTransport _transport;

    public ElasticLoadBalancingClient(IHttpClientFactory httpClientFactory, IAwsEndpointResolver endpointResolver, ILogger<ElasticLoadBalancingClient> logger)
    {
        _transport = new AwsTransport(httpClientFactory, endpointResolver, AwsService.ElasticLoadBalancing, logger);
    }

    public async Task<IReadOnlyList<LoadBalancer>> DescribeLoadBalancersAsync(IReadOnlyCollection<string>? loadBalancerArns = null, IReadOnlyCollection<string>? names = null, CancellationToken cancellationToken = default)
    {
        if (loadBalancerArns is { Count: > 0 })
        {
            var all = new List<LoadBalancer>();
            foreach (var batch in loadBalancerArns.Chunk(MaxArnsPerCall))
            {
                all.AddRange(await DescribeAllAsync("DescribeLoadBalancers", q => q.AddMembers("LoadBalancerArns", batch), "LoadBalancers", ElasticLoadBalancingXml.LoadBalancer, cancellationToken));
            }
            return all;
        }
        return await DescribeAllAsync("DescribeLoadBalancers", q => q.AddMembers("Names", names), "LoadBalancers", ElasticLoadBalancingXml.LoadBalancer, cancellationToken);
    }

    public async Task<IReadOnlyList<LoadBalancerAttribute>> DescribeLoadBalancerAttributesAsync(string loadBalancerArn, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(loadBalancerArn);
        return await CallAsync(
            new AwsQueryRequest("DescribeLoadBalancerAttributes", ApiVersion).Add("LoadBalancerArn", loadBalancerArn),
            result => result.Members("Attributes").Select(m => new LoadBalancerAttribute(m.RequiredText("Key"), m.Text("Value") ?? string.Empty)).ToArray(),
            cancellationToken);
    }

    public Task<IReadOnlyList<Listener>> DescribeListenersAsync(string? loadBalancerArn = null, IReadOnlyCollection<string>? listenerArns = null, CancellationToken cancellationToken = default)
    {
        RequireOne(loadBalancerArn, listenerArns, nameof(loadBalancerArn), nameof(listenerArns));
        return DescribeAllAsync("DescribeListeners", q => q.Add("LoadBalancerArn", loadBalancerArn).AddMembers("ListenerArns", listenerArns), "Listeners", ElasticLoadBalancingXml.Listener, cancellationToken);
    }

    public Task<IReadOnlyList<ListenerRule>> DescribeRulesAsync(string? listenerArn = null, IReadOnlyCollection<string>? ruleArns = null, CancellationToken cancellationToken = default)
    {
        RequireOne(listenerArn, ruleArns, nameof(listenerArn), nameof(ruleArns));
        return DescribeAllAsync("DescribeRules", q => q.Add("ListenerArn", listenerArn).AddMembers("RuleArns", ruleArns), "Rules", ElasticLoadBalancingXml.Rule, cancellationToken);
    }

    public Task<IReadOnlyList<TargetGroup>> DescribeTargetGroupsAsync(string? loadBalancerArn = null, IReadOnlyCollection<string>? targetGroupArns = null, IReadOnlyCollection<string>? names = null, CancellationToken cancellationToken = default) =>
        DescribeAllAsync(
            "DescribeTargetGroups",
            q => q.Add("LoadBalancerArn", loadBalancerArn).AddMembers("TargetGroupArns", targetGroupArns).AddMembers("Names", names),
            "TargetGroups",
            ElasticLoadBalancingXml.TargetGroup,
            cancellationToken);

    public async Task<IReadOnlyList<TargetGroupAttribute>> DescribeTargetGroupAttributesAsync(string targetGroupArn, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(targetGroupArn);
        return await CallAsync(
            new AwsQueryRequest("DescribeTargetGroupAttributes", ApiVersion).Add("TargetGroupArn", targetGroupArn),
            result => result.Members("Attributes").Select(m => new TargetGroupAttribute(m.RequiredText("Key"), m.Text("Value") ?? string.Empty)).ToArray(),
            cancellationToken);
    }

    public async Task<IReadOnlyList<TargetHealthDescription>> DescribeTargetHealthAsync(string targetGroupArn, IReadOnlyCollection<TargetDescription>? targets = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(targetGroupArn);
        var request = new AwsQueryRequest("DescribeTargetHealth", ApiVersion).Add("TargetGroupArn", targetGroupArn);
        var index = 1;
        foreach (var target in targets ?? [])
        {
            request.Add($"Targets.member.{index}.Id", target.Id)
                .Add($"Targets.member.{index}.Port", target.Port)
                .Add($"Targets.member.{index}.AvailabilityZone", target.AvailabilityZone);
            index++;
        }
        return await CallAsync(request, result => result.Members("TargetHealthDescriptions").Select(ElasticLoadBalancingXml.TargetHealthDescription).ToArray(), cancellationToken);
    }

    public async Task<IReadOnlyList<TagDescription>> DescribeTagsAsync(IReadOnlyCollection<string> resourceArns, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(resourceArns);
        var all = new List<TagDescription>();
        foreach (var batch in resourceArns.Distinct(StringComparer.Ordinal).Chunk(MaxArnsPerCall))
        {
            all.AddRange(await CallAsync(
                new AwsQueryRequest("DescribeTags", ApiVersion).AddMembers("ResourceArns", batch),
                result => result.Members("TagDescriptions").Select(ElasticLoadBalancingXml.TagDescription).ToArray(),
                cancellationToken));
        }
        return all;
    }

    private async Task<IReadOnlyList<T>> DescribeAllAsync<T>(string action, Action<AwsQueryRequest> addParameters, string listName, Func<XElement, T> parse, CancellationToken cancellationToken)
    {
        var items = new List<T>();
        string? marker = null;
        var seenMarkers = new HashSet<string>(StringComparer.Ordinal);
        do
        {
            var request = new AwsQueryRequest(action, ApiVersion);
            addParameters(request);
            request.Add("Marker", marker);
            var (page, next) = await CallAsync(
                request,
                result => (result.Members(listName).Select(parse).ToArray(), result.Text("NextMarker") is { Length: > 0 } text ? text : null),
                cancellationToken);
            items.AddRange(page);
            marker = next;
            if (marker is not null && !seenMarkers.Add(marker))
            {
                throw new AwsServiceException(AwsService.ElasticLoadBalancing.Name, action, 200, null, $"the service returned NextMarker '{marker}' twice; paging stopped", null);
            }
        }
        while (marker is not null);
        return items;
    }

    private async Task<T> CallAsync<T>(AwsQueryRequest request, Func<XElement, T> read, CancellationToken cancellationToken)
    {
        var body = await _transport.SendAsync(request.Action, request.ToContent, target: null, cancellationToken);
        try
        {
            var root = XDocument.Parse(body).Root;
            var result = root.Child($"{request.Action}Result")
                ?? throw new FormatException($"expected <{request.Action}Response><{request.Action}Result>, got <{root?.Name.LocalName}>");
            return read(result);
        }
        catch (Exception exception) when (exception is XmlException or FormatException)
        {
            throw new AwsServiceException(AwsService.ElasticLoadBalancing.Name, request.Action, 200, null, $"unreadable response: {exception.Message}", null, exception);
        }
    }

    private static void RequireOne(string? single, IReadOnlyCollection<string>? many, string singleName, string manyName)
    {
        if (string.IsNullOrWhiteSpace(single) && many is not { Count: > 0 })
        {
            throw new ArgumentException($"Pass {singleName} or at least one of {manyName}.", singleName);
        }
    }
}
