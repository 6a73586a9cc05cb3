namespace Dashboard.Sandbox.Aws.Emulator;

/// <summary>The wire protocols the emulator speaks.</summary>
public enum AwsProtocol
{
    /// <summary>AWS Query: form-encoded request, XML response (ELBv2, CloudWatch for older SDKs).</summary>
    Query,

    /// <summary>AWS JSON 1.0 with <c>X-Amz-Target</c> (CloudWatch).</summary>
    Json10,

    /// <summary>AWS JSON 1.1 with <c>X-Amz-Target</c> (Cost Explorer, ACM, WAFv2).</summary>
    Json11,
}

/// <summary>The signing names of the emulated services.</summary>
public static class AwsServiceNames
{
    public const string Elbv2 = "elasticloadbalancing";
    public const string CloudWatch = "monitoring";
    public const string CostExplorer = "ce";
    public const string Ec2 = "ec2";
    public const string CertificateManager = "acm";
    public const string Wafv2 = "wafv2";
}
