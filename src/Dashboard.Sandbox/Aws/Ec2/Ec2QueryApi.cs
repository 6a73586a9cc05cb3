using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Xml.Linq;

namespace Dashboard.Sandbox.Aws.Ec2;

/// <summary>
/// The EC2 (2016-11-15) Query protocol over <see cref="AwsWorld"/>, read-only: <c>DescribeSubnets</c>,
/// <c>DescribeSecurityGroups</c>, <c>DescribeSecurityGroupRules</c>, <c>DescribeNetworkInterfaces</c>. EC2's Query dialect
/// differs from ELBv2's: lists are <c>Name.N</c> (no <c>.member</c>), filters <c>Filter.N.Name</c>/<c>Filter.N.Value.M</c>,
/// the response has no <c>…Result</c> wrapper and lists are <c>…Set/item</c>.
/// </summary>
public sealed class Ec2QueryApi(AwsWorld world)
{
    public const string Version = "2016-11-15";
    public static readonly XNamespace Ns = "http://ec2.amazonaws.com/doc/2016-11-15/";

    public static readonly ImmutableHashSet<string> Actions =
        ["DescribeSubnets", "DescribeSecurityGroups", "DescribeSecurityGroupRules", "DescribeNetworkInterfaces"];

    /// <summary>Returns the children of <c>{Action}Response</c> after its <c>requestId</c>.</summary>
    public IEnumerable<XElement> Handle(string action, IReadOnlyDictionary<string, string> parameters) => action switch
    {
        "DescribeSubnets" => DescribeSubnets(parameters),
        "DescribeSecurityGroups" => DescribeSecurityGroups(parameters),
        "DescribeSecurityGroupRules" => DescribeSecurityGroupRules(parameters),
        "DescribeNetworkInterfaces" => DescribeNetworkInterfaces(parameters),
        _ => throw new AwsApiException("InvalidAction", $"The action {action} is not valid for this web service."),
    };

    private IEnumerable<XElement> DescribeSubnets(IReadOnlyDictionary<string, string> parameters)
    {
        var ids = Numbered(parameters, "SubnetId");
        var filters = Filters(parameters, "vpc-id", "subnet-id", "availability-zone", "cidr-block", "tag-key", "tag:*");
        var subnets = world.GetSubnets();
        RequireKnown(ids, subnets.Select(s => s.SubnetId), id => new AwsApiException("InvalidSubnetID.NotFound", $"The subnet ID '{id}' does not exist"));
        var selected = subnets.Where(s => (ids.Count == 0 || ids.Contains(s.SubnetId)) && Matches(filters, SubnetFields(s), s.Tags)).ToList();
        return Page(parameters, "subnetSet", selected, s => new XElement(Ns + "item",
            E("subnetId", s.SubnetId),
            E("subnetArn", $"arn:aws:ec2:{world.Region}:{world.AccountId}:subnet/{s.SubnetId}"),
            E("state", "available"),
            E("ownerId", world.AccountId),
            E("vpcId", s.VpcId),
            E("cidrBlock", s.CidrBlock),
            E("availableIpAddressCount", s.AvailableIpAddressCount),
            E("availabilityZone", s.AvailabilityZone),
            E("availabilityZoneId", "use1-az" + (s.AvailabilityZone[^1] - 'a' + 1)),
            E("defaultForAz", false),
            E("mapPublicIpOnLaunch", s.MapPublicIpOnLaunch),
            E("assignIpv6AddressOnCreation", false),
            TagSet(s.Tags)));
    }

    private IEnumerable<XElement> DescribeSecurityGroups(IReadOnlyDictionary<string, string> parameters)
    {
        var ids = Numbered(parameters, "GroupId");
        var names = Numbered(parameters, "GroupName");
        var filters = Filters(parameters, "vpc-id", "group-id", "group-name", "description", "tag-key", "tag:*");
        var groups = world.GetSecurityGroups();
        RequireKnown(ids, groups.Select(g => g.GroupId), id => new AwsApiException("InvalidGroup.NotFound", $"The security group '{id}' does not exist"));
        RequireKnown(names, groups.Select(g => g.GroupName), name => new AwsApiException("InvalidGroup.NotFound", $"The security group '{name}' does not exist in default VPC '{world.DefaultVpcId}'"));
        var selected = groups.Where(g => (ids.Count == 0 || ids.Contains(g.GroupId)) && (names.Count == 0 || names.Contains(g.GroupName))
            && Matches(filters, new Dictionary<string, string?> { ["vpc-id"] = g.VpcId, ["group-id"] = g.GroupId, ["group-name"] = g.GroupName, ["description"] = g.Description }, g.Tags)).ToList();
        return Page(parameters, "securityGroupInfo", selected, g => new XElement(Ns + "item",
            E("ownerId", world.AccountId),
            E("groupId", g.GroupId),
            E("groupName", g.GroupName),
            E("groupDescription", g.Description),
            E("vpcId", g.VpcId),
            E("securityGroupArn", $"arn:aws:ec2:{world.Region}:{world.AccountId}:security-group/{g.GroupId}"),
            Permissions("ipPermissions", g.Rules.Where(r => !r.IsEgress)),
            Permissions("ipPermissionsEgress", g.Rules.Where(r => r.IsEgress)),
            TagSet(g.Tags)));
    }

    private IEnumerable<XElement> DescribeSecurityGroupRules(IReadOnlyDictionary<string, string> parameters)
    {
        var ids = Numbered(parameters, "SecurityGroupRuleId");
        var filters = Filters(parameters, "group-id", "security-group-rule-id", "tag-key", "tag:*");
        var rules = world.GetSecurityGroups().SelectMany(g => g.Rules).ToList();
        RequireKnown(ids, rules.Select(r => r.RuleId), id => new AwsApiException("InvalidSecurityGroupRuleId.NotFound", $"The security group rule ID '{id}' does not exist"));
        var selected = rules.Where(r => (ids.Count == 0 || ids.Contains(r.RuleId))
            && Matches(filters, new Dictionary<string, string?> { ["group-id"] = r.GroupId, ["security-group-rule-id"] = r.RuleId }, ImmutableSortedDictionary<string, string>.Empty)).ToList();
        return Page(parameters, "securityGroupRuleSet", selected, r => new XElement(Ns + "item",
            E("securityGroupRuleId", r.RuleId),
            E("groupId", r.GroupId),
            E("groupOwnerId", world.AccountId),
            E("isEgress", r.IsEgress),
            E("ipProtocol", r.IpProtocol),
            E("fromPort", r.FromPort),
            E("toPort", r.ToPort),
            r.Source.CidrIpv4 is { } v4 ? E("cidrIpv4", v4) : null,
            r.Source.CidrIpv6 is { } v6 ? E("cidrIpv6", v6) : null,
            r.Source.GroupId is { } group ? new XElement(Ns + "referencedGroupInfo", E("groupId", group), E("userId", world.AccountId)) : null,
            r.Source.Description is { } description ? E("description", description) : null,
            new XElement(Ns + "tagSet")));
    }

    private IEnumerable<XElement> DescribeNetworkInterfaces(IReadOnlyDictionary<string, string> parameters)
    {
        var ids = Numbered(parameters, "NetworkInterfaceId");
        var filters = Filters(parameters, "vpc-id", "subnet-id", "description", "requester-id", "interface-type", "network-interface-id");
        var interfaces = world.GetNetworkInterfaces();
        RequireKnown(ids, interfaces.Select(i => i.NetworkInterfaceId), id => new AwsApiException("InvalidNetworkInterfaceID.NotFound", $"The networkInterface ID '{id}' does not exist"));
        var selected = interfaces.Where(i => (ids.Count == 0 || ids.Contains(i.NetworkInterfaceId)) && Matches(filters, new Dictionary<string, string?>
        {
            ["vpc-id"] = i.VpcId, ["subnet-id"] = i.SubnetId, ["description"] = i.Description, ["requester-id"] = "amazon-elb",
            ["interface-type"] = i.Description.StartsWith("ELB net/", StringComparison.Ordinal) ? "network_load_balancer" : "interface",
            ["network-interface-id"] = i.NetworkInterfaceId,
        }, ImmutableSortedDictionary<string, string>.Empty)).ToList();
        return Page(parameters, "networkInterfaceSet", selected, i => new XElement(Ns + "item",
            E("networkInterfaceId", i.NetworkInterfaceId),
            E("subnetId", i.SubnetId),
            E("vpcId", i.VpcId),
            E("availabilityZone", i.AvailabilityZone),
            E("description", i.Description),
            E("ownerId", world.AccountId),
            E("requesterId", "amazon-elb"),
            E("requesterManaged", true),
            E("status", "in-use"),
            E("interfaceType", i.Description.StartsWith("ELB net/", StringComparison.Ordinal) ? "network_load_balancer" : "interface"),
            E("privateIpAddress", i.PrivateIpAddress),
            i.PublicIp is { } ip ? new XElement(Ns + "association", E("publicIp", ip), E("ipOwnerId", "amazon")) : null,
            new XElement(Ns + "groupSet", i.Groups.Select(g => new XElement(Ns + "item", E("groupId", g)))),
            new XElement(Ns + "privateIpAddressesSet", new XElement(Ns + "item", E("privateIpAddress", i.PrivateIpAddress), E("primary", true),
                i.PublicIp is { } pip ? new XElement(Ns + "association", E("publicIp", pip), E("ipOwnerId", "amazon")) : null)),
            new XElement(Ns + "tagSet")));
    }

    private static XElement Permissions(string name, IEnumerable<SecurityGroupRule> rules) => new(Ns + name,
        rules.GroupBy(r => (r.IpProtocol, r.FromPort, r.ToPort)).Select(g => new XElement(Ns + "item",
            E("ipProtocol", g.Key.IpProtocol),
            g.Key.IpProtocol == "-1" ? null : E("fromPort", g.Key.FromPort),
            g.Key.IpProtocol == "-1" ? null : E("toPort", g.Key.ToPort),
            new XElement(Ns + "groups", g.Where(r => r.Source.GroupId is not null).Select(r => new XElement(Ns + "item",
                E("groupId", r.Source.GroupId!), E("userId", ""), r.Source.Description is { } d ? E("description", d) : null))),
            new XElement(Ns + "ipRanges", g.Where(r => r.Source.CidrIpv4 is not null).Select(r => new XElement(Ns + "item",
                E("cidrIp", r.Source.CidrIpv4!), r.Source.Description is { } d ? E("description", d) : null))),
            new XElement(Ns + "ipv6Ranges", g.Where(r => r.Source.CidrIpv6 is not null).Select(r => new XElement(Ns + "item",
                E("cidrIpv6", r.Source.CidrIpv6!), r.Source.Description is { } d ? E("description", d) : null))),
            new XElement(Ns + "prefixListIds"))));

    private static Dictionary<string, string?> SubnetFields(Subnet s) => new()
    {
        ["vpc-id"] = s.VpcId, ["subnet-id"] = s.SubnetId, ["availability-zone"] = s.AvailabilityZone, ["cidr-block"] = s.CidrBlock,
    };

    /// <summary>EC2 paging: <c>MaxResults</c> (5–1000) and an opaque <c>NextToken</c>.</summary>
    private static IEnumerable<XElement> Page<T>(IReadOnlyDictionary<string, string> parameters, string setName, List<T> items, Func<T, XElement> item)
    {
        var start = 0;
        if (parameters.TryGetValue("NextToken", out var token) && token.Length > 0)
        {
            try
            {
                start = int.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(token)), NumberStyles.None, CultureInfo.InvariantCulture);
            }
            catch (FormatException)
            {
                throw new AwsApiException("InvalidPaginationToken", $"The pagination token '{token}' is invalid");
            }
        }
        var size = items.Count;
        if (parameters.TryGetValue("MaxResults", out var max))
        {
            if (!int.TryParse(max, NumberStyles.None, CultureInfo.InvariantCulture, out size) || size is < 5 or > 1000)
            {
                throw new AwsApiException("InvalidParameterValue", $"Value ( {max} ) for parameter maxResults is invalid. Expecting a value between 5 and 1000.");
            }
        }
        var page = items.Skip(start).Take(size).ToList();
        yield return new XElement(Ns + setName, page.Select(item));
        if (start + page.Count < items.Count)
        {
            yield return E("nextToken", Convert.ToBase64String(Encoding.UTF8.GetBytes((start + page.Count).ToString(CultureInfo.InvariantCulture))));
        }
    }

    private static List<string> Numbered(IReadOnlyDictionary<string, string> parameters, string name)
    {
        var result = new List<string>();
        for (var i = 1; parameters.TryGetValue($"{name}.{i}", out var value); i++)
        {
            result.Add(value);
        }
        return result;
    }

    private static List<(string Name, List<string> Values)> Filters(IReadOnlyDictionary<string, string> parameters, params string[] known)
    {
        var result = new List<(string, List<string>)>();
        for (var i = 1; parameters.TryGetValue($"Filter.{i}.Name", out var name); i++)
        {
            if (!known.Contains(name) && !(name.StartsWith("tag:", StringComparison.Ordinal) && known.Contains("tag:*")))
            {
                throw new AwsApiException("InvalidParameterValue", $"The filter '{name}' is invalid");
            }
            result.Add((name, Numbered(parameters, $"Filter.{i}.Value")));
        }
        return result;
    }

    private static bool Matches(List<(string Name, List<string> Values)> filters, IReadOnlyDictionary<string, string?> fields, IReadOnlyDictionary<string, string> tags) =>
        filters.All(f => f.Name switch
        {
            "tag-key" => f.Values.Any(tags.ContainsKey),
            var n when n.StartsWith("tag:", StringComparison.Ordinal) => tags.TryGetValue(n[4..], out var v) && f.Values.Any(p => Wildcard(p, v)),
            _ => fields.GetValueOrDefault(f.Name) is { } value && f.Values.Any(p => Wildcard(p, value)),
        });

    /// <summary>EC2 filter values accept <c>*</c> (any run) and <c>?</c> (one character).</summary>
    private static bool Wildcard(string pattern, string value) =>
        System.Text.RegularExpressions.Regex.IsMatch(value, "^" + System.Text.RegularExpressions.Regex.Escape(pattern).Replace("\\*", ".*", StringComparison.Ordinal).Replace("\\?", ".", StringComparison.Ordinal) + "$",
            System.Text.RegularExpressions.RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    private static void RequireKnown(List<string> asked, IEnumerable<string> known, Func<string, AwsApiException> error)
    {
        if (asked.Count == 0)
        {
            return;
        }
        var set = known.ToHashSet(StringComparer.Ordinal);
        if (asked.FirstOrDefault(a => !set.Contains(a)) is { } missing)
        {
            throw error(missing);
        }
    }

    private static XElement TagSet(IEnumerable<KeyValuePair<string, string>> tags) =>
        new(Ns + "tagSet", tags.Select(t => new XElement(Ns + "item", E("key", t.Key), E("value", t.Value))));

    private static XElement E(string name, object value) => new(Ns + name, value is bool b ? (b ? "true" : "false") : Convert.ToString(value, CultureInfo.InvariantCulture));
}
