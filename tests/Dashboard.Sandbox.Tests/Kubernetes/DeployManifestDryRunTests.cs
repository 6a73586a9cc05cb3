namespace Dashboard.Sandbox.Tests.Kubernetes;

/// <summary>
/// The dashboard's own manifests (deploy/, a kustomize base and overlays) rendered by kubectl's built-in kustomize and
/// applied with a server-side dry run against the sandbox API: every kind in them (Namespace, ServiceAccount, RBAC,
/// ConfigMap, Deployment, Service, Ingress, PodDisruptionBudget) must pass the server's checks; the list of kinds the
/// sandbox does not serve is empty and asserted, so a new kind in the manifests cannot slip past unchecked.
/// </summary>
public sealed class DeployManifestDryRunTests(KubectlFixture fixture) : IClassFixture<KubectlFixture>
{
    private static readonly string[] NotServedBySandbox = [];

    [Theory]
    [InlineData("sandbox")]
    [InlineData("eks")]
    public async Task The_rendered_overlay_passes_a_server_side_dry_run_for_every_kind_the_sandbox_serves(string overlay)
    {
        var rendered = (await fixture.RunAsync("kustomize", Path.Combine(RepositoryRoot(), "deploy", "overlays", overlay))).Succeeded().Stdout;
        var documents = rendered.Split("\n---\n", StringSplitOptions.RemoveEmptyEntries);
        var kinds = documents.Select(KindOf).ToList();
        Assert.Contains("Deployment", kinds);

        var served = documents.Where(d => !NotServedBySandbox.Contains(KindOf(d))).ToList();
        Assert.Equal(NotServedBySandbox, kinds.Where(NotServedBySandbox.Contains).Distinct().Order(StringComparer.Ordinal));
        fixture.EnsureNamespace("endpoint-dashboard");
        var file = fixture.WriteFile($"rendered-{overlay}.yaml", string.Join("\n---\n", served));
        var result = (await fixture.RunAsync("apply", "--dry-run=server", "-f", file)).Succeeded();

        foreach (var kind in served.Select(KindOf).Distinct())
        {
            Assert.Contains($"{kind.ToLowerInvariant()}", result.Stdout, StringComparison.OrdinalIgnoreCase);
        }
        Assert.Contains("(server dry run)", result.Stdout, StringComparison.Ordinal);
        // A dry run changes nothing: the Deployment was not created.
        Assert.NotEqual(0, (await fixture.RunAsync("get", "deployment", "endpoint-dashboard", "-n", "endpoint-dashboard")).ExitCode);
    }

    [Fact]
    public async Task A_kind_the_sandbox_does_not_serve_is_refused_by_name_not_ignored()
    {
        // NetworkPolicy: a kind the dashboard's manifests do not use and the sandbox does not serve.
        var file = fixture.WriteFile("netpol.yaml", """
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata:
              name: deny-all
              namespace: default
            spec:
              podSelector: {}
            """);

        // Client-side validation off: the server itself answers, as a cluster without the API would.
        var result = await fixture.RunAsync("apply", "--dry-run=server", "--validate=false", "-f", file);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("no matches for kind \"NetworkPolicy\" in version \"networking.k8s.io/v1\"", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_PodDisruptionBudget_is_stored_with_a_generation_and_read_back_as_kubectl_wrote_it()
    {
        fixture.EnsureNamespace("endpoint-dashboard");
        var file = fixture.WriteFile("pdb.yaml", File.ReadAllText(Path.Combine(RepositoryRoot(), "deploy", "base", "pdb.yaml")));

        (await fixture.RunAsync("apply", "-f", file)).Succeeded();
        var stored = (await fixture.RunAsync("get", "pdb", "endpoint-dashboard", "-n", "endpoint-dashboard", "-o", "jsonpath={.metadata.generation} {.spec.minAvailable}")).Succeeded().Stdout;

        Assert.Equal("1 1", stored.Trim());
    }

    private static string KindOf(string document) =>
        document.Split('\n').Select(line => line.Trim()).First(line => line.StartsWith("kind:", StringComparison.Ordinal))["kind:".Length..].Trim();

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
