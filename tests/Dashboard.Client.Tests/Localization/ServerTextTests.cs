using System.Globalization;
using Dashboard.Client.Localization;

namespace Dashboard.Client.Tests.Localization;

/// <summary>
/// Texts the server computed in English reach a Vietnamese viewer in Vietnamese through their UiText key: exactly, by a
/// template whose values are copied unchanged, nested, or part by part when the server joined several; English viewers
/// and texts with no key get the English as it is.
/// </summary>
public sealed class ServerTextTests
{
    private static readonly CultureInfo Vietnamese = CultureInfo.GetCultureInfo(DashboardCultures.Vietnamese);

    [Fact]
    public void An_exact_text_is_looked_up_by_its_english()
    {
        Assert.Equal("Selector không khớp pod nào", ServerText.Get("Selector matches no pod", Vietnamese));
    }

    [Fact]
    public void A_template_keeps_the_values_the_server_put_in_it()
    {
        Assert.Equal(
            "'Internet-Facing' không phải là scheme: dùng internet-facing hoặc internal (chữ thường).",
            ServerText.Get("'Internet-Facing' is not a scheme: use internet-facing or internal (lower case).", Vietnamese));
        Assert.Equal(
            "Host api.example.com cũng được một ALB khác định tuyến",
            ServerText.Get("Host api.example.com is also routed by another ALB", Vietnamese));
    }

    [Fact]
    public void A_value_that_is_itself_a_sentence_is_translated_too()
    {
        var english = "The change has invalid values: healthCheck.path: 'healthz' is not a health-check path: it must start with '/', "
            + "hold no spaces and be at most 1024 characters (e.g. /healthz).";

        Assert.Equal(
            "Thay đổi có giá trị không hợp lệ: healthCheck.path: 'healthz' không phải là path health check: phải bắt đầu bằng '/', "
            + "không có khoảng trắng và dài tối đa 1024 ký tự (ví dụ /healthz).",
            ServerText.Get(english, Vietnamese));
    }

    [Fact]
    public void An_aside_in_brackets_is_translated_inside_its_brackets()
    {
        var english = " (readiness probe GET /ready on port http, every 10 s, 3 failures to fail)";

        var vietnamese = ServerText.Get(english, Vietnamese);

        Assert.StartsWith(" (", vietnamese, StringComparison.Ordinal);
        Assert.EndsWith(")", vietnamese, StringComparison.Ordinal);
        Assert.Contains("GET /ready trên cổng http, mỗi 10 giây, 3 lần thất bại", vietnamese, StringComparison.Ordinal);
        Assert.DoesNotContain("every", vietnamese, StringComparison.Ordinal);
    }

    [Fact]
    public void The_replica_diagnosis_title_is_translated_where_the_server_joined_it()
    {
        var english = "0 of 1 desired replicas serve Ingress catalog/catalog; Health check path /health answers with an unexpected code";

        Assert.StartsWith("0/1 replica mong muốn đang phục vụ Ingress catalog/catalog; ", ServerText.Get(english, Vietnamese), StringComparison.Ordinal);
    }

    [Fact]
    public void Parts_the_server_joined_are_translated_one_by_one()
    {
        var english = "shop.example.com does not resolve; no web ACL on internal k8s-shop.";

        Assert.Equal("shop.example.com không phân giải được; không có web ACL trên k8s-shop internal.", ServerText.Get(english, Vietnamese));
    }

    [Fact]
    public void A_template_written_with_literal_braces_matches_the_text_the_server_formatted()
    {
        var english = "ssl-redirect '443' is set but the balancer has no HTTP listener, so plain-HTTP clients are refused, not redirected: "
            + "add alb.ingress.kubernetes.io/listen-ports: '[{\"HTTP\": 80}, {\"HTTPS\": 443}]'.";

        var vietnamese = ServerText.Get(english, Vietnamese);

        Assert.StartsWith("ssl-redirect '443' đã được đặt", vietnamese, StringComparison.Ordinal);
        Assert.EndsWith("'[{\"HTTP\": 80}, {\"HTTPS\": 443}]'.", vietnamese, StringComparison.Ordinal);
    }

    [Fact]
    public void English_viewers_and_unknown_texts_get_the_english_unchanged()
    {
        Assert.Equal("Selector matches no pod", ServerText.Get("Selector matches no pod", CultureInfo.GetCultureInfo("en")));
        Assert.Equal("Something nobody wrote a key for.", ServerText.Get("Something nobody wrote a key for.", Vietnamese));
        Assert.Equal("", ServerText.Get(null, Vietnamese));
    }
}
