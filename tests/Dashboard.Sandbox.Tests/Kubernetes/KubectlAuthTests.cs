using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Dashboard.Sandbox.Tests.Kubernetes;

/// <summary>
/// <c>kubectl auth whoami</c> and <c>kubectl auth can-i</c> for the kubeconfig's user, a cluster admin (groups
/// <c>system:masters</c>, <c>system:authenticated</c>). kubectl sends the reviews as protobuf and accepts JSON back.
/// </summary>
public sealed class KubectlAuthTests(KubectlFixture fixture) : IClassFixture<KubectlFixture>
{
    [Fact]
    public async Task Whoami_prints_the_admin_user_and_its_groups()
    {
        var table = (await fixture.RunAsync("auth", "whoami")).Succeeded();
        var json = JsonNode.Parse((await fixture.RunAsync("auth", "whoami", "-o", "json")).Succeeded().Stdout)!;

        Assert.Matches(@"^ATTRIBUTE\s+VALUE\nUsername\s+kubernetes-admin\nGroups\s+\[system:masters system:authenticated\]\n$", table.Stdout);
        Assert.Equal("SelfSubjectReview", json["kind"]!.ToString());
        Assert.Equal("authentication.k8s.io/v1", json["apiVersion"]!.ToString());
        Assert.Equal("kubernetes-admin", json["status"]!["userInfo"]!["username"]!.ToString());
    }

    [Theory]
    [InlineData("create", "deployments.apps", "-n", "kapi-test")]
    [InlineData("delete", "pods", "--all-namespaces")]
    [InlineData("patch", "services/status", "-n", "kapi-test")]
    [InlineData("get", "/healthz")]
    [InlineData("*", "*")]
    public async Task Can_i_answers_yes_for_the_admin(params string[] question)
    {
        var result = (await fixture.RunAsync(["auth", "can-i", .. question])).Succeeded();

        Assert.Equal("yes", result.Stdout.Trim());
    }

    [Fact]
    public async Task Can_i_list_shows_every_verb_on_everything()
    {
        var result = (await fixture.RunAsync("auth", "can-i", "--list", "-n", KubectlFixture.Namespace)).Succeeded();

        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^Resources\s+Non-Resource URLs\s+Resource Names\s+Verbs$", lines[0]);
        Assert.Matches(@"^\*\.\*\s+\[\]\s+\[\]\s+\[\*\]$", lines[1]);
        Assert.Matches(@"^\s+\[\*\]\s+\[\]\s+\[\*\]$", lines[2]);
    }

    [Fact]
    public async Task An_access_review_without_attributes_is_invalid_and_reviews_are_create_only()
    {
        using var http = new HttpClient { BaseAddress = fixture.Host.KubernetesUri };
        var review = """{"kind":"SelfSubjectAccessReview","apiVersion":"authorization.k8s.io/v1","spec":{}}""";

        using var invalid = await http.PostAsync("/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", new StringContent(review, Encoding.UTF8, "application/json"));
        using var list = await http.GetAsync("/apis/authorization.k8s.io/v1/selfsubjectaccessreviews");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, invalid.StatusCode);
        Assert.Contains("exactly one of nonResourceAttributes or resourceAttributes must be specified", await invalid.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, list.StatusCode);
    }
}
