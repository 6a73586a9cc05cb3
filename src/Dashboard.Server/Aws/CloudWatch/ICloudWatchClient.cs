namespace Dashboard.Server.Aws.CloudWatch;

/// <summary>
/// CloudWatch metric reads. Shaped like AWSSDK.CloudWatch's GetMetricData so that package can replace this
/// client. Failures throw <see cref="AwsServiceException"/>.
/// </summary>
public interface ICloudWatchClient
{
    /// <summary>
    /// Runs the queries over [<paramref name="startTime"/>, <paramref name="endTime"/>), following NextToken to the
    /// end and splitting more than 500 queries into several calls (math expressions must then not be used, as an
    /// expression can only see queries of its own call). Results keep the order of <paramref name="queries"/>.
    /// </summary>
    Task<MetricDataResponse> GetMetricDataAsync(IReadOnlyList<MetricDataQuery> queries, DateTimeOffset startTime, DateTimeOffset endTime, ScanBy? scanBy = null, int? maxDatapoints = null, CancellationToken cancellationToken = default);
}
