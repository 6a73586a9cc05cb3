namespace Dashboard.Sandbox.Aws.Emulator;

/// <summary>The fault rule as the admin endpoint takes it (latency in milliseconds).</summary>
public sealed record AwsFaultRequest
{
    public required AwsFaultKind Kind { get; init; }
    public string? Service { get; init; }
    public string? Action { get; init; }
    public int? Count { get; init; }
    public double Rate { get; init; } = 1.0;
    public int LatencyMs { get; init; }
    public int StatusCode { get; init; } = 500;
}

public sealed partial class AwsEmulator
{
    /// <summary>
    /// <c>GET /_sandbox/faults</c> lists rules, <c>POST</c> adds one (<see cref="AwsFaultRequest"/> as JSON, e.g.
    /// <c>{"kind":"Throttle","service":"elasticloadbalancing","action":"DescribeTargetHealth","count":3}</c>),
    /// <c>DELETE</c> clears them all, <c>DELETE /_sandbox/faults/{id}</c> one.
    /// </summary>
    private void MapFaultsAdmin()
    {
        // The emulator has no sign-in: its fault switch answers only callers on the same machine.
        var admin = _app.MapGroup(string.Empty).AddEndpointFilter<LoopbackOnlyFilter>();
        admin.MapGet("/_sandbox/faults", () => Results.Json(_faults.Rules.Select(r => new { id = r.Id, rule = r.Rule, remaining = r.Remaining })));
        admin.MapPost("/_sandbox/faults", (AwsFaultRequest request) =>
        {
            try
            {
                var id = _faults.Add(new AwsFaultRule
                {
                    Kind = request.Kind,
                    Service = request.Service,
                    Action = request.Action,
                    Count = request.Count,
                    Rate = request.Rate,
                    Latency = TimeSpan.FromMilliseconds(request.LatencyMs),
                    StatusCode = request.StatusCode,
                });
                return Results.Json(new { id }, statusCode: StatusCodes.Status201Created);
            }
            catch (ArgumentException error)
            {
                return Results.Problem(error.Message, statusCode: StatusCodes.Status400BadRequest);
            }
        });
        admin.MapDelete("/_sandbox/faults", () =>
        {
            _faults.Clear();
            return Results.NoContent();
        });
        admin.MapDelete("/_sandbox/faults/{id:long}", (long id) => _faults.Remove(id) ? Results.NoContent() : Results.NotFound());
    }
}

/// <summary>Refuses (403) a request whose client is not on this machine (loopback).</summary>
public sealed class LoopbackOnlyFilter : IEndpointFilter
{
    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        context.HttpContext.Connection.RemoteIpAddress is { } address && System.Net.IPAddress.IsLoopback(address)
            ? next(context)
            : ValueTask.FromResult<object?>(Results.StatusCode(StatusCodes.Status403Forbidden));
}
