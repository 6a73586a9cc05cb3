using System.Globalization;
using System.Security.Claims;
using Dashboard.Client.Authorization;
using Dashboard.Client.Changes;
using Dashboard.Server.Api;
using Microsoft.AspNetCore.Mvc;

namespace Dashboard.Server.Changes;

/// <summary>
/// The write part of the HTTP API v1 (docs/api.md): plan, apply, progress, rollback and the audit trail — the same
/// <see cref="IChangeService"/> the wizard calls. Every POST needs <c>X-Dashboard-Request: 1</c> (a cross-site form cannot
/// send it); planning needs Viewer, applying Operator.
/// </summary>
public static class ChangeEndpoints
{
    public const string RequestHeader = "X-Dashboard-Request";

    internal static void Map(IEndpointRouteBuilder app)
    {
        var api = ApiEndpoints.V1Group(app);
        var writes = ApiEndpoints.Writes(api);

        writes.MapPost("/changes/plan", PlanAsync)
            .WithName("PlanChange").WithSummary("Validate a change, dry-run it on the API server and diff it against the live object (nothing is applied)")
            .RequireAuthorization(DashboardPolicies.Viewer)
            .Accepts<ChangeRequest>("application/json")
            .Produces<PlanDto>()
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity, ApiProblems.ContentType)
            .ProducesProblem(StatusCodes.Status404NotFound, ApiProblems.ContentType);
        writes.MapPost("/changes/{planId}/apply", ApplyAsync)
            .WithName("ApplyChange").WithSummary("Apply a plan with server-side apply (field manager endpoint-dashboard); Operator")
            .RequireAuthorization(DashboardPolicies.Operator)
            .Produces<ApplyDto>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status404NotFound, ApiProblems.ContentType)
            .ProducesProblem(StatusCodes.Status409Conflict, ApiProblems.ContentType)
            .ProducesProblem(StatusCodes.Status410Gone, ApiProblems.ContentType)
            .ProducesProblem(StatusCodes.Status502BadGateway, ApiProblems.ContentType);
        writes.MapPost("/changes/{changeId}/rollback", RollbackAsync)
            .WithName("PlanRollback").WithSummary("A new plan that restores the state before a change (apply it like any plan)")
            .RequireAuthorization(DashboardPolicies.Viewer)
            .Produces<PlanDto>()
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity, ApiProblems.ContentType)
            .ProducesProblem(StatusCodes.Status404NotFound, ApiProblems.ContentType);
        api.MapGet("/changes/access", GetAccess)
            .WithName("GetChangeAccess").WithSummary("What the signed-in user may change: read-only switch, Operator role, namespace scopes (pages hide the rest)")
            .RequireAuthorization(DashboardPolicies.Viewer)
            .Produces<ChangeAccessDto>()
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity, ApiProblems.ContentType);
        api.MapGet("/changes/{changeId}", GetChangeAsync)
            .WithName("GetChange").WithSummary("A change's audit entry and its progress: accepted → reconciled → active → address → targets healthy")
            .RequireAuthorization(DashboardPolicies.Viewer)
            .Produces<ChangeDto>()
            .ProducesProblem(StatusCodes.Status404NotFound, ApiProblems.ContentType);
        api.MapGet("/audit", ListAuditAsync)
            .WithName("ListAudit").WithSummary("The audit trail of guided changes, newest first (format=csv for a CSV export)")
            .RequireAuthorization(DashboardPolicies.Viewer)
            .Produces<AuditListDto>()
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity, ApiProblems.ContentType);
    }

    private static async Task<IResult> PlanAsync(IChangeService changes, HttpContext context, ChangeRequest? request, CancellationToken cancellationToken)
    {
        if (request is null)
        {
            return ApiProblems.Validation(new Dictionary<string, string[]> { ["body"] = ["Send the change as JSON (docs/api.md, POST /api/v1/changes/plan)."] });
        }
        return await RefusalsAsync(async () => TypedResults.Ok(ChangeMapping.Plan(await changes.PlanAsync(request, Actor(context), cancellationToken))));
    }

    private static Task<IResult> ApplyAsync(IChangeService changes, HttpContext context, string planId, [FromQuery] bool? force, CancellationToken cancellationToken) =>
        RefusalsAsync(async () =>
        {
            var record = await changes.ApplyAsync(planId, force == true, Actor(context), cancellationToken);
            return TypedResults.Accepted($"{ApiEndpoints.Prefix}/changes/{record.ChangeId}", new ApplyDto(record.ChangeId, record.Outcome));
        });

    private static Task<IResult> RollbackAsync(IChangeService changes, HttpContext context, string changeId, CancellationToken cancellationToken) =>
        RefusalsAsync(async () => TypedResults.Ok(ChangeMapping.Plan(await changes.PlanRollbackAsync(changeId, Actor(context), cancellationToken))));

    private static IResult GetAccess(IChangeService changes, HttpContext context, [FromQuery(Name = "namespace")] string? ns)
    {
        if (ns is not null && !ChangeValidation.IsDns1123Label(ns))
        {
            return ApiProblems.Validation(new Dictionary<string, string[]> { ["namespace"] = [$"'{ns}' is not a namespace name: lower-case letters, digits and '-', at most 63."] });
        }
        var access = changes.AccessFor(Actor(context));
        return TypedResults.Ok(new ChangeAccessDto(access.ReadOnly, access.Operator, access.Namespaces is { } n ? [.. n] : null,
            access.MayChangeAny, ns is null ? null : access.MayChange(ns)));
    }

    private static async Task<IResult> GetChangeAsync(IChangeService changes, string changeId, CancellationToken cancellationToken)
    {
        var record = await changes.GetChangeAsync(changeId, cancellationToken);
        return record is null
            ? ApiProblems.NotFound($"No change {changeId}.", "The audit trail has no change of that id (GET /api/v1/audit lists them).")
            : TypedResults.Ok(ChangeMapping.Change(record, changes.Progress(record)));
    }

    private static async Task<IResult> ListAuditAsync(IChangeService changes, HttpContext context, [FromQuery(Name = "namespace")] string? ns,
        [FromQuery] string? user, [FromQuery(Name = "object")] string? @object, [FromQuery] string? since, [FromQuery] string? limit, [FromQuery] string? format,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        DateTimeOffset? from = null;
        if (since is not null)
        {
            if (DateTimeOffset.TryParse(since, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
            {
                from = parsed;
            }
            else
            {
                errors["since"] = [$"'{since}' is not a time: use ISO 8601, e.g. 2026-12-01T00:00:00Z."];
            }
        }
        var rows = 500;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out rows) || rows is < 1 or > 5000))
        {
            errors["limit"] = ["limit must be a number from 1 to 5000."];
        }
        if (format is not null and not ("json" or "csv"))
        {
            errors["format"] = [$"'{format}' is not a format: use json (the default) or csv."];
        }
        if (errors.Count > 0)
        {
            return ApiProblems.Validation(errors);
        }
        var records = await changes.ListAsync(new AuditQuery { Namespace = ns, User = user, Object = @object, Since = from, Limit = rows }, cancellationToken);
        if (format == "csv")
        {
            return TypedResults.Text(await AuditCsv.WriteAsync(records, cancellationToken), "text/csv; charset=utf-8");
        }
        return TypedResults.Ok(new AuditListDto([.. records.Select(ChangeMapping.Entry)]));
    }

    private static async Task<IResult> RefusalsAsync(Func<Task<IResult>> action)
    {
        try
        {
            return await action();
        }
        catch (ChangeRefusedException e)
        {
            return e.Reason switch
            {
                ChangeRefusal.Invalid => ApiProblems.Validation(e.Errors.Count > 0 ? e.Errors.ToDictionary() : new Dictionary<string, string[]> { ["request"] = [e.Message] }),
                ChangeRefusal.NotFound => ApiProblems.NotFound("Not found.", e.Message),
                ChangeRefusal.Forbidden => ApiProblems.Problem(StatusCodes.Status403Forbidden, "forbidden", "Not allowed.", e.Message),
                ChangeRefusal.Expired => ApiProblems.Problem(StatusCodes.Status410Gone, "planExpired", "The plan expired.", e.Message),
                ChangeRefusal.Conflict => TypedResults.Problem(new ProblemDetails
                {
                    Status = StatusCodes.Status409Conflict,
                    Type = "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.10",
                    Title = e.Conflicts.Count > 0 ? "Fields belong to another field manager." : "The object changed since the plan was made.",
                    Detail = e.Message,
                    Extensions =
                    {
                        ["code"] = e.Conflicts.Count > 0 ? "fieldConflict" : "objectChanged",
                        ["conflicts"] = e.Conflicts.Select(c => new { manager = c.Manager, field = c.Field }).ToList(),
                        ["changeId"] = e.Record?.ChangeId,
                    },
                }),
                _ => ApiProblems.Problem(StatusCodes.Status502BadGateway, "clusterFailed", "The cluster refused or failed.", e.Message),
            };
        }
    }

    /// <summary>Who is asking, from the sign-in: name, dashboard roles, client address, request id.</summary>
    public static ChangeActor Actor(HttpContext context) => Actor(context.User, context.Connection.RemoteIpAddress?.ToString(), context.TraceIdentifier);

    public static ChangeActor Actor(ClaimsPrincipal user, string? clientAddress, string? requestId) => ChangeActor.Of(user, clientAddress, requestId);
}

/// <summary>The audit trail as CSV (CsvHelper), one row per entry; cells a spreadsheet would run as a formula are escaped.</summary>
internal static class AuditCsv
{
    public static readonly string[] Header =
        ["change_id", "at", "user", "roles", "action", "object", "outcome", "error", "forced", "rolls_back", "request_id", "client_address", "impersonated_user", "diff"];

    public static async Task<string> WriteAsync(IEnumerable<ChangeRecord> records, CancellationToken cancellationToken)
    {
        await using var writer = new StringWriter(CultureInfo.InvariantCulture);
        await using (var csv = CsvHelper.CsvWriter.Create(writer, new CsvHelper.CsvWriterOptions { Injection = CsvHelper.CsvInjection.Escape }, true))
        {
            await csv.WriteRecordAsync(Header, cancellationToken);
            foreach (var r in records)
            {
                string[] fields =
                [
                    r.ChangeId, r.At.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture), r.User, string.Join(' ', r.Roles), r.Action,
                    r.Object.ToString(), r.Outcome, r.Error ?? "", r.Forced ? "true" : "false", r.RollsBack ?? "", r.RequestId ?? "", r.ClientAddress ?? "", r.ImpersonatedUser ?? "", r.Diff,
                ];
                await csv.WriteRecordAsync(fields, cancellationToken);
            }
            await csv.FlushAsync(cancellationToken);
        }
        return writer.ToString();
    }
}
