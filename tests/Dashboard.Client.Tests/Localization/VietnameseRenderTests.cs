using System.Globalization;
using System.Text.RegularExpressions;
using Bunit;
using Dashboard.Client.Components.Controls;
using Dashboard.Client.Components.Layout;
using Dashboard.Client.Components.Pages.Endpoints;
using Dashboard.Client.Components.Pages.Triage;
using Dashboard.Client.Localization;
using Dashboard.Client.Model;
using Dashboard.Client.Tests.Support;
using static Dashboard.Client.Tests.Support.TopologyObjects;

namespace Dashboard.Client.Tests.Localization;

/// <summary>
/// Pages and components rendered for a viewer in vi-VN show no English: texts of the UI, texts the server computed for
/// everyone (carried as message keys or looked up by their English) and formats. Terms operators keep in English
/// (load balancer, target group, pod…), AWS reason codes, Kubernetes values and object names are allowed.
/// </summary>
public sealed partial class VietnameseRenderTests : TopologyTestContext
{
    /// <summary>The viewer's culture for one test, as the server's request localisation sets it for a circuit.</summary>
    private sealed class Vietnamese : IDisposable
    {
        private readonly CultureInfo _culture = CultureInfo.CurrentCulture;
        private readonly CultureInfo _uiCulture = CultureInfo.CurrentUICulture;

        public Vietnamese() => CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(DashboardCultures.Vietnamese);

        public void Dispose() => (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = (_culture, _uiCulture);
    }

    [Fact]
    public void The_triage_page_is_in_vietnamese()
    {
        using var vietnamese = new Vietnamese();
        var item = Item(ForecastIngress, "10.0.1.5", TriageSeverity.Outage, since: Objects.Now.AddMinutes(-7)) with
        {
            Diagnosis = new Diagnosis("HealthChecksDisabled", "Health checks are disabled for this target group", [],
                "Enable health checks on the target group (the controller enables them unless told otherwise)."),
        };
        Topology.Triage = [item];

        var cut = Render<TriagePage>();

        // AWS's own description of the target's state is shown as AWS wrote it, like its reason codes.
        var text = cut.Find(".triage-page").TextContent.Replace(item.Target.Description ?? "", "", StringComparison.Ordinal);
        Assert.Contains("Xử lý sự cố", text, StringComparison.Ordinal);
        Assert.Contains("Sự cố", cut.Find(".severity-chip").TextContent, StringComparison.Ordinal);
        Assert.Contains("Health check bị tắt cho target group này", text, StringComparison.Ordinal);
        Assert.Contains("Target.ResponseCodeMismatch", text, StringComparison.Ordinal);
        AssertNoEnglish(text);
    }

    [Fact]
    public void The_checklist_renders_server_reasons_in_the_viewers_language_and_the_english_stays_for_the_api()
    {
        using var vietnamese = new Vietnamese();
        var reason = LocalText.Of("Check.Health.SomeUnhealthy", 1, 1234, "Target.Timeout ×1233");
        ChecklistItem[] items =
        [
            new("health", "Health checks passing", CheckState.Warn, reason.English) { ReasonText = reason },
            new("monitoring", "Monitoring present", CheckState.Unknown, "CloudWatch metrics are not read yet; alarms are not visible to the dashboard."),
        ];

        var cut = Render<EndpointChecklist>(p => p.Add(c => c.Items, [.. items]));

        var rows = cut.FindAll("[data-testid='check']");
        Assert.Equal("Health check đạt", rows[0].QuerySelector(".check-title")!.TextContent);
        // The viewer's number format inside a server-computed text; the AWS reason code untouched.
        Assert.Equal("1/1.234 target khỏe: Target.Timeout ×1233.", rows[0].QuerySelector(".check-reason")!.TextContent);
        Assert.Equal("1/1,234 targets healthy: Target.Timeout ×1233.", items[0].Reason);
        Assert.Equal("Có giám sát", rows[1].QuerySelector(".check-title")!.TextContent);
        AssertNoEnglish(cut.Markup);
    }

    [Fact]
    public void Lints_diagnoses_and_empty_states_are_in_vietnamese()
    {
        using var vietnamese = new Vietnamese();
        var lints = Render<LintList>(p => p.Add(c => c.Lints, []));
        var diagnoses = Render<DiagnosisList>(p => p.Add(c => c.Diagnoses, []));
        var nav = Render<NavMenu>();

        Assert.Equal("Không có phát hiện nào.", lints.Find(".muted").TextContent);
        Assert.Contains("Không có gì cần chẩn đoán", diagnoses.Markup, StringComparison.Ordinal);
        Assert.Contains("Chi phí", nav.Markup, StringComparison.Ordinal);
        AssertNoEnglish(lints.Find("*").TextContent + " " + diagnoses.Find("*").TextContent + " " + nav.Find("*").TextContent);
    }

    /// <summary>
    /// No English sentence of the UI resources whose Vietnamese differs, and no English function word once the kept
    /// terms and codes are taken out.
    /// </summary>
    private static void AssertNoEnglish(string rendered)
    {
        var english = UiText.ResourceManager.GetResourceSet(CultureInfo.InvariantCulture, createIfNotExists: true, tryParents: true)!
            .Cast<System.Collections.DictionaryEntry>().Select(e => (string)e.Key)
            .Where(k => k.Contains(' ', StringComparison.Ordinal) && !k.Contains('{', StringComparison.Ordinal) && UiText.ResourceManager.GetString(k, CultureInfo.GetCultureInfo("vi")) != k);
        Assert.Empty(english.Where(k => rendered.Contains(k, StringComparison.Ordinal)).Select(k => "English left: " + k));

        var words = FunctionWord().Matches(KeptTerms().Replace(rendered, " ")).Select(m => m.Value).Distinct().ToList();
        Assert.True(words.Count == 0, $"English words left: {string.Join(", ", words)} in: {rendered}");
    }

    // Kept in English on purpose (docs/i18n.md): operator terms, AWS states and reason codes, Kubernetes values.
    [GeneratedRegex(@"load balancer|target group|health check|Target\.\w+|Elb\.\w+|\b(unhealthy|healthy|draining|initial|unused|unavailable|Running|Pending)\b")]
    private static partial Regex KeptTerms();

    [GeneratedRegex(@"\b(the|and|of|is|are|with|for|not|no|all|across|behind|old|yet|show|more|read|since|every|has|have)\b", RegexOptions.IgnoreCase)]
    private static partial Regex FunctionWord();
}
