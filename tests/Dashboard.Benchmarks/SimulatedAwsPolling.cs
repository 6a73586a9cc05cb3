using Dashboard.Sandbox.Aws;
using Dashboard.Sandbox.Aws.CloudWatch;
using Dashboard.Sandbox.Aws.CostExplorer;
using Dashboard.Sandbox.Aws.Emulator;
using Dashboard.Server.Aws;
using Dashboard.Server.Feed;
using Dashboard.Server.LoadBalancers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dashboard.Benchmarks;

/// <summary>
/// The pollers against a simulated AWS account on a simulated clock: the sandbox's AWS emulator on 127.0.0.1:0 over
/// HTTP, the real clients and <see cref="AwsPoller"/> composed by <see cref="AwsExtensions.AddDashboardAws(IServiceCollection, IConfiguration)"/>,
/// and rounds run one simulated second apart. The world and the pollers share the clock, so CloudWatch history, target
/// "since" times and budgets all follow it. For benchmarks (<see cref="AwsPollingBenchmark"/>) and tests.
/// </summary>
public sealed class SimulatedAwsPolling : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly AwsEmulator _emulator;
    private readonly Action<TimeSpan> _advance;

    private SimulatedAwsPolling(AwsWorld world, AwsEmulator emulator, ServiceProvider services, TimeProvider clock, Action<TimeSpan> advance)
    {
        World = world;
        _emulator = emulator;
        _services = services;
        Clock = clock;
        _advance = advance;
    }

    public AwsWorld World { get; }
    public AwsFaults Faults => _emulator.Faults;
    public ElbTrafficModel Traffic => _emulator.Traffic;
    public TimeProvider Clock { get; }
    public IServiceProvider Services => _services;
    public AwsPoller Poller => _services.GetRequiredService<AwsPoller>();
    public AwsSnapshotStore Store => _services.GetRequiredService<AwsSnapshotStore>();
    public AwsCallStatistics Statistics => _services.GetRequiredService<AwsCallStatistics>();
    public SourceStatusRegistry Sources => _services.GetRequiredService<SourceStatusRegistry>();

    /// <summary>
    /// Starts the emulator over an empty world on <paramref name="clock"/> (moved by <paramref name="advance"/>), and
    /// the pollers with <paramref name="settings"/> (configuration keys, e.g. <c>Dashboard:Aws:Polling:FastInterval</c>).
    /// Client retries are off unless the settings say otherwise, so each failure is seen at once.
    /// </summary>
    public static async Task<SimulatedAwsPolling> StartAsync(
        TimeProvider clock, Action<TimeSpan> advance, IReadOnlyDictionary<string, string?>? settings = null, int seed = 42, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentNullException.ThrowIfNull(advance);
        var world = new AwsWorld("us-east-1", "123456789012", "retail-forecast-cluster", seed, clock);
        var traffic = new ElbTrafficModel(world);
        var emulator = await AwsEmulator.StartAsync("http://127.0.0.1:0", world, new AwsFaults(seed), traffic, new ElbCostModel(traffic), NullLoggerFactory.Instance, cancellationToken);
        try
        {
            var values = new Dictionary<string, string?>
            {
                ["Dashboard:Source"] = "Sandbox",
                ["Sandbox:AwsUrl"] = emulator.Uri.ToString(),
                ["Dashboard:Aws:Retry:MaxAttempts"] = "1",
            };
            foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            {
                values[key] = value;
            }
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
            var services = new ServiceCollection();
            services.AddSingleton(clock);
            services.AddSingleton<IConfiguration>(configuration);
            services.AddLogging();
            services.AddDashboardAws(configuration);
            services.AddDashboardLoadBalancers(configuration);
            var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
            return new SimulatedAwsPolling(world, emulator, provider, clock, advance);
        }
        catch
        {
            await emulator.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs one round per simulated second for <paramref name="duration"/>, calling <paramref name="afterRound"/> after each.</summary>
    public async Task StepAsync(TimeSpan duration, Action? afterRound = null, CancellationToken cancellationToken = default)
    {
        for (var elapsed = TimeSpan.Zero; elapsed < duration; elapsed += AwsPollingHostedService.Tick)
        {
            _advance(AwsPollingHostedService.Tick);
            await Poller.PollAsync(cancellationToken);
            afterRound?.Invoke();
        }
    }

    /// <summary>
    /// Runs rounds until <paramref name="condition"/> holds (checked before the first and after each) and returns the
    /// simulated time it took; throws <see cref="TimeoutException"/> after <paramref name="limit"/>.
    /// </summary>
    public async Task<TimeSpan> RunUntilAsync(Func<bool> condition, TimeSpan limit, CancellationToken cancellationToken = default)
    {
        var elapsed = TimeSpan.Zero;
        while (!condition())
        {
            if (elapsed >= limit)
            {
                throw new TimeoutException($"The condition did not hold within {limit} of simulated time.");
            }
            _advance(AwsPollingHostedService.Tick);
            elapsed += AwsPollingHostedService.Tick;
            await Poller.PollAsync(cancellationToken);
        }
        return elapsed;
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        await _emulator.DisposeAsync();
    }
}
