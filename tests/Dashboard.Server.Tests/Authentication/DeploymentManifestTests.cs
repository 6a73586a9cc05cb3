using System.Text.Json;
using Dashboard.Client.Authorization;
using YamlDotNet.RepresentationModel;

namespace Dashboard.Server.Tests.Authentication;

/// <summary>The files under deploy/ are well-formed and as narrow as docs/security.md says.</summary>
public sealed class DeploymentManifestTests
{
    private static readonly string DeployFolder = Path.Combine(RepositoryRoot(), "deploy");

    [Fact]
    public void Rbac_reads_without_secrets_and_writes_only_services_ingresses_and_their_events()
    {
        var documents = LoadYaml("rbac.yaml");
        var reader = Single(documents, "ClusterRole", "endpoint-dashboard-reader");
        var operatorRole = Single(documents, "ClusterRole", "endpoint-dashboard-operator");

        var readRules = Rules(reader);
        Assert.NotEmpty(readRules);
        foreach (var rule in readRules)
        {
            Assert.Equal(["get", "list", "watch"], rule.Verbs);
            Assert.DoesNotContain("secrets", rule.Resources);
            Assert.DoesNotContain("*", rule.Resources);
            Assert.DoesNotContain("*", rule.ApiGroups);
        }
        string[] shown = ["services", "endpointslices", "ingresses", "targetgroupbindings", "pods", "nodes"];
        foreach (var resource in shown)
        {
            Assert.Contains(readRules, rule => rule.Resources.Contains(resource));
        }

        var writeRules = Rules(operatorRole);
        Assert.Equal(
            ["/events:create", "/services:create", "/services:delete", "/services:patch", "networking.k8s.io/ingresses:create", "networking.k8s.io/ingresses:delete", "networking.k8s.io/ingresses:patch"],
            writeRules.SelectMany(rule => rule.ApiGroups.SelectMany(group => rule.Resources.SelectMany(resource => rule.Verbs.Select(verb => $"{group}/{resource}:{verb}")))).Order().ToList());

        foreach (var document in documents.Where(document => Text(document, "kind") is "ClusterRole" or "Role"))
        {
            Assert.All(Rules(document), rule => Assert.DoesNotContain("secrets", rule.Resources));
        }
        var account = Single(documents, "ServiceAccount", "endpoint-dashboard");
        Assert.Equal("endpoint-dashboard", Text(account, "metadata", "namespace"));
    }

    [Fact]
    public void Iam_policy_allows_exactly_the_documented_read_actions()
    {
        using var policy = JsonDocument.Parse(File.ReadAllText(Path.Combine(DeployFolder, "iam-policy.json")));
        Assert.Equal("2012-10-17", policy.RootElement.GetProperty("Version").GetString());
        var actions = new List<string>();
        foreach (var statement in policy.RootElement.GetProperty("Statement").EnumerateArray())
        {
            Assert.Equal("Allow", statement.GetProperty("Effect").GetString());
            Assert.False(statement.TryGetProperty("NotAction", out _));
            actions.AddRange(statement.GetProperty("Action").EnumerateArray().Select(action => action.GetString()!));
        }
        Assert.Equal(
            ["acm:DescribeCertificate", "acm:ListCertificates", "ce:GetCostAndUsage*", "ce:GetCostForecast", "cloudwatch:GetMetricData",
                "ec2:DescribeSecurityGroups", "ec2:DescribeSubnets", "elasticloadbalancing:Describe*", "wafv2:GetWebACLForResource", "wafv2:ListWebACLs"],
            actions.Order(StringComparer.Ordinal).ToList());
    }

    [Fact]
    public void Entra_app_roles_are_the_dashboard_roles_with_unique_ids()
    {
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(DeployFolder, "entra-app-roles.json")));
        var roles = manifest.RootElement.GetProperty("appRoles").EnumerateArray().ToList();
        Assert.Equal(DashboardRoles.All, roles.Select(role => role.GetProperty("value").GetString()!).ToList());
        var ids = roles.Select(role => Guid.Parse(role.GetProperty("id").GetString()!)).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.All(roles, role => Assert.Equal("User", Assert.Single(role.GetProperty("allowedMemberTypes").EnumerateArray()).GetString()));
        Assert.EndsWith("/signin-oidc", manifest.RootElement.GetProperty("web").GetProperty("redirectUris")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Dashboard_deployment_uses_the_service_account_health_endpoints_and_a_sticky_alb()
    {
        var documents = LoadYaml("dashboard.yaml");
        var deployment = Single(documents, "Deployment", "endpoint-dashboard");
        var pod = Node(deployment, "spec", "template", "spec");
        Assert.Equal("endpoint-dashboard", Text(pod, "serviceAccountName"));
        var container = (YamlMappingNode)((YamlSequenceNode)Node(pod, "containers")).Children[0];
        Assert.Equal("/healthz/ready", Text(container, "readinessProbe", "httpGet", "path"));
        Assert.Equal("/healthz/live", Text(container, "livenessProbe", "httpGet", "path"));
        var env = ((YamlSequenceNode)Node(container, "env")).Children.Cast<YamlMappingNode>().ToDictionary(e => Text(e, "name")!);
        Assert.NotEqual("Unsecured", Text(env["Dashboard__Auth__Mode"], "value"));
        Assert.Null(Text(env["Dashboard__Auth__Oidc__ClientSecret"], "value"));
        Assert.Equal("endpoint-dashboard-oidc", Text(env["Dashboard__Auth__Oidc__ClientSecret"], "valueFrom", "secretKeyRef", "name"));
        Assert.Equal("false", Text(container, "securityContext", "allowPrivilegeEscalation"));

        var ingress = Single(documents, "Ingress", "endpoint-dashboard");
        var attributes = Text(ingress, "metadata", "annotations", "alb.ingress.kubernetes.io/target-group-attributes")!;
        Assert.Contains("stickiness.enabled=true", attributes.Split(','));
        Assert.Equal("/healthz/ready", Text(ingress, "metadata", "annotations", "alb.ingress.kubernetes.io/healthcheck-path"));
        Assert.Equal("ClusterIP", Text(Single(documents, "Service", "endpoint-dashboard"), "spec", "type"));
    }

    private sealed record Rule(List<string> ApiGroups, List<string> Resources, List<string> Verbs);

    private static List<Rule> Rules(YamlMappingNode role) =>
        [.. ((YamlSequenceNode)Node(role, "rules")).Children.Cast<YamlMappingNode>().Select(rule => new Rule(Strings(rule, "apiGroups"), Strings(rule, "resources"), Strings(rule, "verbs")))];

    private static List<string> Strings(YamlMappingNode node, string key) =>
        [.. ((YamlSequenceNode)node.Children[new YamlScalarNode(key)]).Children.Select(child => ((YamlScalarNode)child).Value!)];

    private static List<YamlMappingNode> LoadYaml(string file)
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(Path.Combine(DeployFolder, "base", file));
        stream.Load(reader);
        return [.. stream.Documents.Select(document => (YamlMappingNode)document.RootNode)];
    }

    private static YamlMappingNode Single(List<YamlMappingNode> documents, string kind, string name) =>
        Assert.Single(documents, document => Text(document, "kind") == kind && Text(document, "metadata", "name") == name);

    private static YamlNode Node(YamlNode node, params string[] path)
    {
        foreach (var key in path)
        {
            node = ((YamlMappingNode)node).Children[new YamlScalarNode(key)];
        }
        return node;
    }

    private static string? Text(YamlNode node, params string[] path)
    {
        foreach (var key in path)
        {
            if (node is not YamlMappingNode mapping || !mapping.Children.TryGetValue(new YamlScalarNode(key), out var child))
            {
                return null;
            }
            node = child;
        }
        return (node as YamlScalarNode)?.Value;
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Dashboard.sln")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException("Dashboard.sln not found above " + AppContext.BaseDirectory);
    }
}
