namespace Dashboard.Server.Configuration;

/// <summary>Start-up refused: the configuration is missing, inconsistent or unsafe. The message lists every problem.</summary>
public sealed class DashboardConfigurationException(IReadOnlyList<string> errors)
    : InvalidOperationException("The dashboard cannot start:" + Environment.NewLine + string.Join(Environment.NewLine, errors.Select(error => "- " + error)))
{
    public IReadOnlyList<string> Errors { get; } = errors;
}
