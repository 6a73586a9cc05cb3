using static Dashboard.Server.Tests.Aws.ElasticLoadBalancingSamples;

namespace Dashboard.Server.Tests.Aws;

public sealed class AwsLoggingTests
{
    [Fact]
    public async Task Logs_name_action_status_and_request_id_but_never_credentials_or_signatures()
    {
        await using var host = await AwsTestHost.StartAsync();
        host.Server.RespondInOrder(
            CannedResponse.Xml(Error("Throttling", "Rate exceeded"), 400),
            CannedResponse.Xml(TargetHealthXml, requestId: "c534f810-f389-11e5-9192-3fff33344cfa"),
            CannedResponse.Xml(Error("TargetGroupNotFound", "One or more target groups not found", "d0e1f2a3-0000-4000-8000-000000000001"), 400));

        await host.ElasticLoadBalancing.DescribeTargetHealthAsync(TargetGroupArn);
        await Assert.ThrowsAsync<Dashboard.Server.Aws.AwsServiceException>(() => host.ElasticLoadBalancing.DescribeTargetHealthAsync(TargetGroupArn));

        var records = host.Logs.GetSnapshot();
        var text = string.Join('\n', records.Select(r =>
            $"{r.Category} {r.Message} {r.Exception} {string.Join(' ', r.StructuredState?.Select(p => $"{p.Key}={p.Value}") ?? [])}"));

        Assert.Contains(records, r => r.Message.Contains("DescribeTargetHealth", StringComparison.Ordinal) && r.Message.Contains("c534f810-f389-11e5-9192-3fff33344cfa", StringComparison.Ordinal));
        Assert.Contains(records, r => r.Message.Contains("TargetGroupNotFound", StringComparison.Ordinal) && r.Message.Contains("d0e1f2a3-0000-4000-8000-000000000001", StringComparison.Ordinal));
        Assert.Contains(records, r => r.Message.Contains("retrying", StringComparison.Ordinal) && r.Message.Contains("Throttling", StringComparison.Ordinal));

        var authorizations = host.Server.Requests.Select(r => r.Header("Authorization")!).ToArray();
        Assert.NotEmpty(authorizations);
        Assert.DoesNotContain(AwsTestHost.SecretKey, text);
        Assert.DoesNotContain(AwsTestHost.AccessKey, text);
        Assert.DoesNotContain("AWS4-HMAC-SHA256", text);
        Assert.DoesNotContain("Signature=", text);
        foreach (var authorization in authorizations)
        {
            Assert.DoesNotContain(SigV4Verifier.Parse(authorization).Signature, text);
        }
    }
}
