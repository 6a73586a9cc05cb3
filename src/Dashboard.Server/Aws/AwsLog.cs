namespace Dashboard.Server.Aws;

/// <summary>Log messages of the AWS clients. They carry service, action, status, request id and duration — never headers.</summary>
internal static partial class AwsLog
{
    [LoggerMessage(EventId = 4100, Level = LogLevel.Debug, Message = "AWS {Service} {Action} answered {StatusCode} in {ElapsedMs:F0} ms (request id {RequestId})")]
    public static partial void CallSucceeded(ILogger logger, string service, string action, int statusCode, string? requestId, double elapsedMs);

    [LoggerMessage(EventId = 4101, Level = LogLevel.Warning, Message = "AWS {Service} {Action} failed with {StatusCode} {ErrorCode} in {ElapsedMs:F0} ms (request id {RequestId})")]
    public static partial void CallFailed(ILogger logger, string service, string action, int statusCode, string? errorCode, string? requestId, double elapsedMs);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Warning, Message = "AWS {Service} {Action} got no answer from {Endpoint} in {ElapsedMs:F0} ms ({Failure})")]
    public static partial void CallUnreachable(ILogger logger, string service, string action, string endpoint, double elapsedMs, string failure);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Information, Message = "AWS {Service} {Action} attempt {Attempt} got {Outcome}; retrying in {DelayMs:F0} ms")]
    public static partial void Retrying(ILogger logger, string service, string action, int attempt, string outcome, double delayMs);
}
