using Microsoft.Extensions.Options;

namespace Dashboard.Server.Configuration;

/// <summary>
/// Start-up refuses a bad configuration once, with every problem of every section (each naming its key), and the
/// process ends with that list and exit code 1 instead of an unhandled exception's stack trace.
/// </summary>
public static class StartupValidation
{
    /// <summary>Every failure of the options validated on start (Dashboard:Auth included), without starting anything.</summary>
    public static IReadOnlyList<string> Failures(IServiceProvider services)
    {
        var failures = new List<string>();
        try
        {
            services.GetService<IStartupValidator>()?.Validate();
        }
        catch (OptionsValidationException exception)
        {
            failures.AddRange(exception.Failures);
        }
        catch (AggregateException exception) when (exception.Flatten().InnerExceptions.All(inner => inner is OptionsValidationException))
        {
            failures.AddRange(exception.Flatten().InnerExceptions.Cast<OptionsValidationException>().SelectMany(inner => inner.Failures));
        }
        return failures;
    }

    /// <summary>Throws one <see cref="DashboardConfigurationException"/> listing every section's failures, if there are any.</summary>
    public static void ThrowIfInvalid(IServiceProvider services)
    {
        var failures = Failures(services);
        if (failures.Count > 0)
        {
            throw new DashboardConfigurationException(failures);
        }
    }

    /// <summary>
    /// A <see cref="DashboardConfigurationException"/> that reaches the top of the process (start-up refused) ends it
    /// with its message on standard error and exit code 1, not with the runtime's "Unhandled exception" and stack
    /// trace. In tests the host runs the entry point itself and sees the exception.
    /// </summary>
    public static void ExitWithMessageOnRefusal() =>
        AppDomain.CurrentDomain.UnhandledException += (_, args) =>
        {
            if (args.ExceptionObject is DashboardConfigurationException refusal)
            {
                Console.Error.WriteLine(refusal.Message);
                Console.Error.Flush();
                Environment.Exit(1);
            }
        };
}

/// <summary>A validator that reports problems found while the services were registered (a section read eagerly).</summary>
internal sealed class KnownFailures<TOptions>(IReadOnlyList<string> failures) : IValidateOptions<TOptions>
    where TOptions : class
{
    public ValidateOptionsResult Validate(string? name, TOptions options) => ValidateOptionsResult.Fail(failures);
}
