namespace Dashboard.Server.Aws;

/// <summary>
/// An AWS call that failed: the service answered with an error (after any retries), could not be reached, or
/// timed out. Carries what an operator needs to look the failure up; never credentials or signatures.
/// </summary>
public sealed class AwsServiceException : Exception
{
    public AwsServiceException(string service, string action, int? statusCode, string? errorCode, string? errorMessage, string? requestId, Exception? innerException = null)
        : base(Describe(service, action, statusCode, errorCode, errorMessage, requestId), innerException)
    {
        Service = service;
        Action = action;
        StatusCode = statusCode;
        ErrorCode = errorCode;
        ErrorMessage = errorMessage;
        RequestId = requestId;
    }

    /// <summary>The service name, e.g. <c>ElasticLoadBalancing</c>.</summary>
    public string Service { get; }

    /// <summary>The API action, e.g. <c>DescribeTargetHealth</c>.</summary>
    public string Action { get; }

    /// <summary>HTTP status of the last answer, or null when no answer came (network failure, timeout).</summary>
    public int? StatusCode { get; }

    /// <summary>AWS error code, e.g. <c>ValidationError</c>, <c>Throttling</c>, <c>LoadBalancerNotFound</c>.</summary>
    public string? ErrorCode { get; }

    /// <summary>The service's own error message.</summary>
    public string? ErrorMessage { get; }

    /// <summary>The AWS request id, for AWS support and CloudTrail.</summary>
    public string? RequestId { get; }

    /// <summary>True when AWS refused the call for rate (after every retry was spent).</summary>
    public bool IsThrottling => AwsError.IsThrottlingCode(ErrorCode);

    private static string Describe(string service, string action, int? statusCode, string? errorCode, string? errorMessage, string? requestId)
    {
        var status = statusCode is null ? "no response" : $"HTTP {statusCode}";
        var code = errorCode is null ? string.Empty : $" {errorCode}";
        var message = string.IsNullOrEmpty(errorMessage) ? string.Empty : $": {errorMessage}";
        var id = requestId is null ? string.Empty : $" (request id {requestId})";
        return $"AWS {service} {action} failed with {status}{code}{message}{id}";
    }
}
