using System.Globalization;
using Dashboard.Server.LoadBalancers.Security;

namespace Dashboard.Server.Topology;

/// <summary>
/// The security-group part of a "health checks do not reach the target" diagnosis, from the EC2 facts in the AWS
/// snapshot: whether the EKS cluster security group (shared by nodes and pods) has a rule letting the balancer reach the
/// health-check port, and the exact command that adds the missing one.
/// </summary>
internal static partial class TargetDiagnoser
{
    private static (string? Evidence, string? Fix) NodeSecurityGroupEvidence(Input input, string portText)
    {
        if (input.Aws.Snapshot.Security is not { } security || !security.Has(AwsSecurity.Ec2Part)
            || !int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port))
        {
            return (null, null);
        }
        var cluster = input.Context.ClusterName;
        var nodeGroups = security.SecurityGroups.Values.Where(g => g.Tags.TryGetValue("aws:eks:cluster-name", out var name) && (cluster is null || name == cluster)).ToList();
        if (nodeGroups.Count == 0)
        {
            return (null, null);
        }
        var lbGroups = input.LoadBalancer.SecurityGroups;
        var allowing = nodeGroups.SelectMany(g => g.Inbound.Where(r => r.AllowsTcp(port)
            && (r.Cidr is not null || (r.SourceGroupId is { } id && lbGroups.Contains(id)))).Select(r => (Group: g, Rule: r))).ToList();
        if (allowing.Count > 0)
        {
            var (group, rule) = allowing[0];
            return ($"EC2: {group.GroupName} ({group.GroupId}) allows tcp {port} from {rule.Source}, so look at network ACLs, the pod's own network policy and the health-check timeout", null);
        }
        var target = nodeGroups[0];
        var source = lbGroups.Count > 0 ? $"--source-group {lbGroups[0]}" : "--cidr <the VPC CIDR>";
        return ($"EC2: {target.GroupName} ({target.GroupId}) has no inbound rule for tcp {port} from {(lbGroups.Count > 0 ? string.Join(", ", lbGroups) : "the VPC")}",
            $"Add the missing rule: aws ec2 authorize-security-group-ingress --group-id {target.GroupId} --protocol tcp --port {port.ToString(CultureInfo.InvariantCulture)} {source} (the controller adds it itself when its backend security group is managed: check its --enable-backend-security-group flag and IAM ec2:AuthorizeSecurityGroupIngress).");
    }
}
