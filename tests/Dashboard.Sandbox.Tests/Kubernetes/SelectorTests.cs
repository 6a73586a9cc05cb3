using System.Net;
using System.Text.Json.Nodes;
using Dashboard.Sandbox.Kubernetes;
using Dashboard.Sandbox.Kubernetes.Api;

namespace Dashboard.Sandbox.Tests.Kubernetes;

public sealed class SelectorTests
{
    private static JsonObject WithLabels(string json) => new() { ["metadata"] = new JsonObject { ["labels"] = JsonNode.Parse(json) } };

    [Theory]
    [InlineData("app=web", true)]
    [InlineData("app==web", true)]
    [InlineData("app!=web", false)]
    [InlineData("app!=db", true)]
    [InlineData("tier in (front, back)", true)]
    [InlineData("tier notin (front,back)", false)]
    [InlineData("tier notin (data)", true)]
    [InlineData("missing notin (x)", true)]
    [InlineData("app", true)]
    [InlineData("!app", false)]
    [InlineData("!missing", true)]
    [InlineData("app=web,tier in (front),!legacy", true)]
    [InlineData("app=web,legacy", false)]
    [InlineData("example.com/owner=team-a", true)]
    [InlineData("", true)]
    public void Label_selector_grammar_matches_as_kubernetes_does(string selector, bool expected)
    {
        var obj = WithLabels("""{"app":"web","tier":"front","example.com/owner":"team-a"}""");

        Assert.Equal(expected, LabelSelector.Parse(selector).Matches(obj));
    }

    [Theory]
    [InlineData("app in (a")]
    [InlineData("app in ()")]
    [InlineData("-bad-=x")]
    [InlineData("app=a b")]
    [InlineData("app,,tier")]
    public void Malformed_label_selectors_are_400_naming_the_selector(string selector)
    {
        var error = Assert.Throws<StoreException>(() => LabelSelector.Parse(selector));

        Assert.Equal(HttpStatusCode.BadRequest, error.Code);
        Assert.Contains("unable to parse requirement", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Field_selector_reads_dotted_paths_with_equality_and_inequality()
    {
        var pod = JsonNode.Parse("""{"metadata":{"name":"p","namespace":"mlops"},"spec":{"nodeName":"ip-10-0-1-5"},"status":{"phase":"Running"}}""")!.AsObject();

        Assert.True(FieldSelector.Parse("spec.nodeName=ip-10-0-1-5,status.phase!=Pending").Matches(pod));
        Assert.False(FieldSelector.Parse("metadata.namespace==default").Matches(pod));
        Assert.True(FieldSelector.Parse("spec.missing=").Matches(pod));
        Assert.Equal("x", FieldSelector.Parse("metadata.name=x").PinnedName);
        Assert.Equal(HttpStatusCode.BadRequest, Assert.Throws<StoreException>(() => FieldSelector.Parse("metadata.name")).Code);
    }
}
