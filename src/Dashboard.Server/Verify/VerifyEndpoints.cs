using Dashboard.Client.Authorization;
using Dashboard.Client.Model;
using Dashboard.Client.SmokeTests;
using Dashboard.Client.Verify;
using Dashboard.Server.Api;
using Dashboard.Server.Changes;

namespace Dashboard.Server.Verify;

/// <summary>
/// Verify and smoke tests in the HTTP API v1 (docs/api.md), the same services the endpoint page calls. Sending traffic
/// needs the Operator role and <c>X-Dashboard-Request: 1</c>; reading targets and results needs Viewer.
/// </summary>
public static class VerifyEndpoints
{
    internal static void Map(IEndpointRouteBuilder app)
    {
        var api = ApiEndpoints.V1Group(app);
        var writes = ApiEndpoints.Writes(api);

        api.MapGet("/endpoints/{kind}/{namespace}/{name}/verify-targets", GetTargets)
            .WithName("ListVerifyTargets").WithSummary("The addresses of an endpoint Verify and smoke tests may call (its balancers' listeners and hosts)")
            .RequireAuthorization(DashboardPolicies.Viewer)
            .Produces<IReadOnlyList<VerifyTarget>>()
            .ProducesProblem(StatusCodes.Status404NotFound, ApiProblems.ContentType);
        writes.MapPost("/endpoints/{kind}/{namespace}/{name}/verify", VerifyAsync)
            .WithName("VerifyEndpoint").WithSummary("One request through the balancer: status, headers, body excerpt, certificate, timing (Operator)")
            .RequireAuthorization(DashboardPolicies.Operator)
            .Accepts<VerifyRequest>("application/json")
            .Produces<VerifyResult>()
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity, ApiProblems.ContentType)
            .ProducesProblem(StatusCodes.Status404NotFound, ApiProblems.ContentType)
            .ProducesProblem(StatusCodes.Status409Conflict, ApiProblems.ContentType);
        writes.MapPost("/endpoints/{kind}/{namespace}/{name}/smoke-tests", StartSmokeTestAsync)
            .WithName("StartSmokeTest").WithSummary("Start a bounded smoke test (constant arrival rate, capped by configuration; Operator)")
            .RequireAuthorization(DashboardPolicies.Operator)
            .Accepts<SmokeTestRequest>("application/json")
            .Produces<SmokeTestStarted>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity, ApiProblems.ContentType)
            .ProducesProblem(StatusCodes.Status404NotFound, ApiProblems.ContentType)
            .ProducesProblem(StatusCodes.Status409Conflict, ApiProblems.ContentType);
        api.MapGet("/endpoints/{kind}/{namespace}/{name}/smoke-tests", ListSmokeTestsAsync)
            .WithName("ListSmokeTests").WithSummary("The running and kept smoke tests of an endpoint, newest first")
            .RequireAuthorization(DashboardPolicies.Viewer)
            .Produces<IReadOnlyList<SmokeTestStatus>>()
            .ProducesProblem(StatusCodes.Status404NotFound, ApiProblems.ContentType);
        api.MapGet("/smoke-tests/{id}", GetSmokeTestAsync)
            .WithName("GetSmokeTest").WithSummary("A smoke test: state, requests, achieved rate, latency percentiles, status codes, errors")
            .RequireAuthorization(DashboardPolicies.Viewer)
            .Produces<SmokeTestStatus>()
            .ProducesProblem(StatusCodes.Status404NotFound, ApiProblems.ContentType);
        api.MapDelete("/smoke-tests/{id}", StopSmokeTestAsync)
            .AddEndpointFilter(ApiEndpoints.RequireRequestHeader)
            .WithName("StopSmokeTest").WithSummary("Stop a running smoke test on any replica (within about a second; Operator)")
            .RequireAuthorization(DashboardPolicies.Operator)
            .Produces(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status404NotFound, ApiProblems.ContentType);
    }

    /// <summary>The id of a started smoke test and where to follow it.</summary>
    public sealed record SmokeTestStarted(string Id, string Url);

    private static IResult GetTargets(IEndpointVerifier verifier, EndpointTargets targets, string kind, string @namespace, string name) =>
        Endpoint(kind, @namespace, name, out var endpoint) is { } bad ? bad
        : targets.Endpoint(endpoint) is null ? UnknownEndpoint(endpoint)
        : TypedResults.Ok(verifier.Targets(endpoint));

    private static async Task<IResult> VerifyAsync(IEndpointVerifier verifier, HttpContext context, string kind, string @namespace, string name,
        VerifyRequest? request, CancellationToken cancellationToken)
    {
        if (Endpoint(kind, @namespace, name, out var endpoint) is { } bad)
        {
            return bad;
        }
        return await Refusals(async () => TypedResults.Ok(await verifier.VerifyAsync(endpoint, request ?? new VerifyRequest(), ChangeEndpoints.Actor(context), cancellationToken)));
    }

    private static async Task<IResult> StartSmokeTestAsync(ISmokeTests smoke, HttpContext context, string kind, string @namespace, string name,
        SmokeTestRequest? request, CancellationToken cancellationToken)
    {
        if (Endpoint(kind, @namespace, name, out var endpoint) is { } bad)
        {
            return bad;
        }
        return await Refusals(async () =>
        {
            var status = await smoke.StartAsync(endpoint, request ?? new SmokeTestRequest(), ChangeEndpoints.Actor(context), cancellationToken);
            var url = $"{ApiEndpoints.Prefix}/smoke-tests/{status.Id}";
            return TypedResults.Accepted(url, new SmokeTestStarted(status.Id, url));
        });
    }

    private static async Task<IResult> ListSmokeTestsAsync(ISmokeTests smoke, EndpointTargets targets, string kind, string @namespace, string name, CancellationToken cancellationToken)
    {
        if (Endpoint(kind, @namespace, name, out var endpoint) is { } bad)
        {
            return bad;
        }
        var list = new List<SmokeTestStatus>();
        if (await smoke.RunningAsync(endpoint, cancellationToken) is { } running)
        {
            list.Add(running);
        }
        list.AddRange((await smoke.HistoryAsync(endpoint, cancellationToken)).Where(h => list.All(r => r.Id != h.Id)));
        return list.Count == 0 && targets.Endpoint(endpoint) is null ? UnknownEndpoint(endpoint) : TypedResults.Ok(list);
    }

    private static async Task<IResult> GetSmokeTestAsync(ISmokeTests smoke, string id, CancellationToken cancellationToken) =>
        await smoke.GetAsync(id, cancellationToken) is { } status
            ? TypedResults.Ok(status)
            : ApiProblems.NotFound($"No smoke test {id}.", "GET /api/v1/endpoints/{kind}/{namespace}/{name}/smoke-tests lists an endpoint's runs.");

    private static async Task<IResult> StopSmokeTestAsync(ISmokeTests smoke, HttpContext context, string id, CancellationToken cancellationToken) =>
        await smoke.StopAsync(id, ChangeEndpoints.Actor(context), cancellationToken)
            ? TypedResults.Accepted($"{ApiEndpoints.Prefix}/smoke-tests/{id}")
            : ApiProblems.NotFound($"No running smoke test {id}.", "It has ended already, or never existed (GET /api/v1/smoke-tests/{id}).");

    private static IResult? Endpoint(string kind, string ns, string name, out ObjectRef endpoint)
    {
        endpoint = null!;
        if (!TopologyUrls.TryParseKind(kind, out var parsed))
        {
            return ApiProblems.Validation(new Dictionary<string, string[]> { ["kind"] = [$"kind must be service or ingress (got '{kind}')."] });
        }
        endpoint = new ObjectRef(parsed, ns, name);
        return null;
    }

    private static IResult UnknownEndpoint(ObjectRef endpoint) =>
        ApiProblems.NotFound($"No exposed {endpoint}.", "The dashboard only sends requests to endpoints in its own inventory (GET /api/v1/services, /api/v1/ingresses).");

    private static async Task<IResult> Refusals(Func<Task<IResult>> action)
    {
        try
        {
            return await action();
        }
        catch (VerifyRefusedException e) when (e.Status == StatusCodes.Status422UnprocessableEntity)
        {
            return ApiProblems.Validation(new Dictionary<string, string[]> { [e.Field] = [e.Message] });
        }
        catch (VerifyRefusedException e)
        {
            return ApiProblems.Problem(e.Status, e.Status switch { 404 => "notFound", 409 => "busy", 429 => "tooManySmokeTests", _ => "refused" }, e.Message,
                $"Field: {e.Field}. See docs/api.md (Verify and smoke tests).");
        }
    }
}
