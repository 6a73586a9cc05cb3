using System.Collections.Immutable;
using Dashboard.Client.Model;

namespace Dashboard.Server.Api;

/// <summary>
/// Maps the pages' view models to the API's stable DTOs. Pure: the API answers what the pages show, in a shape of its own
/// that does not change when a view model does.
/// </summary>
public static class ApiMapping
{
    public static string KindName(ObjectKind kind) => kind == ObjectKind.Ingress ? "Ingress" : "Service";

    public static ObjectRefDto Ref(ObjectRef o) => new(KindName(o.Kind), o.Namespace, o.Name);

    public static ServiceDto Service(ServiceViewModel s) => new()
    {
        Kind = "Service",
        Namespace = s.Namespace,
        Name = s.Name,
        Uid = s.Uid,
        Type = s.Type,
        ClusterIp = s.ClusterIp,
        ExternalAddresses = s.ExternalAddresses,
        ExternalPending = s.ExternalPending,
        Ports = [.. s.Ports.Select(p => new ServicePortDto(p.Name, p.Port, p.TargetPort, p.Protocol, p.NodePort))],
        Selector = Sorted(s.Selector),
        Labels = Sorted(s.Labels),
        Annotations = Annotations(s.Annotations),
        LoadBalancer = s.LoadBalancer is { } lb ? LoadBalancerSettings(lb) : null,
        ReadyEndpoints = s.ReadyEndpoints,
        NotReadyEndpoints = s.NotReadyEndpoints,
        CreatedAt = s.CreatedAt.ToUniversalTime(),
        Lints = Lints(s.Lints),
    };

    public static IngressDto Ingress(IngressViewModel i) => new()
    {
        Kind = "Ingress",
        Deletion = i.Deletion is { } deletion ? new DeletionDto(deletion.Since, deletion.Finalizers) : null,
        Namespace = i.Namespace,
        Name = i.Name,
        Uid = i.Uid,
        IngressClass = i.IngressClass,
        ClassFromDeprecatedAnnotation = i.ClassFromDeprecatedAnnotation,
        GroupName = i.GroupName,
        GroupOrder = i.GroupOrder,
        Rules = [.. i.Rules.Select(r => new IngressRuleDto(r.Host, [.. r.Paths.Select(p => new IngressPathDto(p.Path, p.PathType, Backend(p.Backend)))]))],
        DefaultBackend = i.DefaultBackend is { } backend ? Backend(backend) : null,
        Tls = [.. i.Tls.Select(t => new IngressTlsDto(t.Hosts, t.SecretName))],
        CertificateArn = i.CertificateArn,
        Scheme = i.Scheme,
        TargetType = i.TargetType,
        ListenPorts = i.ListenPorts,
        SslRedirect = i.SslRedirect,
        WafAclArn = i.WafAclArn,
        InboundCidrs = i.InboundCidrs,
        HealthCheck = HealthCheckSettings(i.HealthCheck),
        BackendOverrides = [.. i.BackendOverrides.Select(o => new BackendOverrideDto(o.Service, o.Annotation, o.Value, o.IngressValue))],
        GroupSettings = [.. i.GroupSettings.Select(g => new GroupSettingDto(g.Annotation, g.Value, g.Member, g.OwnValue, g.Conflict))],
        TargetGroupAttributes = Sorted(i.TargetGroupAttributes),
        Addresses = i.Addresses,
        Labels = Sorted(i.Labels),
        Annotations = Annotations(i.Annotations),
        CreatedAt = i.CreatedAt.ToUniversalTime(),
        Lints = Lints(i.Lints),
    };

    public static SourceDto Source(SourceStatus s) =>
        new(s.Key, s.DisplayName, Camel(s.State.ToString()), Utc(s.LastGoodAt), s.Message, Utc(s.NextRetryAt));

    public static LoadBalancerDto LoadBalancer(LoadBalancerViewModel lb) => new()
    {
        Name = lb.Name,
        Arn = lb.Arn,
        Type = lb.Type,
        Scheme = lb.Scheme,
        DnsName = lb.DnsName,
        State = lb.State,
        CreatedAt = Utc(lb.CreatedAt),
        Owners = [.. lb.Owners.Select(o => new OwnerDto(KindName(o.Kind), o.Namespace, o.Name, o.Share))],
        LinkedBy = LinkedBy(lb.LinkedBy),
        Listeners = [.. lb.Listeners.Select(Listener)],
        TargetGroups = [.. lb.TargetGroups.Select(TargetGroup)],
        HealthyTargets = lb.HealthyTargets,
        TotalTargets = lb.TotalTargets,
        Flags = Flags(lb.Flags),
        Drift = [.. lb.Drift.Select(Drift)],
        Attributes = Sorted(lb.Attributes),
        Tags = Sorted(lb.Tags),
        AsOf = Utc(lb.AsOf),
    };

    public static EndpointDto Endpoint(EndpointViewModel e) => new()
    {
        Object = Ref(e.Object),
        LoadBalancers = [.. e.LoadBalancers.Select(LoadBalancer)],
        Checklist = [.. e.Checklist.Select(c => new ChecklistItemDto(c.Code, c.Title, Camel(c.State.ToString()), c.Reason))],
        Diagnoses = [.. e.Diagnoses.Select(d => new DiagnosisDto(d.Code, d.Title, d.Evidence, d.Fix, d.FixObject is { } o ? Ref(o) : null, d.FixCommand))],
        Events = [.. e.Events.Select(v => new EventDto(v.Type, v.Reason, v.Message, v.Source, v.Count, Utc(v.LastSeen), v.InvolvedObject))],
        MissingBalancerReason = e.MissingBalancerReason,
        AsOf = Utc(e.AsOf),
    };

    /// <summary>
    /// Triage cards: today's per-target items grouped by endpoint and cause code, one card each; most severe card first,
    /// then endpoint (namespace, name, kind), then cause code.
    /// </summary>
    public static IReadOnlyList<TriageCardDto> TriageCards(IEnumerable<TriageItem> items) =>
    [
        .. items
            .GroupBy(i => (i.Endpoint, i.Diagnosis.Code))
            .Select(g => TriageCard([.. g.Order(TriageBoard.ItemOrder)]))
            .OrderBy(c => TriageCardKey(c), StringComparer.Ordinal),
    ];

    /// <summary>The sort and paging key of a card: severity rank, endpoint, cause (names cannot hold a NUL).</summary>
    public static string TriageCardKey(TriageCardDto card) =>
        $"{SeverityRank(card.Severity)}\0{card.Endpoint.Namespace}\0{card.Endpoint.Name}\0{card.Endpoint.Kind}\0{card.Cause.Code}";

    public static BalancerCostDto BalancerCost(BalancerCost b) => new()
    {
        Arn = b.Arn,
        Name = b.Name,
        Type = b.Type,
        CreatedAt = Utc(b.CreatedTime),
        Namespace = b.Namespace,
        Team = b.Team,
        Owners = [.. b.Owners.Select(o => new OwnerDto(KindName(o.Kind), o.Namespace, o.Name, o.Share))],
        Hours = b.Hours,
        LcuHours = b.LcuHours,
        HourlyCost = b.HourlyCost,
        LcuCost = b.LcuCost,
        MonthToDate = b.MonthToDate,
        Projected = b.Projected,
        CostExplorerMonthToDate = b.CostExplorerMonthToDate,
        CostExplorerRoute = b.CostExplorerRoute,
        RecentRequests = b.RecentRequests,
        Idle = b.Idle,
        Orphan = b.Orphan,
        Fix = b.Fix,
        TeamSource = b.TeamSource,
        PublicIpv4Addresses = b.PublicIpv4Addresses,
        PublicIpv4Counted = b.PublicIpv4Counted,
        PublicIpv4Cost = b.PublicIpv4Cost,
        PublicIpv4Projected = b.PublicIpv4Projected,
        Daily = [.. b.Daily.Select(d => new DailyCostDto(d.Day, d.Amount))],
    };

    public static CostReportDto CostReport(CostReport r, ListPage<BalancerCostDto> page) => new()
    {
        AsOf = r.AsOf.ToUniversalTime(),
        MonthStart = r.MonthStart,
        Currency = r.Currency,
        ClusterName = r.ClusterName,
        Region = r.Region,
        Totals = new CostTotalsDto(r.Totals.MonthToDate, r.Totals.Projected, r.Totals.CostExplorerMonthToDate, r.Totals.CostExplorerEstimate,
            r.Totals.CostExplorerBalancers, r.Totals.ClusterTagMonthToDate, r.Totals.LastMonth, r.Totals.Forecast, r.Totals.IdleProjected, r.Totals.OrphanProjected)
        {
            Balancers = r.Totals.Balancers,
            Days = InEnglish(() => CostNotes.Days(r)),
            PublicIpv4Addresses = r.Totals.PublicIpv4Addresses,
            PublicIpv4Estimated = r.Totals.PublicIpv4Estimated,
            PublicIpv4MonthToDate = r.Totals.PublicIpv4MonthToDate,
            PublicIpv4Projected = r.Totals.PublicIpv4Projected,
            NotUnderClusterTag = r.Totals.NotUnderClusterTag,
            NotUnderClusterTagMonthToDate = r.Totals.NotUnderClusterTagMonthToDate,
            ThisMonthScope = InEnglish(() => CostNotes.ThisMonthScope(r)),
            LastMonthHourlyFloor = r.Totals.LastMonthHourlyFloor,
            LastMonthGap = InEnglish(() => CostNotes.LastMonthGap(r)),
        },
        Namespaces = [.. r.Namespaces.Select(n => new NamespaceCostDto(n.Namespace, n.MonthToDate, n.Projected, n.Balancers))],
        Months = [.. r.Months.Select(m => new MonthlyCostDto(m.Month, m.Cluster, m.Account, m.Estimated, m.Untagged, m.OtherClusters))],
        Days = [.. r.Days.Select(d => new DailyCostDto(d.Day, d.Amount))],
        Sources = [.. r.Sources.Select(s => new CostSourceDto(s.Key, s.DisplayName, Camel(s.State.ToString()), Utc(s.AsOf), s.Message, Utc(s.NextRefreshAt)))],
        Stale = r.IsStale,
        Items = page.Items,
        Continue = page.Continue,
    };

    private static TriageCardDto TriageCard(IReadOnlyList<TriageItem> items)
    {
        var first = items[0];
        return new TriageCardDto
        {
            Endpoint = Ref(first.Endpoint),
            Severity = Camel(items.Min(i => i.Severity).ToString()),
            Cause = new CauseDto(first.Diagnosis.Code, first.Diagnosis.Title),
            Since = Utc(items.Select(i => i.Target.Since).Where(s => s is not null).Min()),
            Targets = [.. items.Select(i => new TriageTargetDto(i.LoadBalancerName, i.TargetGroupArn, i.TargetGroupName, i.Target.Id, i.Target.Port,
                i.Target.Zone, i.Target.State, i.Target.Reason, i.Target.Description, Utc(i.Target.Since), Camel(i.Kind.ToString())))],
            Pods = [.. items.Select(i => i.Target.Pod).OfType<PodView>().DistinctBy(p => (p.Namespace, p.Name)).Select(Pod)],
            Evidence = [.. items.SelectMany(i => i.Diagnosis.Evidence).Distinct(StringComparer.Ordinal)],
            // Object and command are null unless the diagnosis names them.
            Fix = new FixDto(first.Diagnosis.FixObject is { } o ? Ref(o) : null, first.Diagnosis.FixCommand, first.Diagnosis.Fix),
            FreshAsOf = Utc(items.Select(i => i.AsOf).Where(a => a is not null).Min()),
            PrecededBy = PrecedingChangeDto.Of(items.Select(i => i.PrecededBy).OfType<PrecedingChange>().OrderBy(c => c.At).FirstOrDefault()),
        };
    }

    private static int SeverityRank(string severity) => (int)Enum.Parse<TriageSeverity>(severity, ignoreCase: true);

    private static ListenerDto Listener(ListenerView l) => new(l.Arn, l.Protocol, l.Port, l.CertificateArn, l.DefaultAction,
        [.. l.Rules.Select(r => new ListenerRuleDto(r.Arn, r.Priority, r.Conditions,
            [.. r.Forwards.Select(f => new ForwardDto(f.TargetGroupArn, f.TargetGroupName, f.Weight))], r.OtherAction, r.Member is { } m ? Ref(m) : null))]);

    private static TargetGroupDto TargetGroup(TargetGroupView g) => new()
    {
        Arn = g.Arn,
        Name = g.Name,
        Protocol = g.Protocol,
        Port = g.Port,
        TargetType = g.TargetType,
        HealthCheck = new HealthCheckDto(g.HealthCheck.Protocol, g.HealthCheck.Path, g.HealthCheck.Port, g.HealthCheck.IntervalSeconds,
            g.HealthCheck.TimeoutSeconds, g.HealthCheck.HealthyThreshold, g.HealthCheck.UnhealthyThreshold, g.HealthCheck.Matcher),
        Attributes = Sorted(g.Attributes),
        Service = g.Service is { } s ? Ref(s) : null,
        ServicePort = g.ServicePort,
        Member = g.Member is { } m ? Ref(m) : null,
        LinkedBy = LinkedBy(g.LinkedBy),
        HealthyTargets = g.Targets.Count(t => t.State == "healthy"),
        TotalTargets = g.Targets.Length,
        Targets = [.. g.Targets.Select(t => new TargetDto(t.Id, t.Port, t.Zone, t.State, t.Reason, t.Description, Utc(t.Since),
            t.Pod is { } pod ? Pod(pod) : null, t.Node is { } node ? new NodeDto(node.Name, node.Ready, node.Zone, node.InstanceId) : null))],
        Drift = [.. g.Drift.Select(Drift)],
        HealthAsOf = Utc(g.HealthAsOf),
    };

    private static PodDto Pod(PodView p) => new(p.Namespace, p.Name, p.Phase, p.Ready, p.Restarts, p.NodeName, p.ReadinessGate, p.ReadinessProbePath, p.ReadinessProbePort);

    private static DriftDto Drift(DriftItem d) => new(d.Setting, d.Desired, d.Actual, d.Annotation, d.Why, d.Matters, d.Fix);

    private static IReadOnlyList<string> Flags(LoadBalancerFlags flags) =>
        [.. Enum.GetValues<LoadBalancerFlags>().Where(f => f != LoadBalancerFlags.None && flags.HasFlag(f)).Select(f => Camel(f.ToString()))];

    private static string? LinkedBy(LinkSource? source) => source is { } s ? Camel(s.ToString()) : null;

    private static LoadBalancerSettingsDto LoadBalancerSettings(LoadBalancerFacts f) => new()
    {
        Controller = Camel(f.Controller.ToString()),
        BalancerType = f.BalancerType,
        Scheme = f.Scheme,
        TargetType = f.TargetType,
        HealthCheck = HealthCheckSettings(f.HealthCheck),
        CrossZone = f.CrossZone,
        SourceRanges = f.SourceRanges,
        ExternalTrafficPolicy = f.ExternalTrafficPolicy,
        LoadBalancerClass = f.LoadBalancerClass,
        CertificateArn = f.CertificateArn,
        TlsPorts = f.TlsPorts,
        TargetGroupAttributes = Sorted(f.TargetGroupAttributes),
        LoadBalancerAttributes = Sorted(f.LoadBalancerAttributes),
    };

    private static HealthCheckSettingsDto HealthCheckSettings(HealthCheckFacts h) =>
        new(h.Protocol, h.Path, h.Port, h.IntervalSeconds, h.TimeoutSeconds, h.HealthyThreshold, h.UnhealthyThreshold, h.SuccessCodes);

    private static IngressBackendDto Backend(IngressBackendView b) => new(b.ServiceName, b.ServicePort);

    private static IReadOnlyList<AnnotationDto> Annotations(IReadOnlyDictionary<string, string> annotations) =>
        [.. AnnotationCatalog.Decode(annotations).Select(a => new AnnotationDto(a.Name, a.Value, a.Meaning))];

    private static IReadOnlyList<LintDto> Lints(ImmutableArray<Lint> lints) =>
        [.. lints.Select(l => new LintDto(l.Code, Camel(l.Severity.ToString()), l.Title, l.Detail))];

    private static IReadOnlyDictionary<string, string> Sorted(IReadOnlyDictionary<string, string> values) =>
        ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, values);

    private static DateTimeOffset? Utc(DateTimeOffset? value) => value?.ToUniversalTime();

    /// <summary>An enum member's name as the API spells values: camelCase ("ActiveImpaired" → "activeImpaired").</summary>
    private static string Camel(string name) => name.Length == 0 ? name : char.ToLowerInvariant(name[0]) + name[1..];

    /// <summary>The HTTP API stays English (docs/i18n.md): texts the client model words for a viewer, worded for none.</summary>
    private static T InEnglish<T>(Func<T> text)
    {
        var (culture, uiCulture) = (System.Globalization.CultureInfo.CurrentCulture, System.Globalization.CultureInfo.CurrentUICulture);
        System.Globalization.CultureInfo.CurrentCulture = System.Globalization.CultureInfo.CurrentUICulture = System.Globalization.CultureInfo.InvariantCulture;
        try
        {
            return text();
        }
        finally
        {
            (System.Globalization.CultureInfo.CurrentCulture, System.Globalization.CultureInfo.CurrentUICulture) = (culture, uiCulture);
        }
    }
}
