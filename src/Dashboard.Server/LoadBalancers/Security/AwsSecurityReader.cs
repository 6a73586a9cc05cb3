using System.Collections.Immutable;
using Amazon.EC2.Model;
using Amazon.Runtime;
using Dashboard.Server.Aws;
using Dashboard.Server.Aws.CertificateManager;
using Dashboard.Server.Aws.Ec2;
using Dashboard.Server.Aws.Waf;

namespace Dashboard.Server.LoadBalancers.Security;

/// <summary>
/// Reads the security facts of the balancers in an <see cref="AwsSnapshot"/>: EC2 security groups and subnets of their
/// VPCs (AWSSDK.EC2, one paged call each), the ACM certificate of every TLS listener (DescribeCertificate), and the WAF web
/// ACL of every Application Load Balancer (GetWebACLForResource). A part that fails keeps its previous value and records
/// the reason; nothing here throws for AWS trouble.
/// </summary>
public sealed class AwsSecurityReader(Ec2ClientProvider ec2, ICertificateManagerClient acm, IWafV2Client waf, TimeProvider time)
{
    public async Task<AwsSecurity> ReadAsync(AwsSnapshot snapshot, AwsSecurity? previous, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var result = previous ?? new AwsSecurity();
        var errors = result.Errors;
        var asOf = result.AsOf;

        try
        {
            var (groups, subnets) = await ReadEc2Async(snapshot, cancellationToken);
            result = result with { SecurityGroups = groups, Subnets = subnets };
            errors = errors.Remove(AwsSecurity.Ec2Part);
            asOf = asOf.SetItem(AwsSecurity.Ec2Part, time.GetUtcNow());
        }
        catch (Exception e) when (e is AmazonServiceException or AmazonClientException or HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            errors = errors.SetItem(AwsSecurity.Ec2Part, $"EC2 could not be read: {e.Message}");
        }

        try
        {
            result = result with { PublicIpv4ByBalancer = await ReadPublicAddressesAsync(snapshot, cancellationToken) };
            errors = errors.Remove(AwsSecurity.NetworkInterfacesPart);
            asOf = asOf.SetItem(AwsSecurity.NetworkInterfacesPart, time.GetUtcNow());
        }
        catch (Exception e) when (e is AmazonServiceException or AmazonClientException or HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            errors = errors.SetItem(AwsSecurity.NetworkInterfacesPart, $"EC2 network interfaces could not be read: {e.Message}");
        }

        try
        {
            result = result with { Certificates = await ReadCertificatesAsync(snapshot, result.Certificates, cancellationToken) };
            errors = errors.Remove(AwsSecurity.AcmPart);
            asOf = asOf.SetItem(AwsSecurity.AcmPart, time.GetUtcNow());
        }
        catch (AwsServiceException e)
        {
            errors = errors.SetItem(AwsSecurity.AcmPart, $"ACM could not be read: {e.Message}");
        }

        try
        {
            result = result with { WebAcls = await ReadWebAclsAsync(snapshot, cancellationToken) };
            errors = errors.Remove(AwsSecurity.WafPart);
            asOf = asOf.SetItem(AwsSecurity.WafPart, time.GetUtcNow());
        }
        catch (AwsServiceException e)
        {
            errors = errors.SetItem(AwsSecurity.WafPart, $"WAFv2 could not be read: {e.Message}");
        }
        return result with { Errors = errors, AsOf = asOf };
    }

    private async Task<(ImmutableDictionary<string, SecurityGroupFacts>, ImmutableArray<SubnetFacts>)> ReadEc2Async(AwsSnapshot snapshot, CancellationToken cancellationToken)
    {
        var client = ec2.Client;
        var vpcs = snapshot.LoadBalancers.Select(l => l.VpcId).OfType<string>().Where(v => v.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        List<Filter>? filters = vpcs.Count > 0 ? [new Filter { Name = "vpc-id", Values = vpcs }] : null;

        var groups = ImmutableDictionary.CreateBuilder<string, SecurityGroupFacts>(StringComparer.Ordinal);
        await foreach (var group in client.Paginators.DescribeSecurityGroups(new DescribeSecurityGroupsRequest { Filters = filters }).SecurityGroups.WithCancellation(cancellationToken))
        {
            groups[group.GroupId] = new SecurityGroupFacts(group.GroupId, group.GroupName ?? "", group.VpcId ?? "",
                [.. (group.IpPermissions ?? []).SelectMany(Rules)], Tags(group.Tags));
        }

        var subnets = ImmutableArray.CreateBuilder<SubnetFacts>();
        await foreach (var subnet in client.Paginators.DescribeSubnets(new DescribeSubnetsRequest { Filters = filters }).Subnets.WithCancellation(cancellationToken))
        {
            subnets.Add(new SubnetFacts(subnet.SubnetId, subnet.VpcId ?? "", subnet.AvailabilityZone ?? "", subnet.CidrBlock ?? "",
                subnet.AvailableIpAddressCount ?? 0, subnet.MapPublicIpOnLaunch ?? false, Tags(subnet.Tags)));
        }
        return (groups.ToImmutable(), subnets.ToImmutable());
    }

    /// <summary>
    /// The public IPv4 addresses of each balancer's nodes: the network interfaces ELB made for it (description
    /// <c>ELB app/name/id</c> or <c>ELB net/name/id</c>, requester amazon-elb) that carry a public address. One paged call.
    /// </summary>
    private async Task<ImmutableDictionary<string, int>> ReadPublicAddressesAsync(AwsSnapshot snapshot, CancellationToken cancellationToken)
    {
        var byDescription = snapshot.LoadBalancers
            .Select(l => (l.LoadBalancerArn, Description: "ELB " + ArnResource(l.LoadBalancerArn)))
            .GroupBy(l => l.Description, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First().LoadBalancerArn, StringComparer.Ordinal);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var request = new DescribeNetworkInterfacesRequest { Filters = [new Filter { Name = "requester-id", Values = ["amazon-elb"] }] };
        await foreach (var eni in ec2.Client.Paginators.DescribeNetworkInterfaces(request).NetworkInterfaces.WithCancellation(cancellationToken))
        {
            if (eni.Description is { } description && byDescription.TryGetValue(description, out var arn))
            {
                counts[arn] = counts.GetValueOrDefault(arn) + (eni.Association?.PublicIp is { Length: > 0 } ? 1 : 0);
            }
        }
        return counts.ToImmutableDictionary(StringComparer.Ordinal);
    }

    /// <summary>"app/name/id" of <c>arn:aws:elasticloadbalancing:…:loadbalancer/app/name/id</c>.</summary>
    private static string ArnResource(string arn)
    {
        var at = arn.IndexOf(":loadbalancer/", StringComparison.Ordinal);
        return at < 0 ? arn : arn[(at + ":loadbalancer/".Length)..];
    }

    private static IEnumerable<SecurityRule> Rules(IpPermission permission)
    {
        var protocol = permission.IpProtocol ?? "-1";
        int? from = protocol == "-1" ? null : permission.FromPort;
        int? to = protocol == "-1" ? null : permission.ToPort;
        foreach (var range in permission.Ipv4Ranges ?? [])
        {
            yield return new SecurityRule(protocol, from, to, range.CidrIp, null, range.Description);
        }
        foreach (var range in permission.Ipv6Ranges ?? [])
        {
            yield return new SecurityRule(protocol, from, to, range.CidrIpv6, null, range.Description);
        }
        foreach (var pair in permission.UserIdGroupPairs ?? [])
        {
            yield return new SecurityRule(protocol, from, to, null, pair.GroupId, pair.Description);
        }
    }

    private static ImmutableDictionary<string, string> Tags(List<Tag>? tags) =>
        (tags ?? []).Where(t => t.Key is not null).GroupBy(t => t.Key, StringComparer.Ordinal).ToImmutableDictionary(g => g.Key, g => g.Last().Value ?? "", StringComparer.Ordinal);

    private async Task<ImmutableDictionary<string, CertificateFacts>> ReadCertificatesAsync(AwsSnapshot snapshot, ImmutableDictionary<string, CertificateFacts> previous, CancellationToken cancellationToken)
    {
        var arns = snapshot.Listeners.Values.SelectMany(l => l).SelectMany(l => l.Certificates).Select(c => c.CertificateArn)
            .Where(a => a.StartsWith("arn:", StringComparison.Ordinal)).Distinct(StringComparer.Ordinal).ToList();
        var result = ImmutableDictionary.CreateBuilder<string, CertificateFacts>(StringComparer.Ordinal);
        foreach (var arn in arns)
        {
            try
            {
                var detail = await acm.DescribeCertificateAsync(arn, cancellationToken);
                result[arn] = new CertificateFacts
                {
                    Arn = arn,
                    DomainName = detail.DomainName,
                    Names = [.. detail.SubjectAlternativeNames.Prepend(detail.DomainName).Where(n => n.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase)],
                    Status = detail.Status,
                    Issuer = detail.Issuer,
                    NotAfter = detail.NotAfter,
                };
            }
            catch (AwsServiceException e) when (e.ErrorCode is "ResourceNotFoundException" or "InvalidArnException")
            {
                result[arn] = new CertificateFacts { Arn = arn, Missing = true };
            }
            catch (AwsServiceException) when (previous.TryGetValue(arn, out _) && arns.Count > 1)
            {
                // One certificate failing keeps its last answer; the part as a whole still fails if every read fails.
                result[arn] = previous[arn];
            }
        }
        return result.ToImmutable();
    }

    private async Task<ImmutableDictionary<string, WebAclFacts?>> ReadWebAclsAsync(AwsSnapshot snapshot, CancellationToken cancellationToken)
    {
        var result = ImmutableDictionary.CreateBuilder<string, WebAclFacts?>(StringComparer.Ordinal);
        foreach (var lb in snapshot.LoadBalancers.Where(l => l.Type == "application"))
        {
            var acl = await waf.GetWebAclForResourceAsync(lb.LoadBalancerArn, cancellationToken);
            result[lb.LoadBalancerArn] = acl is null ? null : new WebAclFacts(acl.Name, acl.Arn, acl.DefaultAction, [.. acl.Rules]);
        }
        return result.ToImmutable();
    }
}
