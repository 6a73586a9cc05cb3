using Dashboard.Client.Authorization;
using Dashboard.Client.Exposed;
using Dashboard.Client.Feed;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;

namespace Dashboard.Server.Api;

/// <summary>
/// <c>GET /api/v1/exposed</c>: every exposed address with scheme, type, source ranges, WAF and TLS — the rows of the
/// Exposed endpoints page, built by the same function from the same feed. JSON pages by default; CSV (the page's
/// Download CSV, every row) with <c>format=csv</c> or <c>Accept: text/csv</c>.
/// </summary>
internal static class ExposedApi
{
    internal static void Map(RouteGroupBuilder api) =>
        api.MapGet("/exposed", List)
            .WithName("ListExposed").WithSummary("Exposed endpoints: URLs and DNS names with scheme, ALB/NLB, source ranges, WAF and TLS (format=csv or Accept: text/csv for CSV)")
            .RequireAuthorization(DashboardPolicies.Viewer)
            .Produces<ListPage<ExposedEndpointDto>>()
            .ProducesProblem(StatusCodes.Status400BadRequest, ApiProblems.ContentType)
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity, ApiProblems.ContentType);

    private static IResult List(IDashboardFeed feed, HttpContext context, [AsParameters] ApiEndpoints.ListParameters query, [FromQuery] string? format)
    {
        if (format is not null and not ("json" or "csv"))
        {
            return ApiProblems.Validation(new Dictionary<string, string[]> { ["format"] = [$"'{format}' is not a format: use json (the default) or csv."] });
        }
        var csv = format == "csv" || (format is null && context.Request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("text/csv", StringComparison.OrdinalIgnoreCase)));
        var (request, problem) = ApiPaging.Parse("exposed", csv ? null : query.Limit, csv ? null : query.Continue, query.Namespace);
        if (request is null)
        {
            return problem!;
        }
        var rows = new ExposedFeed(feed).Snapshot.Where(r => request.Namespace is null || r.Namespace == request.Namespace);
        if (csv)
        {
            context.Response.Headers[HeaderNames.ContentDisposition] = "attachment; filename=\"exposed-endpoints.csv\"";
            return TypedResults.Text(ExposedEndpoints.ToCsv(rows), "text/csv; charset=utf-8");
        }
        var page = ApiPaging.Page("exposed", rows, r => $"{r.Namespace}\0{r.Endpoint.Name}\0{r.Endpoint.Kind}", request);
        return TypedResults.Ok(new ListPage<ExposedEndpointDto>([.. page.Items.Select(ExposedEndpointDto.From)], page.Continue));
    }
}

/// <summary>
/// One exposed address: the endpoint, the URLs it answers on, the balancer's DNS name, <c>type</c> (ALB, NLB, CLB), the
/// effective <c>scheme</c>, <c>sourceRanges</c> (empty: the default, every address), <c>openToEveryone</c> (internet-facing
/// and not narrowed), the WAF ACL ARN, the certificate ARN(s) and ssl-redirect port.
/// </summary>
public sealed record ExposedEndpointDto(ObjectRefDto Endpoint, IReadOnlyList<string> Urls, string? DnsName, string Type, string Scheme,
    IReadOnlyList<string> SourceRanges, bool OpenToEveryone, string? WafAclArn, string? CertificateArn, string? SslRedirect)
{
    internal static ExposedEndpointDto From(ExposedEndpoint r) => new(ApiMapping.Ref(r.Endpoint), r.Urls, r.DnsName, r.BalancerType, r.Scheme,
        r.SourceRanges, r.OpenToEveryone, r.WafAclArn, r.CertificateArn, r.SslRedirect);
}
