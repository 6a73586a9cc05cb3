using Dashboard.Client.Authorization;
using Dashboard.Client.Feed;
using Dashboard.Client.Model;
using Dashboard.Server.Changes;
using Dashboard.Server.Costs;
using Microsoft.AspNetCore.Mvc;

namespace Dashboard.Server.Api;

/// <summary>The HTTP API, version 1 (docs/api.md): its read endpoints. Every answer is read from the feeds the pages consume; the writes are the guided changes (Changes/).</summary>
public static class ApiEndpoints
{
    public const string Prefix = "/api/v1";

    /// <summary>How long <c>/costs</c> waits for the first cost report before answering 503.</summary>
    internal static readonly TimeSpan CostReportWait = TimeSpan.FromSeconds(10);

    public static bool IsApi(PathString path) => path.StartsWithSegments(Prefix, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The /api/v1 group every feature maps into (read API, changes, verify, incidents…): one OpenAPI tag, the one
    /// rate limiter instance (AddEndpointFilter&lt;T&gt; would make a new filter, and so a new limiter, per request) and
    /// the problems any call can answer.
    /// </summary>
    internal static RouteGroupBuilder V1Group(IEndpointRouteBuilder app) =>
        app.MapGroup(Prefix)
            .WithTags("v1")
            .AddEndpointFilter(app.ServiceProvider.GetRequiredService<ApiRateLimiter>())
            .ProducesProblem(StatusCodes.Status401Unauthorized, ApiProblems.ContentType)
            .ProducesProblem(StatusCodes.Status403Forbidden, ApiProblems.ContentType)
            .ProducesProblem(StatusCodes.Status429TooManyRequests, ApiProblems.ContentType);

    /// <summary>Writes inside <paramref name="api"/>: they need the request header a cross-site form cannot send.</summary>
    internal static RouteGroupBuilder Writes(RouteGroupBuilder api) =>
        api.MapGroup("").AddEndpointFilter(RequireRequestHeader)
            .ProducesProblem(StatusCodes.Status400BadRequest, ApiProblems.ContentType);

    /// <summary>The filter behind <see cref="Writes"/>, for a single write mapped outside such a group.</summary>
    internal static ValueTask<object?> RequireRequestHeader(EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        context.HttpContext.Request.Headers[ChangeEndpoints.RequestHeader] != "1"
            ? ValueTask.FromResult<object?>(ApiProblems.BadRequest("missingRequestHeader", $"The header {ChangeEndpoints.RequestHeader}: 1 is required.",
                $"Every write to /api/v1 carries {ChangeEndpoints.RequestHeader}: 1, which a cross-site form cannot send (docs/api.md)."))
            : next(context);

    internal static void Map(IEndpointRouteBuilder app)
    {
        var api = V1Group(app);

        api.MapGet("/services", ListServices)
            .WithName("ListServices").WithSummary("Services with decoded annotations and lints")
            .RequireAuthorization(DashboardPolicies.Viewer)
            .Produces<ListPage<ServiceDto>>()
            .ProducesListProblems();
        api.MapGet("/ingresses", ListIngresses)
            .WithName("ListIngresses").WithSummary("Ingresses with decoded ALB settings, annotations and lints")
            .RequireAuthorization(DashboardPolicies.Viewer)
            .Produces<ListPage<IngressDto>>()
            .ProducesListProblems();
        api.MapGet("/load-balancers", ListLoadBalancers)
            .WithName("ListLoadBalancers").WithSummary("Load balancers with owners, listeners, target groups, health, flags and data age")
            .RequireAuthorization(DashboardPolicies.Viewer)
            .Produces<ListPage<LoadBalancerDto>>()
            .ProducesListProblems();
        api.MapGet("/endpoints/{kind}/{namespace}/{name}", GetEndpoint)
            .WithName("GetEndpoint").WithSummary("One Service or Ingress: its chain to the targets, checklist and diagnoses")
            .RequireAuthorization(DashboardPolicies.Viewer)
            .Produces<EndpointDto>()
            .ProducesProblem(StatusCodes.Status400BadRequest, ApiProblems.ContentType)
            .ProducesProblem(StatusCodes.Status404NotFound, ApiProblems.ContentType)
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity, ApiProblems.ContentType);
        api.MapGet("/triage", ListTriage)
            .WithName("ListTriage").WithSummary("Triage cards: one per endpoint and cause, most severe first")
            .RequireAuthorization(DashboardPolicies.Viewer)
            .Produces<ListPage<TriageCardDto>>()
            .ProducesListProblems();
        api.MapGet("/costs", GetCosts)
            .WithName("GetCosts").WithSummary("The cost report; its balancers (with owners) paged in items")
            .RequireAuthorization(DashboardPolicies.CostReader)
            .Produces<CostReportDto>()
            .ProducesListProblems()
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable, ApiProblems.ContentType);
        api.MapGet("/sources", ListSources)
            .WithName("ListSources").WithSummary("The data sources (Kubernetes, AWS …), their state and the time of their last good data")
            .RequireAuthorization(DashboardPolicies.Viewer)
            .Produces<ListPage<SourceDto>>()
            .ProducesListProblems();
        MetricsEndpoints.Map(api);
        ExposedApi.Map(api);
        api.MapFallback("{**path}", UnknownPath)
            .RequireAuthorization(DashboardPolicies.SignedIn)
            .ExcludeFromDescription();
    }

    /// <summary>
    /// Anything else under /api/v1: a write method is 405 (the only writes are the guided changes under /api/v1/changes), an unknown path 404 — both as problems,
    /// not as empty answers.
    /// </summary>
    private static IResult UnknownPath(HttpContext context)
    {
        if (!HttpMethods.IsGet(context.Request.Method))
        {
            context.Response.Headers.Allow = "GET";
            return ApiProblems.Problem(StatusCodes.Status405MethodNotAllowed, "methodNotAllowed", "Method not allowed.",
                $"{context.Request.Method} is not allowed on {context.Request.Path}: it answers GET only; changes go through POST /api/v1/changes/plan and /api/v1/changes/{{planId}}/apply (docs/api.md).");
        }
        return ApiProblems.NotFound("No such endpoint.", $"{context.Request.Path} is not part of the API, version 1 (docs/api.md, /openapi/v1.json).");
    }

    private static RouteHandlerBuilder ProducesListProblems(this RouteHandlerBuilder builder) => builder
        .ProducesProblem(StatusCodes.Status400BadRequest, ApiProblems.ContentType)
        .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity, ApiProblems.ContentType);

    private static IResult ListServices(IDashboardFeed feed, [AsParameters] ListParameters query)
    {
        var (request, problem) = ApiPaging.Parse("services", query.Limit, query.Continue, query.Namespace);
        if (request is null)
        {
            return problem!;
        }
        var rows = feed.Services.Snapshot.Where(s => request.Namespace is null || s.Namespace == request.Namespace);
        return TypedResults.Ok(Page("services", rows, s => ObjectKey(s.Namespace, s.Name), ApiMapping.Service, request));
    }

    private static IResult ListIngresses(IDashboardFeed feed, [AsParameters] ListParameters query)
    {
        var (request, problem) = ApiPaging.Parse("ingresses", query.Limit, query.Continue, query.Namespace);
        if (request is null)
        {
            return problem!;
        }
        var rows = feed.Ingresses.Snapshot.Where(i => request.Namespace is null || i.Namespace == request.Namespace);
        return TypedResults.Ok(Page("ingresses", rows, i => ObjectKey(i.Namespace, i.Name), ApiMapping.Ingress, request));
    }

    private static IResult ListLoadBalancers(IDashboardFeed feed, [AsParameters] ListParameters query)
    {
        var (request, problem) = ApiPaging.Parse("load-balancers", query.Limit, query.Continue, query.Namespace);
        if (request is null)
        {
            return problem!;
        }
        // A balancer belongs to every namespace one of its owners is in (a shared ALB to several).
        var rows = feed.LoadBalancers.Snapshot
            .Where(lb => request.Namespace is null || lb.Owners.Any(o => o.Namespace == request.Namespace));
        return TypedResults.Ok(Page("load-balancers", rows, lb => $"{lb.Name}\0{lb.Arn}", ApiMapping.LoadBalancer, request));
    }

    private static IResult ListSources(IDashboardFeed feed, [AsParameters] ListParameters query)
    {
        var (request, problem) = ApiPaging.Parse("sources", query.Limit, query.Continue, query.Namespace);
        if (request is null)
        {
            return problem!;
        }
        // Sources belong to no namespace: a namespace filter keeps them all (what each list's rows depend on).
        return TypedResults.Ok(Page("sources", feed.Sources.Snapshot, s => s.Key, ApiMapping.Source, request));
    }

    private static IResult GetEndpoint(IDashboardFeed feed, string kind, [FromRoute(Name = "namespace")] string ns, string name)
    {
        ObjectKind? parsed = kind switch
        {
            "service" => ObjectKind.Service,
            "ingress" => ObjectKind.Ingress,
            _ => null,
        };
        if (parsed is not { } objectKind)
        {
            return ApiProblems.BadRequest("unknownKind", $"'{kind}' is not a kind of endpoint.",
                "Kinds in paths are lower-case singular: service or ingress.");
        }
        if (!ApiPaging.IsNamespaceName(ns))
        {
            return ApiProblems.Validation(new Dictionary<string, string[]>
            {
                ["namespace"] = ["namespace must be a Kubernetes namespace name (lower-case letters, digits and '-', at most 63 characters)."],
            });
        }
        var endpoint = new ObjectRef(objectKind, ns, name);
        var snapshot = feed.Endpoint(endpoint).Snapshot;
        return snapshot.IsEmpty
            ? ApiProblems.NotFound($"No endpoint {kind}/{ns}/{name}.",
                $"The dashboard knows no {ApiMapping.KindName(objectKind)} {ns}/{name} exposed through a load balancer (it does not exist, is not exposed, or the first join has not finished).")
            : TypedResults.Ok(ApiMapping.Endpoint(snapshot[0]));
    }

    private static IResult ListTriage(IDashboardFeed feed, [AsParameters] ListParameters query)
    {
        var (request, problem) = ApiPaging.Parse("triage", query.Limit, query.Continue, query.Namespace);
        if (request is null)
        {
            return problem!;
        }
        var items = feed.Triage.Snapshot.Where(t => request.Namespace is null || t.Endpoint.Namespace == request.Namespace);
        return TypedResults.Ok(ApiPaging.Page("triage", ApiMapping.TriageCards(items), ApiMapping.TriageCardKey, request));
    }

    private static async Task<IResult> GetCosts(ICostReportSource costs, [AsParameters] ListParameters query, CancellationToken cancellationToken)
    {
        var (request, problem) = ApiPaging.Parse("costs", query.Limit, query.Continue, query.Namespace);
        if (request is null)
        {
            return problem!;
        }
        CostReport report;
        using (var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            wait.CancelAfter(CostReportWait);
            try
            {
                report = await costs.GetReportAsync(wait.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return ApiProblems.Problem(StatusCodes.Status503ServiceUnavailable, "notReady", "The first cost report is still being built.",
                    "Try again in a few seconds.");
            }
        }
        var rows = report.Balancers.Where(b => request.Namespace is null || b.Owners.Any(o => o.Namespace == request.Namespace));
        var page = Page("costs", rows, b => $"{b.Name}\0{b.Arn}", ApiMapping.BalancerCost, request);
        return TypedResults.Ok(ApiMapping.CostReport(report, page));
    }

    private static ListPage<TDto> Page<TRow, TDto>(string list, IEnumerable<TRow> rows, Func<TRow, string> key, Func<TRow, TDto> map, ApiPaging.ListRequest request)
    {
        var page = ApiPaging.Page(list, rows, key, request);
        return new ListPage<TDto>([.. page.Items.Select(map)], page.Continue);
    }

    private static string ObjectKey(string ns, string name) => $"{ns}\0{name}";

    /// <summary>The query parameters of every list: <c>limit</c>, <c>continue</c>, <c>namespace</c>.</summary>
    internal sealed class ListParameters
    {
        /// <summary>Rows per page, 1–1000 (default 500).</summary>
        [FromQuery(Name = "limit")]
        public string? Limit { get; init; }

        /// <summary>The <c>continue</c> value of the previous page.</summary>
        [FromQuery(Name = "continue")]
        public string? Continue { get; init; }

        /// <summary>Only rows of this namespace.</summary>
        [FromQuery(Name = "namespace")]
        public string? Namespace { get; init; }
    }
}
