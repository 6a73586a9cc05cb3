using System.Collections.Immutable;
using Dashboard.Client.Changes;
using Dashboard.Client.Model;
using Dashboard.Server.Inventory;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Dashboard.Server.Changes;

/// <summary>Building plans: what each action writes, its preflight checks, the dry run and the preview.</summary>
public sealed partial class ChangeService
{
    private async Task<Built> BuildExposeAsync(ChangeRequest request, ClusterWrites writes, CancellationToken cancellationToken)
    {
        var ns = request.Namespace!;
        var workload = request.Workload!;
        IDictionary<string, string>? selector;
        V1PodTemplateSpec? template = null;
        int? targetPort = request.TargetPort;
        var warnings = new List<ChangeWarning>();
        if (workload.Kind == "Deployment")
        {
            var deployment = await writes.ReadDeploymentAsync(ns, workload.Name!, cancellationToken)
                ?? throw Invalid(Error("workload.name", $"There is no Deployment {workload.Name} in namespace {ns}: check the name (kubectl get deployments -n {ns})."));
            selector = deployment.Spec?.Selector?.MatchLabels;
            if (selector is not { Count: > 0 })
            {
                throw Invalid(Error("workload.name", $"Deployment {workload.Name} selects its pods by expressions only; a Service needs matchLabels: expose a Service that selects them instead."));
            }
            template = deployment.Spec?.Template;
        }
        else
        {
            if (await writes.ReadAsync(new ObjectRef(ObjectKind.Service, ns, workload.Name!), cancellationToken) is not V1Service service)
            {
                throw Invalid(Error("workload.name", $"There is no Service {workload.Name} in namespace {ns}: check the name (kubectl get services -n {ns})."));
            }
            if (service.Spec?.Type == "LoadBalancer" && request.Via == "nlb")
            {
                throw Invalid(Error("workload.name", $"Service {workload.Name} is a LoadBalancer Service already: reconfigure it from its page instead."));
            }
            selector = service.Spec?.Selector;
            var servicePort = service.Spec?.Ports?.FirstOrDefault(p => p.Port == request.Port);
            if (servicePort is null && request.Via == "alb")
            {
                throw Invalid(Error("port", $"Service {workload.Name} has no port {request.Port}: use one of {string.Join(", ", (service.Spec?.Ports ?? []).Select(p => p.Port))}."));
            }
            targetPort ??= int.TryParse(servicePort?.TargetPort?.Value, out var number) ? number : null;
            var pods = await writes.PodsAsync(ns, selector, cancellationToken);
            template = pods.FirstOrDefault() is { } pod ? new V1PodTemplateSpec { Spec = pod.Spec } : null;
            if (selector is not { Count: > 0 })
            {
                throw Invalid(Error("workload.name", $"Service {workload.Name} has no selector, so a new Service cannot select its pods: expose the Deployment instead."));
            }
        }
        if (request.HealthCheck?.Path is null && ManifestBuilder.HealthCheckFromProbe(template) is { Check: null, Note: { } note })
        {
            warnings.Add(new ChangeWarning("no-readiness-probe", LintSeverity.Warning, note));
        }

        var steps = new List<PlanStep>();
        var name = request.Name!;
        if (request.Via == "nlb")
        {
            await RefuseTakenAsync(writes, new ObjectRef(ObjectKind.Service, ns, name), cancellationToken);
            var body = ManifestBuilder.NlbService(request, selector!, targetPort ?? ManifestBuilder.FirstContainerPort(template) ?? request.Port!.Value);
            steps.Add(new PlanStep(new ObjectRef(ObjectKind.Service, ns, name), PlannedOperation.Create, body, null, null));
        }
        else
        {
            if (!await writes.IngressClassIsAlbAsync(ManifestBuilder.AlbClass, cancellationToken))
            {
                throw Invalid(Error("via", $"There is no IngressClass '{ManifestBuilder.AlbClass}' whose controller is {IngressDecoder.AlbIngressController}: the Ingress would get no "
                    + "address and no events. Install the AWS Load Balancer Controller (its chart creates the IngressClass)."));
            }
            var backendName = workload.Name!;
            if (workload.Kind == "Deployment")
            {
                await RefuseTakenAsync(writes, new ObjectRef(ObjectKind.Service, ns, name), cancellationToken);
                steps.Add(new PlanStep(new ObjectRef(ObjectKind.Service, ns, name), PlannedOperation.Create, ManifestBuilder.BackendService(request, selector!), null, null));
                backendName = name;
            }
            await RefuseTakenAsync(writes, new ObjectRef(ObjectKind.Ingress, ns, name), cancellationToken);
            steps.Add(new PlanStep(new ObjectRef(ObjectKind.Ingress, ns, name), PlannedOperation.Create, ManifestBuilder.AlbIngress(request, backendName, request.Port!.Value), null, null));
            if (ChangeWarnings.BlastRadius(request.Group, ns, name, feed.Ingresses.Snapshot) is { } blast)
            {
                warnings.Add(blast);
            }
        }
        await PreflightAsync(writes, warnings, cancellationToken);
        if (ChangeWarnings.OpenRanges(request) is { } open)
        {
            warnings.Add(open);
        }
        return new Built(steps, warnings, new PreviousState { Delete = [.. steps.Select(s => s.Target)] }, []);
    }

    private async Task<Built> BuildReconfigureAsync(ChangeRequest request, ClusterWrites writes, CancellationToken cancellationToken, bool checkCreationOnly = true)
    {
        var t = request.Target!;
        var target = new ObjectRef(t.Kind == "Ingress" ? ObjectKind.Ingress : ObjectKind.Service, t.Namespace!, t.Name!);
        var live = await writes.ReadAsync(target, cancellationToken)
            ?? throw new ChangeRefusedException(ChangeRefusal.NotFound, $"There is no {t.Kind} {t.Namespace}/{t.Name}.");
        if (live is V1Service { Spec.Type: not "LoadBalancer" })
        {
            throw Invalid(Error("target.name", $"Service {t.Namespace}/{t.Name} is not a LoadBalancer Service, so no load balancer exists to reconfigure: expose it instead."));
        }
        var alb = target.Kind == ObjectKind.Ingress;
        var before = live is V1Service service ? ManifestBuilder.FromService(service) : ManifestBuilder.FromIngress((V1Ingress)live);
        var effective = Merge(before, request);
        if (checkCreationOnly && request.LoadBalancerName is not null && request.LoadBalancerName != before.LoadBalancerName)
        {
            throw Invalid(Error("loadBalancerName", ChangeWarnings.ReadOnlyFields()["loadBalancerName"]));
        }
        if (!alb && (request.WafAclArn is { Length: > 0 } || request.Group is { Length: > 0 }))
        {
            throw Invalid(Error(request.Group is { Length: > 0 } ? "group" : "wafAclArn", "This belongs to an ALB (an Ingress); a Service's NLB has no such setting: leave it empty."));
        }
        IKubernetesObject<V1ObjectMeta> body = live is V1Service liveService
            ? ManifestBuilder.ReconfigureService(effective, liveService)
            : ManifestBuilder.ReconfigureIngress(effective, (V1Ingress)live);
        var warnings = new List<ChangeWarning>(ChangeWarnings.ForReconfigure(before, effective, alb));
        if (ChangeWarnings.GitOps(live.Metadata) is { } gitOps)
        {
            warnings.Add(gitOps);
        }
        if (alb && ChangeWarnings.BlastRadius(effective.Group, target.Namespace, target.Name, feed.Ingresses.Snapshot) is { } blast)
        {
            warnings.Add(blast);
        }
        if (alb && request.Group is not null && request.Group != before.Group)
        {
            warnings.Add(new ChangeWarning(ChangeWarnings.ReplacesLoadBalancer, LintSeverity.Error,
                $"IngressGroup {before.Group ?? "(none)"} → {request.Group}: the Ingress MOVES to another ALB (another DNS name); its rules leave the old one."));
        }
        await PreflightAsync(writes, warnings, cancellationToken);
        var step = new PlanStep(target, PlannedOperation.Update, body, live, live.Metadata.ResourceVersion);
        return new Built([step], warnings, new PreviousState { Request = before }, []);
    }

    private async Task<Built> BuildUnexposeAsync(ChangeRequest request, ClusterWrites writes, CancellationToken cancellationToken)
    {
        var t = request.Target!;
        var target = new ObjectRef(t.Kind == "Ingress" ? ObjectKind.Ingress : ObjectKind.Service, t.Namespace!, t.Name!);
        var live = await writes.ReadAsync(target, cancellationToken)
            ?? throw new ChangeRefusedException(ChangeRefusal.NotFound, $"There is no {t.Kind} {t.Namespace}/{t.Name}.");
        var warnings = new List<ChangeWarning>();
        var endpoint = feed.Endpoint(target).Snapshot.FirstOrDefault();
        var prices = Comparison();
        foreach (var balancer in endpoint?.LoadBalancers ?? [])
        {
            var shared = balancer.Owners.Count(o => !(o.Kind == target.Kind && o.Namespace == target.Namespace && o.Name == target.Name));
            var option = balancer.Type == "network" ? prices.Nlb : prices.Alb;
            warnings.Add(shared > 0
                ? new ChangeWarning(ChangeWarnings.GroupBlastRadius, LintSeverity.Warning,
                    $"{balancer.Name} stays: {shared} other member(s) of its IngressGroup still use it. Only this Ingress's rules and target groups go away.")
                : new ChangeWarning(ChangeWarnings.DeletesLoadBalancer, LintSeverity.Error,
                    $"DELETES {balancer.Type} load balancer {balancer.Name} ({balancer.DnsName}), its listeners and target groups: anything pointing at that DNS name stops working. "
                    + $"Saves at least {option.HourPrice * 730:0.00} USD a month (730 hours at {option.HourPrice} USD/h) plus its LCU charges."));
        }
        if (ChangeWarnings.GitOps(live.Metadata) is { } gitOps)
        {
            warnings.Add(gitOps);
        }
        var restore = new RestoreObject(target.Kind, Yaml(live));
        return new Built([new PlanStep(target, PlannedOperation.Delete, null, live, live.Metadata.ResourceVersion)], warnings, new PreviousState { Restore = [restore] }, []);
    }

    private async Task<ChangePlan> FinishPlanAsync(ChangeRequest request, string action, Built built, ChangeActor actor, string? rollsBack, ClusterWrites writes,
        CancellationToken cancellationToken)
    {
        var annotationErrors = ChangeValidation.ValidateAnnotations(built.Steps.Where(s => s.Body is not null).Select(s => (object)s.Body!));
        if (annotationErrors.Count > 0)
        {
            throw Invalid(annotationErrors);
        }
        var objects = ImmutableArray.CreateBuilder<PlannedObject>();
        var warnings = new List<ChangeWarning>(built.Warnings);
        var lints = new List<Lint>();
        foreach (var step in built.Steps)
        {
            var liveYaml = Yaml(step.Live);
            var resultYaml = "";
            DryRunResult dryRun;
            try
            {
                if (step.Operation == PlannedOperation.Delete)
                {
                    await writes.DeleteAsync(step.Target, step.ResourceVersion, dryRun: true, cancellationToken);
                }
                else
                {
                    var result = await writes.ApplyAsync(step.Body!, dryRun: true, force: false, cancellationToken);
                    resultYaml = Yaml(result);
                    lints.AddRange(await LintAsync(result, writes, cancellationToken));
                }
                dryRun = new DryRunResult(true, "The API server accepted the dry run (dryRun=All): nothing was stored.");
            }
            catch (HttpOperationException e)
            {
                var (code, message, conflicts) = ClusterWrites.Describe(e);
                dryRun = new DryRunResult(false, $"{code}: {message}");
                if (code == 403)
                {
                    warnings.Add(new ChangeWarning("rbac-forbidden", LintSeverity.Error, RbacMessage(writes, message)));
                }
                if (conflicts.Count > 0)
                {
                    warnings.Add(new ChangeWarning("field-conflict", LintSeverity.Error, ConflictMessage(conflicts)));
                }
            }
            var name = $"{step.Target.Kind.ToString().ToLowerInvariant()}/{step.Target.Namespace}/{step.Target.Name}";
            objects.Add(new PlannedObject
            {
                Object = step.Target,
                Operation = step.Operation,
                Manifest = step.Body is null ? "" : Manifest(step.Body),
                Live = liveYaml,
                Result = resultYaml,
                Diff = step.Operation == PlannedOperation.Delete || resultYaml.Length > 0 ? PlanPresentation.UnifiedDiff(liveYaml, resultYaml, name) : "",
                SideBySide = step.Operation == PlannedOperation.Delete || resultYaml.Length > 0 ? PlanPresentation.SideBySide(liveYaml, resultYaml) : [],
                DryRun = dryRun,
                ResourceVersion = step.ResourceVersion,
            });
        }
        var now = time.GetUtcNow();
        var plan = new ChangePlan
        {
            PlanId = NewId("p"),
            Action = action,
            User = actor.Name,
            CreatedAt = now,
            ExpiresAt = now + options.Value.PlanLifetime,
            Request = request,
            Objects = objects.ToImmutable(),
            Warnings = [.. warnings],
            Lints = [.. lints.DistinctBy(l => (l.Code, l.Title))],
            Cost = Comparison(),
            RollsBack = rollsBack,
        };
        await plans.SaveAsync(new StoredPlan(plan, built.Steps, built.Previous), now, cancellationToken);
        return plan;
    }

    /// <summary>The lint engine of the Services and Ingresses pages, run on the server's dry-run answer.</summary>
    private static async Task<IEnumerable<Lint>> LintAsync(IKubernetesObject<V1ObjectMeta> result, ClusterWrites writes, CancellationToken cancellationToken)
    {
        switch (result)
        {
            case V1Service service:
                var pods = await writes.PodsAsync(service.Metadata.NamespaceProperty, service.Spec?.Selector, cancellationToken);
                return InventoryLints.ForService(service, ServiceDecoder.Decode(service, []), new ServiceLintContext([.. pods], PodsKnown: true, AwsLoadBalancerControllerInstalled: true));
            case V1Ingress ingress:
                return InventoryLints.ForIngress(IngressDecoder.Decode(ingress), _ => true);
            default:
                return [];
        }
    }

    /// <summary>The failure table's preflight: the controller is there and ready (its webhook answers only then).</summary>
    private static async Task PreflightAsync(ClusterWrites writes, List<ChangeWarning> warnings, CancellationToken cancellationToken)
    {
        switch (await writes.ControllerReadyAsync(cancellationToken))
        {
            case null:
                warnings.Add(new ChangeWarning("controller-missing", LintSeverity.Error,
                    $"No {InventoryLints.ControllerDeploymentName} Deployment in kube-system: nothing will make the load balancer. Install the AWS Load Balancer Controller first."));
                break;
            case false:
                warnings.Add(new ChangeWarning("controller-not-ready", LintSeverity.Error,
                    "The AWS Load Balancer Controller has no ready replica: its webhook has no endpoints, so the apply fails with 'no endpoints available for service "
                    + "\"aws-load-balancer-webhook-service\"'. Fix the controller (kubectl -n kube-system get pods) before applying."));
                break;
        }
    }

    private static async Task RefuseTakenAsync(ClusterWrites writes, ObjectRef target, CancellationToken cancellationToken)
    {
        if (await writes.ReadAsync(target, cancellationToken) is not null)
        {
            throw Invalid(Error("name", $"A {target.Kind} named {target.Name} already exists in namespace {target.Namespace}: choose another name, or reconfigure it from its page."));
        }
    }

    /// <summary>The live settings with the request's given fields laid over them.</summary>
    internal static ChangeRequest Merge(ChangeRequest live, ChangeRequest request)
    {
        var b = live.HealthCheck ?? new HealthCheckRequest();
        var r = request.HealthCheck;
        return live with
        {
            Action = request.Action,
            Scheme = request.Scheme ?? live.Scheme,
            TargetType = request.TargetType ?? live.TargetType,
            HealthCheck = r is null ? live.HealthCheck : new HealthCheckRequest
            {
                Path = r.Path ?? b.Path,
                Port = r.Port ?? b.Port,
                Protocol = r.Protocol ?? b.Protocol,
                SuccessCodes = r.SuccessCodes ?? b.SuccessCodes,
                IntervalSeconds = r.IntervalSeconds ?? b.IntervalSeconds,
                TimeoutSeconds = r.TimeoutSeconds ?? b.TimeoutSeconds,
                HealthyThreshold = r.HealthyThreshold ?? b.HealthyThreshold,
                UnhealthyThreshold = r.UnhealthyThreshold ?? b.UnhealthyThreshold,
            },
            SourceRanges = request.SourceRanges ?? live.SourceRanges,
            CertificateArn = request.CertificateArn ?? live.CertificateArn,
            SslRedirect = request.SslRedirect ?? live.SslRedirect,
            SslPolicy = request.SslPolicy ?? live.SslPolicy,
            WafAclArn = request.WafAclArn ?? live.WafAclArn,
            DeregistrationDelaySeconds = request.DeregistrationDelaySeconds ?? live.DeregistrationDelaySeconds,
            Stickiness = request.Stickiness ?? live.Stickiness,
            Tags = request.Tags ?? live.Tags,
            Group = request.Group ?? live.Group,
        };
    }

    private static string Yaml(IKubernetesObject<V1ObjectMeta>? item) => item switch
    {
        V1Service service => PlanPresentation.CleanYaml(service),
        V1Ingress ingress => PlanPresentation.CleanYaml(ingress),
        _ => "",
    };

    private static string Manifest(IKubernetesObject<V1ObjectMeta> item) => item switch
    {
        V1Service service => PlanPresentation.Manifest(service),
        V1Ingress ingress => PlanPresentation.Manifest(ingress),
        _ => "",
    };

    private static Dictionary<string, string[]> Error(string field, string message) => new() { [field] = [message] };
}
