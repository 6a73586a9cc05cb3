using Microsoft.Extensions.Options;

namespace Dashboard.Server.Changes;

/// <summary>Guided changes (<c>Dashboard:Changes</c>): the read-only switch and how long a plan may wait for its apply.</summary>
public sealed class ChangeOptions
{
    public const string SectionName = "Dashboard:Changes";

    /// <summary>Hides and refuses every write: plans may still be previewed, nothing is applied.</summary>
    public bool ReadOnly { get; set; }

    /// <summary>A plan older than this is refused at apply (the object may have moved on): plan again.</summary>
    public TimeSpan PlanLifetime { get; set; } = TimeSpan.FromMinutes(10);
}

/// <summary>Checks <see cref="ChangeOptions"/> at start, naming the key.</summary>
public sealed class ValidateChangeOptions : IValidateOptions<ChangeOptions>
{
    public ValidateOptionsResult Validate(string? name, ChangeOptions options) =>
        options.PlanLifetime < TimeSpan.FromSeconds(10) || options.PlanLifetime > TimeSpan.FromHours(24)
            ? ValidateOptionsResult.Fail($"{ChangeOptions.SectionName}:PlanLifetime must be between 00:00:10 and 1.00:00:00 (it is {options.PlanLifetime}).")
            : ValidateOptionsResult.Success;
}
