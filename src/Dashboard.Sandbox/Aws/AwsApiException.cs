using System.Net;

namespace Dashboard.Sandbox.Aws;

/// <summary>
/// An AWS API error: its code (<c>LoadBalancerNotFound</c>, <c>ValidationError</c>, …), message and HTTP status.
/// The world throws it; each protocol front end writes it in its own error shape.
/// </summary>
public sealed class AwsApiException : Exception
{
    public AwsApiException(string code, string message, HttpStatusCode statusCode = HttpStatusCode.BadRequest)
        : base(message)
    {
        Code = code;
        StatusCode = statusCode;
    }

    public string Code { get; }
    public HttpStatusCode StatusCode { get; }

    /// <summary>Whether the caller is at fault (<c>Sender</c>) or AWS is (<c>Receiver</c>).</summary>
    public bool IsSenderFault => (int)StatusCode < 500;

    public static AwsApiException Validation(string message) => new("ValidationError", message);
}
