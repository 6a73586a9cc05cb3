using Microsoft.Extensions.Options;

namespace Dashboard.Server.Verify;

/// <summary>Verify and smoke tests (configuration <c>Dashboard:Verify</c>).</summary>
public sealed class VerifyOptions
{
    public const string SectionName = "Dashboard:Verify";

    /// <summary>How long one Verify request may take in all.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Smoke test: the longest run (the UI cannot ask for more).</summary>
    public int MaxDurationSeconds { get; set; } = 60;

    /// <summary>Smoke test: the highest arrival rate, requests per second.</summary>
    public int MaxRatePerSecond { get; set; } = 200;

    /// <summary>Smoke test: the most connections (and requests in flight) to the endpoint.</summary>
    public int MaxConnections { get; set; } = 50;

    /// <summary>Smoke tests running at once over all endpoints (one per endpoint in any case).</summary>
    public int MaxConcurrentTests { get; set; } = 2;

    /// <summary>A smoke test stops itself when the share of failed requests over the last 10 s passes this (0–1).</summary>
    public double AutoStopErrorRate { get; set; } = 0.5;

    /// <summary>How long a smoke-test request may take before it counts as a timeout.</summary>
    public TimeSpan SmokeRequestTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Smoke-test results kept per endpoint.</summary>
    public int KeepResultsPerEndpoint { get; set; } = 20;
}

/// <summary>Checks <see cref="VerifyOptions"/>; every problem names its key. The ceilings here are absolute.</summary>
public sealed class ValidateVerifyOptions : IValidateOptions<VerifyOptions>
{
    /// <summary>Ceilings no configuration can lift: a smoke test stays a smoke test, not a load test.</summary>
    public const int CeilingDurationSeconds = 600, CeilingRatePerSecond = 5000, CeilingConnections = 500;

    public ValidateOptionsResult Validate(string? name, VerifyOptions options)
    {
        var errors = new List<string>();
        if (options.RequestTimeout <= TimeSpan.Zero || options.RequestTimeout > TimeSpan.FromMinutes(2))
        {
            errors.Add($"{VerifyOptions.SectionName}:RequestTimeout: must be between 0 and 00:02:00 (got {options.RequestTimeout}).");
        }
        if (options.MaxDurationSeconds is < 1 or > CeilingDurationSeconds)
        {
            errors.Add($"{VerifyOptions.SectionName}:MaxDurationSeconds: must be 1–{CeilingDurationSeconds} (got {options.MaxDurationSeconds}).");
        }
        if (options.MaxRatePerSecond is < 1 or > CeilingRatePerSecond)
        {
            errors.Add($"{VerifyOptions.SectionName}:MaxRatePerSecond: must be 1–{CeilingRatePerSecond} (got {options.MaxRatePerSecond}).");
        }
        if (options.MaxConnections is < 1 or > CeilingConnections)
        {
            errors.Add($"{VerifyOptions.SectionName}:MaxConnections: must be 1–{CeilingConnections} (got {options.MaxConnections}).");
        }
        if (options.MaxConcurrentTests is < 1 or > 20)
        {
            errors.Add($"{VerifyOptions.SectionName}:MaxConcurrentTests: must be 1–20 (got {options.MaxConcurrentTests}).");
        }
        if (options.AutoStopErrorRate is <= 0 or > 1)
        {
            errors.Add($"{VerifyOptions.SectionName}:AutoStopErrorRate: must be above 0 and at most 1, e.g. 0.5 (got {options.AutoStopErrorRate}).");
        }
        if (options.SmokeRequestTimeout <= TimeSpan.Zero || options.SmokeRequestTimeout > TimeSpan.FromMinutes(1))
        {
            errors.Add($"{VerifyOptions.SectionName}:SmokeRequestTimeout: must be between 0 and 00:01:00 (got {options.SmokeRequestTimeout}).");
        }
        if (options.KeepResultsPerEndpoint is < 1 or > 1000)
        {
            errors.Add($"{VerifyOptions.SectionName}:KeepResultsPerEndpoint: must be 1–1000 (got {options.KeepResultsPerEndpoint}).");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
