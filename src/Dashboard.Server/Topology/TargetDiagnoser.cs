using System.Globalization;
using Dashboard.Client.Localization;
using Dashboard.Client.Model;
using Dashboard.Server.Aws.ElasticLoadBalancing;
using k8s.Models;

namespace Dashboard.Server.Topology;

/// <summary>
/// Why a target is not healthy, reasoned from the data the way on-call reasons: the reason code first, then the
/// evidence that explains it (health-check settings next to the pod's probe, ports, readiness, nodes, security groups,
/// delays). Every diagnosis lists the facts it rests on and one fix. Pure.
/// </summary>
internal static partial class TargetDiagnoser
{
    public const int DefaultDeregistrationDelaySeconds = 300;

    /// <summary>Everything one target's diagnosis may look at.</summary>
    public sealed record Input(KubernetesIndex K8s, AwsIndex Aws, TopologyContext Context, LoadBalancer LoadBalancer, TargetGroup TargetGroup,
        TargetGroupView Group, TargetView Target, V1Service? Service);

    public sealed record Result(Diagnosis Diagnosis, TriageSeverity Severity);

    public static Result Diagnose(Input input)
    {
        var target = input.Target;
        var evidence = new List<string>
        {
            $"AWS reports {target.State}" + (target.Reason is null ? "" : $" ({target.Reason})") + (target.Description is null ? "" : $": {target.Description}"),
        };
        if (target.Since is { } since)
        {
            evidence.Add($"in this state since {since.ToString("u", CultureInfo.InvariantCulture)} ({Duration(input.Context.Now - since)})");
        }
        var result = target.State switch
        {
            "unused" => NotInUse(input, evidence),
            "draining" => Draining(input, evidence),
            "initial" => Initial(input, evidence),
            "unavailable" => new Result(new Diagnosis("HealthChecksDisabled", "Health checks are disabled for this target group", [.. evidence],
                "Enable health checks on the target group (the controller enables them unless told otherwise)."), TriageSeverity.Notice),
            _ => Unhealthy(input, evidence),
        };
        return result;
    }

    private static Result NotInUse(Input input, List<string> evidence)
    {
        var tg = input.TargetGroup;
        var lb = input.LoadBalancer;
        if (!input.Aws.Forwarded.Contains(tg.TargetGroupArn))
        {
            evidence.Add($"no listener or rule of {lb.LoadBalancerName} forwards to {tg.TargetGroupName}");
            return new Result(new Diagnosis("TargetGroupNotInUse", "The target group is not attached to any listener", [.. evidence],
                "Check that the Ingress rule or Service port that should use this target group exists; the controller attaches it on its next reconcile (see its events). Otherwise the group is left over and can be deleted with its owner."),
                TriageSeverity.Notice);
        }
        var zones = lb.AvailabilityZones.Select(z => z.ZoneName).ToList();
        if (input.Target.Zone is { } zone && zone != "all" && zones.Count > 0 && !zones.Contains(zone, StringComparer.Ordinal))
        {
            evidence.Add($"the target is in {zone}; {lb.LoadBalancerName} is enabled in {string.Join(", ", zones)}");
            var zoneTitle = LocalText.Of("Diagnosis.ZoneNotEnabled.Title", zone);
            return new Result(new Diagnosis("ZoneNotEnabled", zoneTitle.English, [.. evidence],
                $"Add a subnet in {zone} to the balancer (subnets annotation, or tag a subnet of that zone for the controller's discovery), or keep the pods out of that zone.")
                { TitleText = zoneTitle },
                TriageSeverity.Notice);
        }
        evidence.Add($"{tg.TargetGroupName} is forwarded to, and the target's zone is enabled");
        return new Result(new Diagnosis("TargetNotInUse", "The balancer does not use this target", [.. evidence],
            "AWS marks targets unused briefly while a listener or zone changes; if it lasts, re-register the target (restart the pod, or let the controller reconcile)."),
            TriageSeverity.Notice);
    }

    private static Result Draining(Input input, List<string> evidence)
    {
        var delay = input.Group.Attributes.TryGetValue("deregistration_delay.timeout_seconds", out var text)
            && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) ? parsed : DefaultDeregistrationDelaySeconds;
        evidence.Add($"deregistration delay: {delay} s" + (input.Group.Attributes.ContainsKey("deregistration_delay.timeout_seconds") ? "" : " (the AWS default)"));

        // Why it is deregistered decides the diagnosis: a pod going away is expected; a pod still running but not ready
        // has lost its capacity to a failing readiness probe, and the draining is only the consequence.
        var pod = input.Target.Pod is { } pv ? input.K8s.PodsByName.GetValueOrDefault($"{pv.Namespace}/{pv.Name}") : null;
        if (pod is not null && pod.Metadata?.DeletionTimestamp is null && pod.Status?.Phase == "Running" && !KubernetesIndex.IsReady(pod))
        {
            var crashing = KubernetesIndex.CrashLooping(pod);
            evidence.Add($"pod {pod.Metadata!.Name} is Running but not ready, so it left the Service's endpoints and the controller deregistered it");
            if (crashing is not null)
            {
                evidence.Add($"container {crashing.Name} in CrashLoopBackOff, {crashing.RestartCount} restarts");
            }
            CapacityDiagnoser.AddProbe(pod, evidence);
            AddProbeEvents(input, pod, evidence);
            var podTitle = LocalText.Of(crashing is null ? "Diagnosis.PodNotReady.Title" : "Diagnosis.PodCrashLooping.Title", pod.Metadata.Name);
            return new Result(new Diagnosis(crashing is null ? "PodNotReadyDeregistered" : "PodCrashLooping",
                podTitle.English,
                [.. evidence],
                (crashing is null
                    ? $"The pod is not going away: it is running but its readiness probe fails{CapacityDiagnoser.ProbeText(pod)}, so it serves nothing. Read its events and log tail (kubectl -n {pod.Metadata.NamespaceProperty} logs {pod.Metadata.Name}) and fix what the probe reports."
                    : $"Read the previous container's log (kubectl -n {pod.Metadata.NamespaceProperty} logs {pod.Metadata.Name} --previous) and fix the crash.")
                + " The draining is a consequence: a shorter deregistration delay would not help.") { TitleText = podTitle }, TriageSeverity.Degraded);
        }
        if (pod?.Metadata?.DeletionTimestamp is not null)
        {
            evidence.Add($"pod {pod.Metadata.Name} is terminating (rollout, scale-in or eviction)");
        }
        else if (input.Target.Pod is null && input.Group.TargetType == "ip")
        {
            evidence.Add($"no pod holds {input.Target.Id} any more: the pod is gone");
        }

        if (input.Target.Since is { } since)
        {
            var (elapsed, frozen) = Elapsed(input, since);
            var remaining = TimeSpan.FromSeconds(delay) - elapsed;
            if (remaining < TimeSpan.Zero)
            {
                evidence.Add($"draining {Duration(-remaining)} longer than the delay" + (frozen ? $" when AWS was last read ({Clock(input.Group.HealthAsOf)})" : ""));
                return new Result(new Diagnosis("DrainingStuck", "Draining for longer than the deregistration delay", [.. evidence],
                    "Long-lived connections keep the target draining until they close or the delay ends; if it persists, check the target group's deregistration delay and whether AWS still shows the target (it may be a stale read)."),
                    TriageSeverity.Stuck);
            }
            if (frozen)
            {
                return Unknown(input, evidence, "draining");
            }
            evidence.Add($"about {Duration(remaining)} of the delay remain");
        }
        return new Result(new Diagnosis("DeregistrationInProgress", "The target is being deregistered", [.. evidence],
            $"Nothing to fix if the pod is going away (rollout, scale-in). To drain faster, lower deregistration_delay.timeout_seconds (now {delay} s) in the target-group-attributes annotation."),
            TriageSeverity.Notice);
    }

    private static Result Initial(Input input, List<string> evidence)
    {
        var hc = input.Group.HealthCheck;
        var expected = TimeSpan.FromSeconds(Math.Max(1, hc.IntervalSeconds) * Math.Max(1, hc.HealthyThreshold));
        // Registration itself takes a while before the first check (real ELB: 90-180 s): allow for it.
        if (input.Target.Reason == "Elb.RegistrationInProgress")
        {
            expected += TimeSpan.FromSeconds(180);
        }
        evidence.Add($"health checks every {hc.IntervalSeconds} s, {hc.HealthyThreshold} passes needed: healthy after about {Duration(expected)}");
        AddPodEvidence(input, evidence);
        if (input.Target.Since is { } since)
        {
            var (elapsed, frozen) = Elapsed(input, since);
            if (elapsed > expected)
            {
                if (frozen)
                {
                    evidence.Add($"already {Duration(elapsed)} in initial when AWS was last read ({Clock(input.Group.HealthAsOf)}); unknown since ({input.Context.AwsStale!.Reason})");
                }
                return new Result(new Diagnosis("InitialStuck", "Stuck in initial health checking", [.. evidence],
                    "The target has been checked for longer than it takes to pass: the checks are failing silently. Compare the health-check path and port with what the pod serves, and check that the pod is ready."),
                    TriageSeverity.Stuck);
            }
            if (frozen)
            {
                return Unknown(input, evidence, "initial");
            }
        }
        return new Result(new Diagnosis("Initial", "Registration or first health checks in progress", [.. evidence],
            "Wait for the first health checks; it becomes stuck when it takes longer than shown above."),
            TriageSeverity.Notice);
    }

    /// <summary>
    /// The time in state that was observed on fresh data: up to the group's last health read while AWS is stale (the state
    /// after it is not known), else up to now. <c>frozen</c> is true while AWS is stale.
    /// </summary>
    private static (TimeSpan Elapsed, bool Frozen) Elapsed(Input input, DateTimeOffset since)
    {
        if (input.Context.AwsStale is null)
        {
            return (input.Context.Now - since, false);
        }
        var end = input.Group.HealthAsOf ?? input.Context.AwsStale.LastGoodAt ?? since;
        return (end < since ? TimeSpan.Zero : end - since, true);
    }

    /// <summary>A time-based state whose outcome is not known: AWS stopped answering before the time it takes ran out.</summary>
    private static Result Unknown(Input input, List<string> evidence, string state)
    {
        var stale = input.Context.AwsStale!;
        var at = Clock(input.Group.HealthAsOf ?? stale.LastGoodAt);
        evidence.Add($"last read {at} UTC; AWS has not answered since ({stale.Reason}), so how long it has really been {state} is not known");
        return new Result(new Diagnosis("StateUnknown", $"{char.ToUpperInvariant(state[0])}{state[1..]} at {at}; unknown since {at} ({stale.Reason})", [.. evidence],
            $"Nothing here is known to be wrong. Wait for AWS to answer again, or ask it directly: aws elbv2 describe-target-health --target-group-arn {input.Group.Arn}"),
            TriageSeverity.Notice);
    }

    private static string Clock(DateTimeOffset? at) => at is { } t ? t.UtcDateTime.ToString("HH:mm", CultureInfo.InvariantCulture) : "?";

    private static Result Unhealthy(Input input, List<string> evidence)
    {
        var group = input.Group;
        var lb = input.LoadBalancer;
        var outage = group.Targets.All(t => t.State != "healthy") && group.Targets.Length > 0;
        var pod = input.Target.Pod is { } pv ? input.K8s.PodsByName.GetValueOrDefault($"{pv.Namespace}/{pv.Name}") : null;
        var nodeName = input.Target.Node?.Name ?? pod?.Spec?.NodeName;
        var node = nodeName is null ? null : input.K8s.NodesByName.GetValueOrDefault(nodeName);
        var severity = outage ? TriageSeverity.Outage : TriageSeverity.Degraded;
        if (outage)
        {
            evidence.Add(lb.Type == "network"
                ? $"every target of {group.Name} is unhealthy: the NLB fails open and sends traffic to all of them anyway"
                : $"every target of {group.Name} is unhealthy: the ALB fails open and routes requests to all of them anyway, so clients see the errors");
        }

        Result Make(string code, string title, string fix, TriageSeverity? bySeverity = null) =>
            new(new Diagnosis(code, title, [.. evidence], fix), bySeverity ?? severity);

        // externalTrafficPolicy: Local with instance targets: nodes without a ready local pod fail on purpose.
        if (group.TargetType == "instance" && input.Service?.Spec?.ExternalTrafficPolicy == "Local" && input.Target.Node is { } targetNode
            && !HasReadyPodOn(input, targetNode.Name))
        {
            evidence.Add($"{input.Service.Metadata.Name} has externalTrafficPolicy: Local and node {targetNode.Name} runs no ready pod of it");
            evidence.Add($"the health check probes healthCheckNodePort {input.Service.Spec.HealthCheckNodePort?.ToString(CultureInfo.InvariantCulture) ?? "?"}, which answers 503 on such nodes");
            return Make("TrafficPolicyLocal", "externalTrafficPolicy: Local with instance targets",
                "Expected on nodes without a pod of the Service: they get no traffic. To have every node healthy and keep source IPs, use ip targets (service.beta.kubernetes.io/aws-load-balancer-nlb-target-type: ip); or set externalTrafficPolicy: Cluster.",
                outage ? TriageSeverity.Outage : TriageSeverity.Notice);
        }

        if (input.Target.Reason == "Target.ResponseCodeMismatch")
        {
            return ResponseCodeMismatch(input, evidence, pod, Make);
        }

        if (pod is not null && KubernetesIndex.CrashLooping(pod) is { } crashing)
        {
            evidence.Add($"pod {pod.Metadata.Name}: container {crashing.Name} in CrashLoopBackOff, {crashing.RestartCount} restarts"
                + (crashing.LastState?.Terminated is { } last ? $", last exit {last.ExitCode} ({last.Reason})" : ""));
            return Make("PodCrashLooping", $"Pod {pod.Metadata.Name} is crash-looping",
                $"Nothing listens while the container restarts. Read the pod's log tail and its previous exit; fix the crash (configuration, memory limit, dependency).");
        }

        if (PortMismatch(input, pod) is { } mismatch)
        {
            evidence.Add(mismatch);
            return Make("PortMismatch", "The health check or traffic goes to a port nothing listens on",
                "Make the Service's targetPort (and any healthcheck-port annotation) name the port the container listens on; prefer a named containerPort.");
        }

        if (pod is not null && !KubernetesIndex.IsReady(pod))
        {
            var condition = pod.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready");
            evidence.Add($"pod {pod.Metadata.Name} is not Ready ({pod.Status?.Phase}" + (condition?.Reason is { } r ? $", {r}" : "") + ")");
            AddProbeEvents(input, pod, evidence);
            return Make("PodNotReady", $"Pod {pod.Metadata.Name} is not ready",
                "The pod fails its own readiness probe as well: the application is not serving. Check its events and log tail.");
        }

        if (node is not null && !KubernetesIndex.IsReady(node))
        {
            evidence.Add($"node {node.Metadata.Name} is not Ready");
            return Make("NodeNotReady", $"Node {node.Metadata.Name} is not ready",
                "The node is unhealthy (kubelet, network, capacity): cordon and drain it, or let the node group replace it.");
        }

        // Nothing in Kubernetes explains it: the network between the balancer and the target does.
        var port = group.HealthCheck.Port == "traffic-port" ? input.Target.Port.ToString(CultureInfo.InvariantCulture) : group.HealthCheck.Port;
        evidence.Add(pod is not null ? $"pod {pod.Metadata.Name} is Ready, so it answers its own probe inside the cluster" : "no Kubernetes object explains the failure");
        evidence.Add(lb.SecurityGroups.Count > 0
            ? $"the balancer's security groups: {string.Join(", ", lb.SecurityGroups)}"
            : "the balancer has no security group (NLB): the targets' security group must allow the clients' and the VPC's addresses");
        var (rule, command) = NodeSecurityGroupEvidence(input, port);
        if (rule is not null)
        {
            evidence.Add(rule);
        }
        return Make("SecurityGroup", "Health checks do not reach the target",
            command ?? $"Allow the balancer's security group (or the VPC CIDR for an NLB without one) to reach port {port} in the {(group.TargetType == "ip" ? "pods'" : "nodes'")} security group; check the health-check timeout ({group.HealthCheck.TimeoutSeconds} s) against the application's response time.");
    }

    private static Result ResponseCodeMismatch(Input input, List<string> evidence, V1Pod? pod, Func<string, string, string, TriageSeverity?, Result> make)
    {
        var hc = input.Group.HealthCheck;
        var alb = input.LoadBalancer.Type == "application";
        var pathAnnotation = alb ? "alb.ingress.kubernetes.io/healthcheck-path" : "service.beta.kubernetes.io/aws-load-balancer-healthcheck-path";
        var codesAnnotation = alb ? "alb.ingress.kubernetes.io/success-codes" : "service.beta.kubernetes.io/aws-load-balancer-healthcheck-success-codes";
        evidence.Add($"health check: {hc.Protocol} GET {hc.Path ?? "/"} on {(hc.Port == "traffic-port" ? "the traffic port" : "port " + hc.Port)}, success codes {hc.Matcher ?? "200"}");
        var probe = input.Target.Pod;
        if (probe?.ReadinessProbePath is { } probePath)
        {
            evidence.Add($"pod {probe.Name} readiness probe: GET {probePath} on port {probe.ReadinessProbePort}");
        }
        if (pod is not null)
        {
            AddProbeEvents(input, pod, evidence);
        }
        if (probe?.ReadinessProbePath is { } path && !string.Equals(path, hc.Path ?? "/", StringComparison.Ordinal))
        {
            evidence.Add($"the health check asks {hc.Path ?? "/"}, but the application's own probe uses {path}");
            var where = SettingSource(input, pathAnnotation);
            evidence.Add(where.Evidence);
            var result = make("ResponseCodeMismatch", $"Health check path {hc.Path ?? "/"} answers with an unexpected code",
                $"Point the health check at the path the application serves: set {pathAnnotation}: {path} on {where.Object.Kind.ToString().ToLowerInvariant()} {where.Object.Namespace}/{where.Object.Name}"
                + (where.Shadowed is { } shadowed ? $" ({shadowed})" : "") + $" (or serve {hc.Path ?? "/"}).", null);
            return result with
            {
                Diagnosis = result.Diagnosis with
                {
                    FixObject = where.Object,
                    FixCommand = Annotate(where.Object, pathAnnotation, path),
                },
            };
        }
        return make("ResponseCodeMismatch", $"{hc.Path ?? "/"} answers with a code outside {hc.Matcher ?? "200"}",
            $"The application itself fails {hc.Path ?? "/"} (its readiness probe agrees when it fails too): read the pod's log tail and fix it. If that answer is expected, widen {codesAnnotation}.", null);
    }

    /// <summary>Where a target group setting comes from, and so which object a fix must edit.</summary>
    internal sealed record Source(ObjectRef Object, string Evidence, string? Shadowed);

    /// <summary>
    /// The object whose annotation decides a target-group setting, by the AWS Load Balancer Controller's precedence: for
    /// an ALB, the backend Service's <c>alb.ingress.kubernetes.io/*</c> annotation over the Ingress's (the Ingress that
    /// routes to that Service), then the controller's default (set it on that Ingress); for an NLB, the Service.
    /// </summary>
    internal static Source SettingSource(Input input, string annotation)
    {
        var service = input.Service;
        var serviceRef = service is null ? input.Group.Service : KubernetesIndex.Ref(ObjectKind.Service, service.Metadata);
        var serviceValue = service?.Metadata?.Annotations?.TryGetValue(annotation, out var v) == true ? v : null;
        if (input.LoadBalancer.Type != "application")
        {
            var svc = serviceRef ?? new ObjectRef(ObjectKind.Service, "default", "?");
            return new Source(svc, serviceValue is null
                ? $"{annotation} is not set on Service {svc.Namespace}/{svc.Name}: the controller's default applies"
                : $"{annotation}: {serviceValue} is set on Service {svc.Namespace}/{svc.Name}", null);
        }
        var member = input.Group.Member;
        var ingress = member is null ? null : input.K8s.Ingresses.GetValueOrDefault($"{member.Namespace}/{member.Name}");
        var ingressValue = ingress?.Metadata?.Annotations?.TryGetValue(annotation, out var iv) == true ? iv : null;
        if (serviceValue is not null && serviceRef is not null)
        {
            return new Source(serviceRef,
                $"{annotation}: {serviceValue} is set on Service {serviceRef.Namespace}/{serviceRef.Name}, which takes precedence over the Ingress for its target group"
                + (ingressValue is null ? "" : $" (Ingress {member!.Namespace}/{member.Name} sets {ingressValue}, which is ignored)"),
                ingressValue is null ? null : $"the Service's annotation overrides Ingress {member!.Name}'s {ingressValue}; editing the Ingress would change nothing");
        }
        if (member is not null)
        {
            return new Source(member, ingressValue is null
                ? $"{annotation} is set neither on Service {serviceRef?.Name ?? "?"} nor on Ingress {member.Namespace}/{member.Name}: the controller's default applies"
                : $"{annotation}: {ingressValue} is set on Ingress {member.Namespace}/{member.Name} (Service {serviceRef?.Name ?? "?"} does not override it)", null);
        }
        var fallback = serviceRef ?? new ObjectRef(ObjectKind.Service, "default", "?");
        return new Source(fallback, $"{annotation} is not set on Service {fallback.Namespace}/{fallback.Name}", null);
    }

    /// <summary><c>kubectl -n ns annotate kind name key=value --overwrite</c>.</summary>
    internal static string Annotate(ObjectRef target, string annotation, string value) =>
        $"kubectl -n {target.Namespace} annotate {target.Kind.ToString().ToLowerInvariant()} {target.Name} {annotation}={value} --overwrite";

    private static string? PortMismatch(Input input, V1Pod? pod)
    {
        var target = input.Target;
        var hcPort = input.Group.HealthCheck.Port;
        if (input.Group.TargetType == "ip" && pod is not null)
        {
            var ports = (pod.Spec?.Containers ?? []).SelectMany(c => c.Ports ?? []).Select(p => p.ContainerPort).ToHashSet();
            if (ports.Count == 0)
            {
                return null;
            }
            var list = string.Join(", ", ports.Order());
            if (!ports.Contains(target.Port))
            {
                return $"traffic goes to port {target.Port}, but pod {pod.Metadata.Name} listens on {list}";
            }
            if (int.TryParse(hcPort, NumberStyles.Integer, CultureInfo.InvariantCulture, out var explicitPort) && !ports.Contains(explicitPort))
            {
                return $"the health check probes port {explicitPort}, but pod {pod.Metadata.Name} listens on {list}";
            }
        }
        if (input.Group.TargetType == "instance" && input.Service?.Spec?.Ports is { Count: > 0 } servicePorts)
        {
            var nodePorts = servicePorts.Select(p => p.NodePort).OfType<int>().ToHashSet();
            if (nodePorts.Count > 0 && !nodePorts.Contains(target.Port))
            {
                return $"the target is registered on port {target.Port}, but {input.Service.Metadata.Name}'s node ports are {string.Join(", ", nodePorts.Order())}";
            }
        }
        return null;
    }

    private static bool HasReadyPodOn(Input input, string nodeName)
    {
        var service = input.Service!;
        var slices = input.K8s.SlicesByService.GetValueOrDefault($"{service.Metadata.NamespaceProperty}/{service.Metadata.Name}") ?? [];
        return slices.SelectMany(s => s.Endpoints ?? []).Any(e => e.NodeName == nodeName && e.Conditions?.Ready != false);
    }

    private static void AddPodEvidence(Input input, List<string> evidence)
    {
        if (input.Target.Pod is not { } pod)
        {
            return;
        }
        evidence.Add($"pod {pod.Name}: {pod.Phase}, {(pod.Ready ? "ready" : "not ready")}, {pod.Restarts} restarts" + (pod.ReadinessGate is null ? "" : $", gate {pod.ReadinessGate}"));
    }

    /// <summary>The pod's newest probe failure events: they carry what the pod answered ("HTTP probe failed with statuscode: 500").</summary>
    /// <summary>The pod's probe failure events of the current incident (see <see cref="CapacityDiagnoser.AddProbeEvents"/>).</summary>
    private static void AddProbeEvents(Input input, V1Pod pod, List<string> evidence) =>
        CapacityDiagnoser.AddProbeEvents(input.K8s, pod, evidence, KubernetesIndex.IsReady(pod) ? input.Target.Since : null);

    public static string Duration(TimeSpan span)
    {
        if (span < TimeSpan.Zero)
        {
            span = TimeSpan.Zero;
        }
        return span.TotalHours >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalHours}h {span.Minutes}m")
            : span.TotalMinutes >= 1
                ? string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalMinutes}m {span.Seconds}s")
                : string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalSeconds}s");
    }
}
