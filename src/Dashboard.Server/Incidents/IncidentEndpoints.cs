using Dashboard.Client.Authorization;
using Dashboard.Client.Feed;
using Dashboard.Client.Model;
using Dashboard.Server.Api;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Dashboard.Server.Incidents;

/// <summary>
/// <c>GET /api/v1/incidents</c> and <c>GET /api/v1/endpoints/{kind}/{namespace}/{name}/incidents</c> (Viewer): the incident
/// history the Triage and endpoint pages show, newest first, from the same feed.
/// </summary>
public static class IncidentEndpoints
{
    internal static void Map(IEndpointRouteBuilder app)
    {
        var api = ApiEndpoints.V1Group(app);
        api.MapGet("/incidents", List)
            .WithName("ListIncidents").WithSummary("The incident history of every endpoint (open and cleared), newest first")
            .RequireAuthorization(DashboardPolicies.Viewer)
            .Produces<ListPage<IncidentDto>>()
            .ProducesProblem(StatusCodes.Status400BadRequest, ApiProblems.ContentType)
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity, ApiProblems.ContentType);
        api.MapGet("/endpoints/{kind}/{namespace}/{name}/incidents", ListForEndpoint)
            .WithName("ListEndpointIncidents").WithSummary("One endpoint's incident history, newest first")
            .RequireAuthorization(DashboardPolicies.Viewer)
            .Produces<ListPage<IncidentDto>>()
            .ProducesProblem(StatusCodes.Status400BadRequest, ApiProblems.ContentType)
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity, ApiProblems.ContentType);
    }

    /// <summary>Sorts newest start first (keyset paging walks keys in ordinal order).</summary>
    internal static string Key(EndpointIncident incident) => $"{long.MaxValue - incident.StartedAt.ToUnixTimeMilliseconds():D19}|{incident.Id}";

    private static IResult List(IDashboardFeed feed, TimeProvider time, [AsParameters] IncidentParameters query)
    {
        var (request, problem) = ApiPaging.Parse("incidents", query.Limit, query.Continue, query.Namespace);
        if (request is null)
        {
            return problem!;
        }
        if (StateFilter(query.State, out var stateProblem) is var open && stateProblem is not null)
        {
            return stateProblem;
        }
        var rows = feed.Incidents.Snapshot.Where(i => (request.Namespace is null || i.Endpoint.Namespace == request.Namespace) && (open is null || i.Open == open));
        return Page(rows, request, time.GetUtcNow());
    }

    private static IResult ListForEndpoint(IDashboardFeed feed, TimeProvider time, string kind, [FromRoute(Name = "namespace")] string ns, string name,
        [AsParameters] IncidentParameters query)
    {
        if (!TopologyUrls.TryParseKind(kind, out var objectKind) || kind != kind.ToLowerInvariant())
        {
            return ApiProblems.BadRequest("unknownKind", $"'{kind}' is not a kind of endpoint.", "Kinds in paths are lower-case singular: service or ingress.");
        }
        var (request, problem) = ApiPaging.Parse("endpoint-incidents", query.Limit, query.Continue, ns);
        if (request is null)
        {
            return problem!;
        }
        if (StateFilter(query.State, out var stateProblem) is var open && stateProblem is not null)
        {
            return stateProblem;
        }
        var endpoint = new ObjectRef(objectKind, ns, name);
        var rows = feed.Incidents.Snapshot.Where(i => i.Endpoint == endpoint && (open is null || i.Open == open));
        return Page(rows, request, time.GetUtcNow());
    }

    private static bool? StateFilter(string? state, out IResult? problem)
    {
        problem = null;
        switch (state)
        {
            case null:
                return null;
            case "open":
                return true;
            case "cleared":
                return false;
            default:
                problem = ApiProblems.Validation(new Dictionary<string, string[]> { ["state"] = [$"state '{state}' is not known: use open or cleared (or leave it out for both)."] });
                return null;
        }
    }

    private static Ok<ListPage<IncidentDto>> Page(IEnumerable<EndpointIncident> rows, ApiPaging.ListRequest request, DateTimeOffset now)
    {
        var page = ApiPaging.Page("incidents", rows, Key, request);
        return TypedResults.Ok(new ListPage<IncidentDto>([.. page.Items.Select(i => Map(i, now))], page.Continue));
    }

    internal static IncidentDto Map(EndpointIncident i, DateTimeOffset now) => new()
    {
        Id = i.Id,
        Endpoint = ApiMapping.Ref(i.Endpoint),
        State = i.Open ? "open" : "cleared",
        Severity = Camel(i.Severity.ToString()),
        Summary = i.Summary,
        StartedAt = i.StartedAt,
        ClearedAt = i.ClearedAt,
        LastSeenAt = i.LastSeenAt,
        DurationSeconds = Math.Round(i.Duration(now).TotalSeconds),
        ClearedWhileUnwatched = i.ClearedWhileUnwatched,
        Causes = [.. i.Causes.Select(c => new IncidentCauseDto(c.Code, c.Title, Camel(c.Severity.ToString()), c.FirstSeenAt))],
        Targets = [.. i.Targets.Select(t => new IncidentTargetDto(Camel(t.Kind.ToString()), t.Id, t.Port, t.TargetGroupName, t.State, t.Reason, t.Code, t.Pod, t.FirstSeenAt))],
        PeakItems = i.PeakItems,
        LoadBalancers = i.LoadBalancers,
        OpenedBy = i.OpenedBy,
        ClearedBy = i.ClearedBy,
        PrecededBy = PrecedingChangeDto.Of(i.PrecededBy),
    };

    private static string Camel(string name) => name.Length == 0 ? name : char.ToLowerInvariant(name[0]) + name[1..];

    /// <summary>The list parameters plus <c>state</c> (open or cleared).</summary>
    internal sealed class IncidentParameters
    {
        [FromQuery(Name = "limit")]
        public string? Limit { get; init; }

        [FromQuery(Name = "continue")]
        public string? Continue { get; init; }

        [FromQuery(Name = "namespace")]
        public string? Namespace { get; init; }

        /// <summary><c>open</c> or <c>cleared</c>; both when absent.</summary>
        [FromQuery(Name = "state")]
        public string? State { get; init; }
    }
}

/// <summary>One incident of an endpoint (docs/api.md, "Incidents").</summary>
public sealed record IncidentDto
{
    public required string Id { get; init; }
    public required ObjectRefDto Endpoint { get; init; }
    /// <summary><c>open</c> or <c>cleared</c>.</summary>
    public required string State { get; init; }
    /// <summary>The worst it reached: outage, degraded or stuck.</summary>
    public required string Severity { get; init; }
    public required string Summary { get; init; }
    public required DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset? ClearedAt { get; init; }
    /// <summary>The last time the recording replica saw it open.</summary>
    public required DateTimeOffset LastSeenAt { get; init; }
    public required double DurationSeconds { get; init; }
    /// <summary>True when it cleared while no replica watched (between <c>lastSeenAt</c> and <c>clearedAt</c>).</summary>
    public required bool ClearedWhileUnwatched { get; init; }
    public required IReadOnlyList<IncidentCauseDto> Causes { get; init; }
    public required IReadOnlyList<IncidentTargetDto> Targets { get; init; }
    public required int PeakItems { get; init; }
    public required IReadOnlyList<string> LoadBalancers { get; init; }
    public required string OpenedBy { get; init; }
    public string? ClearedBy { get; init; }
    /// <summary>The change in the cluster that shortly preceded the incident, when the server saw one.</summary>
    public PrecedingChangeDto? PrecededBy { get; init; }
}

public sealed record IncidentCauseDto(string Code, string Title, string Severity, DateTimeOffset FirstSeenAt);

public sealed record IncidentTargetDto(string Kind, string Id, int Port, string TargetGroup, string State, string? Reason, string Code, string? Pod, DateTimeOffset FirstSeenAt);
