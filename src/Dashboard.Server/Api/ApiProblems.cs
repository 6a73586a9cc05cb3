namespace Dashboard.Server.Api;

/// <summary>
/// RFC 9457 problem details for /api/v1: every error answer has <c>type</c>, <c>title</c>, <c>status</c>, <c>detail</c> and,
/// where a client may branch on it, a stable <c>code</c>. Validation failures (422) add <c>errors</c>: parameter → messages.
/// </summary>
public static class ApiProblems
{
    public const string ContentType = "application/problem+json";

    public static IResult BadRequest(string code, string title, string detail) => Problem(StatusCodes.Status400BadRequest, code, title, detail);

    public static IResult NotFound(string title, string detail) => Problem(StatusCodes.Status404NotFound, "notFound", title, detail);

    public static IResult Validation(IDictionary<string, string[]> errors) => TypedResults.Problem(new HttpValidationProblemDetails(errors)
    {
        Status = StatusCodes.Status422UnprocessableEntity,
        Type = TypeFor(StatusCodes.Status422UnprocessableEntity),
        Title = "The request has invalid values.",
        Detail = "See errors: each parameter with what is wrong with it.",
        Extensions = { ["code"] = "validationFailed" },
    });

    public static IResult Problem(int status, string code, string title, string detail) => TypedResults.Problem(new Microsoft.AspNetCore.Mvc.ProblemDetails
    {
        Status = status,
        Type = TypeFor(status),
        Title = title,
        Detail = detail,
        Extensions = { ["code"] = code },
    });

    /// <summary>Writes a problem to a response no endpoint answered (authentication, authorization, rate limit).</summary>
    public static async Task WriteAsync(HttpContext context, int status, string code, string title, string detail)
    {
        if (context.Response.HasStarted)
        {
            return;
        }
        context.Response.StatusCode = status;
        await Problem(status, code, title, detail).ExecuteAsync(context);
    }

    private static string TypeFor(int status) => status switch
    {
        400 => "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.1",
        401 => "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.2",
        403 => "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.4",
        404 => "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.5",
        405 => "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.6",
        409 => "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.10",
        422 => "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.21",
        429 => "https://www.rfc-editor.org/rfc/rfc6585#section-4",
        503 => "https://www.rfc-editor.org/rfc/rfc9110#section-15.6.4",
        _ => "about:blank",
    };
}
