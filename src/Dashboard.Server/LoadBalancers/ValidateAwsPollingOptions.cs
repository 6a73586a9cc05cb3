using Microsoft.Extensions.Options;

namespace Dashboard.Server.LoadBalancers;

/// <summary>Checks <c>Dashboard:Aws:Polling</c> at start; every error names the key and the fix.</summary>
public sealed class ValidateAwsPollingOptions : IValidateOptions<AwsPollingOptions>
{
    public ValidateOptionsResult Validate(string? name, AwsPollingOptions options)
    {
        var errors = new List<string>();
        var key = AwsPollingOptions.SectionName;
        Positive(options.ConfigurationInterval, $"{key}:ConfigurationInterval", "00:01:00", errors);
        Positive(options.ConfigurationDetailsInterval, $"{key}:ConfigurationDetailsInterval", "00:30:00", errors);
        Positive(options.FastInterval, $"{key}:FastInterval", "00:00:10", errors);
        Positive(options.MetricsInterval, $"{key}:MetricsInterval", "00:01:00", errors);
        Positive(options.SweepInterval, $"{key}:SweepInterval", "00:05:00", errors);
        Positive(options.BackoffInitialDelay, $"{key}:BackoffInitialDelay", "00:00:05", errors);
        if (options.UsageInterval is { } usage)
        {
            // Set from Dashboard:Costs (UsageRefresh, IdleWindow), which validates them with their own keys.
            Positive(usage, $"{key}:UsageInterval (Dashboard:Costs:UsageRefresh)", "00:15:00", errors);
            Positive(options.UsageRecentWindow, $"{key}:UsageRecentWindow (Dashboard:Costs:IdleWindow)", "7.00:00:00", errors);
        }
        if (options.ChangeWatchWindow < TimeSpan.Zero || options.ChangeWatchWindow > TimeSpan.FromHours(1))
        {
            errors.Add($"{key}:ChangeWatchWindow must be between 00:00:00 (off) and 01:00:00, e.g. 00:05:00; got {options.ChangeWatchWindow}.");
        }
        if (options.SweepInterval < options.FastInterval)
        {
            errors.Add($"{key}:SweepInterval ({options.SweepInterval}) must not be shorter than {key}:FastInterval ({options.FastInterval}).");
        }
        if (options.BackoffMaxDelay < options.BackoffInitialDelay)
        {
            errors.Add($"{key}:BackoffMaxDelay ({options.BackoffMaxDelay}) must be at least {key}:BackoffInitialDelay ({options.BackoffInitialDelay}).");
        }
        if (options.MaxElbCallsPerMinute < 1)
        {
            errors.Add($"{key}:MaxElbCallsPerMinute must be at least 1 (got {options.MaxElbCallsPerMinute}), e.g. 300.");
        }
        if (options.ElbBurst < 1)
        {
            errors.Add($"{key}:ElbBurst must be at least 1 (got {options.ElbBurst}), e.g. 20.");
        }
        if (options.SweepElbCallsPerMinute < 1 || options.SweepElbCallsPerMinute > options.MaxElbCallsPerMinute)
        {
            errors.Add($"{key}:SweepElbCallsPerMinute must be between 1 and {key}:MaxElbCallsPerMinute ({options.MaxElbCallsPerMinute}); got {options.SweepElbCallsPerMinute}.");
        }
        if (options.Jitter is < 0 or > 0.9 || double.IsNaN(options.Jitter))
        {
            errors.Add($"{key}:Jitter must be between 0 and 0.9 (got {options.Jitter}), e.g. 0.2.");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void Positive(TimeSpan value, string key, string example, List<string> errors)
    {
        if (value <= TimeSpan.Zero)
        {
            errors.Add($"{key} must be a positive time span (got {value}), e.g. {example}.");
        }
    }
}
