namespace Dashboard.Server.Aws;

/// <summary>The AWS clients (Dashboard:Aws): ELBv2, CloudWatch, Cost Explorer.</summary>
public static class AwsExtensions
{
    public static WebApplicationBuilder AddDashboardAws(this WebApplicationBuilder builder) => builder;
}
