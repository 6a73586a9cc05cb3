using System.Net;
using Dashboard.Server.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Dashboard.Server.Tests.Api;

/// <summary>Keyset paging and the validation of list parameters, without a server.</summary>
public sealed class ApiPagingTests
{
    private static readonly IReadOnlyList<string> TenThousandRows = [.. Enumerable.Range(0, 10_000).Select(i => $"ns-{i % 37}\0svc-{i:D5}")];

    [Fact]
    public void Ten_thousand_rows_are_never_one_answer_and_every_row_comes_exactly_once()
    {
        var seen = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var (request, problem) = ApiPaging.Parse("services", null, token, null);
            Assert.Null(problem);
            var page = ApiPaging.Page("services", TenThousandRows, r => r, request!);
            Assert.InRange(page.Items.Count, 1, ApiPaging.DefaultLimit);
            seen.AddRange(page.Items);
            token = page.Continue;
            pages++;
        }
        while (token is not null && pages < 100);

        Assert.Equal(10_000 / ApiPaging.DefaultLimit, pages);
        Assert.Equal(TenThousandRows.Order(StringComparer.Ordinal), seen);
    }

    [Fact]
    public void The_continue_token_is_the_same_for_the_same_snapshot_and_request()
    {
        var (request, _) = ApiPaging.Parse("services", "7", null, null);

        var first = ApiPaging.Page("services", TenThousandRows, r => r, request!);
        var again = ApiPaging.Page("services", TenThousandRows.Reverse(), r => r, request!);

        Assert.NotNull(first.Continue);
        Assert.Equal(first.Continue, again.Continue);
        Assert.Equal(first.Items, again.Items);
    }

    [Fact]
    public void The_last_page_has_no_continue_token()
    {
        var (request, _) = ApiPaging.Parse("services", "1000", null, null);

        var page = ApiPaging.Page("services", TenThousandRows.Take(1000), r => r, request!);

        Assert.Equal(1000, page.Items.Count);
        Assert.Null(page.Continue);
    }

    [Theory]
    [InlineData("not-a-token")]
    [InlineData("eyJ9")]
    [InlineData("%%%")]
    public void A_token_not_made_here_is_a_400_problem(string token)
    {
        var (request, problem) = ApiPaging.Parse("services", null, token, null);

        Assert.Null(request);
        var result = Assert.IsType<ProblemHttpResult>(problem);
        Assert.Equal((int)HttpStatusCode.BadRequest, result.StatusCode);
        Assert.Equal("badContinueToken", result.ProblemDetails.Extensions["code"]);
    }

    [Fact]
    public void A_token_of_another_list_is_a_400_problem()
    {
        var (request, _) = ApiPaging.Parse("services", "1", null, null);
        var token = ApiPaging.Page("services", TenThousandRows, r => r, request!).Continue;

        var (_, problem) = ApiPaging.Parse("ingresses", null, token, null);

        Assert.Equal((int)HttpStatusCode.BadRequest, Assert.IsType<ProblemHttpResult>(problem).StatusCode);
    }

    [Theory]
    [InlineData("0", null, "limit")]
    [InlineData("1001", null, "limit")]
    [InlineData("ten", null, "limit")]
    [InlineData("-5", null, "limit")]
    [InlineData(null, "Not_A_Namespace", "namespace")]
    [InlineData(null, "-leading-dash", "namespace")]
    public void Values_out_of_range_are_a_422_problem_naming_the_parameter(string? limit, string? ns, string field)
    {
        var (request, problem) = ApiPaging.Parse("services", limit, null, ns);

        Assert.Null(request);
        var result = Assert.IsType<ProblemHttpResult>(problem);
        Assert.Equal(StatusCodes.Status422UnprocessableEntity, result.StatusCode);
        var details = Assert.IsType<HttpValidationProblemDetails>(result.ProblemDetails);
        Assert.Equal([field], details.Errors.Keys);
        Assert.NotEmpty(details.Errors[field]);
    }
}
