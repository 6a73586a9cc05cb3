using Dashboard.Client.Model;

namespace Dashboard.Client.Changes;

/// <summary>The URLs of the guided-change pages, built in one place (state in the query string, so every step is a link).</summary>
public static class ChangeUrls
{
    public const string Wizard = "changes/new";
    public const string Audit = "audit";

    /// <summary>Expose a workload (Deployment or ClusterIP Service).</summary>
    public static string Expose(string ns, string workloadKind, string workloadName, string? via = null) =>
        $"{Wizard}?action=expose&namespace={Uri.EscapeDataString(ns)}&kind={workloadKind}&name={Uri.EscapeDataString(workloadName)}"
        + (via is null ? "" : $"&via={via}");

    public static string Reconfigure(ObjectRef target) =>
        $"{Wizard}?action=reconfigure&kind={target.Kind}&namespace={Uri.EscapeDataString(target.Namespace)}&name={Uri.EscapeDataString(target.Name)}";

    public static string Unexpose(ObjectRef target) =>
        $"{Wizard}?action=unexpose&kind={target.Kind}&namespace={Uri.EscapeDataString(target.Namespace)}&name={Uri.EscapeDataString(target.Name)}";

    public static string Rollback(string changeId) => $"{Wizard}?rollback={Uri.EscapeDataString(changeId)}";

    public static string Change(string changeId) => $"{Wizard}?change={Uri.EscapeDataString(changeId)}";

    public static string AuditFor(ObjectRef target) => $"{Audit}?object={Uri.EscapeDataString(target.ToString())}";
}
