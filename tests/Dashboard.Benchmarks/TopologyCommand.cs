using System.Globalization;

namespace Dashboard.Benchmarks;

/// <summary>
/// <c>topology [--target-groups 500] [--targets 5000] [--runs 5]</c>: how long one recompute of the topology join
/// (Kubernetes cache + AWS snapshot → endpoints, balancers, triage) takes at scale; prints, never asserts.
/// </summary>
public static class TopologyCommand
{
    public const string Usage = "topology [--target-groups 500] [--targets 5000] [--runs 5]";

    public static int Run(IReadOnlyList<string> options)
    {
        var targetGroups = Option(options, "target-groups", 500);
        var targets = Option(options, "targets", 5000);
        var runs = Option(options, "runs", 5);
        var result = TopologyBenchmark.Measure(targetGroups, targets, runs);
        Console.WriteLine($"Topology recompute: {result.TargetGroups} target groups, {result.Targets} targets " +
            $"({result.LoadBalancers} load balancers, {result.Endpoints} endpoints, {result.TriageItems} triage items), {runs} runs after a warm-up");
        Console.WriteLine($"  median {Ms(result.Median)} ms, worst {Ms(result.Worst)} ms");
        return 0;
    }

    private static string Ms(TimeSpan time) => time.TotalMilliseconds.ToString("0.0", CultureInfo.InvariantCulture);

    private static int Option(IReadOnlyList<string> options, string name, int fallback)
    {
        var index = options.ToList().IndexOf("--" + name);
        if (index < 0)
        {
            return fallback;
        }
        if (index + 1 >= options.Count || !int.TryParse(options[index + 1], CultureInfo.InvariantCulture, out var value) || value <= 0)
        {
            throw new ArgumentException($"--{name} needs a positive whole number, e.g. --{name} {fallback}.");
        }
        return value;
    }
}
