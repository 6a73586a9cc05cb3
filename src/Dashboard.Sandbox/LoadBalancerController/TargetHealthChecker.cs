using System.Globalization;
using System.Text.Json.Nodes;
using Dashboard.Sandbox.Aws;
using Dashboard.Sandbox.Cluster;
using Dashboard.Sandbox.Kubernetes;

namespace Dashboard.Sandbox.LoadBalancerController;

/// <summary>
/// The load balancers' health checks, one state machine per registered target, evaluated on a timer
/// (<see cref="Tick"/> of simulated time): <c>initial</c> (<c>Elb.RegistrationInProgress</c> until the first check,
/// then <c>Elb.InitialHealthChecking</c>) → <c>healthy</c> after the healthy threshold of passing checks, or
/// <c>unhealthy</c> after the unhealthy threshold of failing ones (with the failure's reason), checks every interval
/// of the target group; <c>draining</c> targets are removed after <c>deregistration_delay.timeout_seconds</c>.
/// The state goes into <see cref="AwsWorld"/> (DescribeTargetHealth) and into pods' readiness gate conditions.
/// </summary>
internal sealed class TargetHealthChecker(ClusterRuntime runtime, AwsWorld aws, ClusterSimulation cluster, TargetRegistrar registrar) : IClusterController
{
    public const string TickKey = "tick";
    public static readonly TimeSpan Tick = TimeSpan.FromSeconds(1);
    private const int MaxCatchUpChecks = 10;
    private readonly Dictionary<string, Track> _tracks = new(StringComparer.Ordinal);
    private bool _scheduled;

    public void OnChange(ObjectChange change)
    {
        if (!_scheduled)
        {
            _scheduled = true;
            runtime.Enqueue(this, TickKey);
        }
    }

    public void Reconcile(string key)
    {
        var now = runtime.Time.GetUtcNow();
        try
        {
            Evaluate(now);
        }
        finally
        {
            runtime.RecheckAt(this, TickKey, now + Tick);
        }
    }

    private void Evaluate(DateTimeOffset now)
    {
        var bindings = registrar.Bindings().GroupBy(b => b.TargetGroupArn).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var podsByIp = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var pod in runtime.Cache(ResourceTypes.Pods).All())
        {
            if (JsonFields.String(pod["status"], "podIP") is { } ip && !PodStatus.IsTerminal(pod))
            {
                podsByIp[ip] = pod;
            }
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var targetGroup in aws.GetTargetGroups())
        {
            bindings.TryGetValue(targetGroup.Arn, out var binding);
            IReadOnlyList<RegisteredTarget> targets;
            try
            {
                targets = aws.GetTargets(targetGroup.Arn);
            }
            catch (AwsApiException)
            {
                continue; // deleted meanwhile
            }
            foreach (var target in targets)
            {
                var key = targetGroup.Arn + "|" + target.Id + "|" + target.Port.ToString(CultureInfo.InvariantCulture);
                seen.Add(key);
                var health = Advance(key, targetGroup, target, binding, podsByIp, now);
                if (binding?.BindingName is { } bindingName && targetGroup.TargetType == "ip" && health is not null
                    && health.State != TargetHealthState.Draining && podsByIp.TryGetValue(target.Id, out var pod)
                    && JsonFields.Namespace(pod) == binding.Namespace
                    && ReadinessGates.IsEnabled(runtime.Cache(ResourceTypes.Namespaces).Get(null, binding.Namespace)))
                {
                    ReadinessGates.Sync(runtime, pod, bindingName, health, now);
                }
            }
        }
        foreach (var stale in _tracks.Keys.Where(k => !seen.Contains(k)).ToList())
        {
            _tracks.Remove(stale);
        }
    }

    /// <summary>Runs the checks that are due for one target; returns its health afterwards (null when it was removed).</summary>
    private TargetHealth? Advance(string key, TargetGroup targetGroup, RegisteredTarget target, TargetBinding? binding,
        Dictionary<string, JsonObject> podsByIp, DateTimeOffset now)
    {
        var health = target.Health;
        if (health.State == TargetHealthState.Draining)
        {
            var delay = int.TryParse(targetGroup.Attributes.GetValueOrDefault("deregistration_delay.timeout_seconds", "300"),
                NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) ? seconds : 300;
            if (now - health.Since >= TimeSpan.FromSeconds(delay))
            {
                aws.RemoveTarget(targetGroup.Arn, target.Id, target.Port);
                _tracks.Remove(key);
                return null;
            }
            return health;
        }
        if (health.State is TargetHealthState.Unused or TargetHealthState.Unavailable)
        {
            _tracks.Remove(key);
            return health;
        }
        var check = targetGroup.HealthCheck;
        var interval = TimeSpan.FromSeconds(check.IntervalSeconds);
        if (!_tracks.TryGetValue(key, out var track) || track.Written != health)
        {
            // New, re-registered, or changed by someone else: start over from the state AWS shows.
            var first = health.Since + interval;
            track = new Track { State = health.State, NextCheck = first > now ? first : now };
            _tracks[key] = track;
        }
        var checks = 0;
        while (track.NextCheck <= now && checks++ < MaxCatchUpChecks)
        {
            var result = targetGroup.TargetType == "instance"
                ? CheckInstance(check, target, binding, podsByIp)
                : HealthCheckProbe.Check(check, Probed(podsByIp.GetValueOrDefault(target.Id)));
            Apply(track, check, result);
            track.NextCheck += interval;
        }
        if (track.NextCheck <= now)
        {
            track.NextCheck = now + interval;
        }
        if (checks == 0 && track.Written is not null)
        {
            return health;
        }
        var desired = track.State switch
        {
            TargetHealthState.Healthy => new TargetHealth(TargetHealthState.Healthy, null, null, health.Since),
            TargetHealthState.Unhealthy => new TargetHealth(TargetHealthState.Unhealthy, track.Reason, track.Description, health.Since),
            _ when track.Checks == 0 => new TargetHealth(TargetHealthState.Initial, "Elb.RegistrationInProgress", "Target registration is in progress", health.Since),
            _ => new TargetHealth(TargetHealthState.Initial, "Elb.InitialHealthChecking", "Initial health checking in progress", health.Since),
        };
        if (desired.State != health.State || desired.Reason != health.Reason || desired.Description != health.Description)
        {
            health = aws.SetTargetHealth(targetGroup.Arn, target.Id, target.Port, desired.State, desired.Reason, desired.Description).Health;
        }
        track.Written = health;
        return health;
    }

    private static void Apply(Track track, HealthCheck check, ProbeResult result)
    {
        track.Checks++;
        if (result.Success)
        {
            track.Successes++;
            track.Failures = 0;
            if (track.State is TargetHealthState.Initial or TargetHealthState.Unhealthy && track.Successes >= check.HealthyThresholdCount)
            {
                track.State = TargetHealthState.Healthy;
            }
            return;
        }
        track.Failures++;
        track.Successes = 0;
        if (track.State is TargetHealthState.Initial or TargetHealthState.Healthy && track.Failures >= check.UnhealthyThresholdCount)
        {
            track.State = TargetHealthState.Unhealthy;
        }
        if (track.State == TargetHealthState.Unhealthy)
        {
            track.Reason = result.Reason;
            track.Description = result.Description;
        }
    }

    private ProbedPod? Probed(JsonObject? pod)
    {
        if (pod is null)
        {
            return null;
        }
        var behaviour = cluster.Behaviour(JsonFields.Namespace(pod) ?? "", JsonFields.Name(pod) ?? "") ?? PodBehaviourAnnotations.Read(pod);
        return new ProbedPod(pod, behaviour);
    }

    private ProbeResult CheckInstance(HealthCheck check, RegisteredTarget target, TargetBinding? binding, Dictionary<string, JsonObject> podsByIp)
    {
        if (binding is null || runtime.Cache(ResourceTypes.Services).Get(binding.Namespace, binding.ServiceName) is not { } service)
        {
            return ProbeResult.Failed;
        }
        var node = runtime.Cache(ResourceTypes.Nodes).All().FirstOrDefault(n => JsonFields.String(n["spec"], "providerID")?.EndsWith("/" + target.Id, StringComparison.Ordinal) == true);
        var local = JsonFields.String(service["spec"], "externalTrafficPolicy") == "Local";
        var healthCheckNodePort = local && JsonFields.Long(service["spec"], "healthCheckNodePort") is { } hcPort
            && check.Port == hcPort.ToString(CultureInfo.InvariantCulture);
        var reachable = new List<ProbedPod>();
        foreach (var slice in runtime.Cache(ResourceTypes.EndpointSlices).InNamespace(binding.Namespace))
        {
            if (JsonFields.Labels(slice).GetValueOrDefault("kubernetes.io/service-name") != binding.ServiceName)
            {
                continue;
            }
            foreach (var endpoint in JsonFields.Objects(slice["endpoints"]))
            {
                if (JsonFields.Bool(endpoint["conditions"], "ready") == false
                    || (local && JsonFields.String(endpoint, "nodeName") != JsonFields.Name(node)))
                {
                    continue;
                }
                var address = (endpoint["addresses"] as JsonArray)?.FirstOrDefault()?.ToString();
                if (address is not null && Probed(podsByIp.GetValueOrDefault(address)) is { } probed)
                {
                    reachable.Add(probed);
                }
            }
        }
        return HealthCheckProbe.CheckNode(check, reachable, healthCheckNodePort);
    }

    private sealed class Track
    {
        public required TargetHealthState State { get; set; }
        public required DateTimeOffset NextCheck { get; set; }
        public int Checks { get; set; }
        public int Successes { get; set; }
        public int Failures { get; set; }
        public string? Reason { get; set; }
        public string? Description { get; set; }
        public TargetHealth? Written { get; set; }
    }
}
