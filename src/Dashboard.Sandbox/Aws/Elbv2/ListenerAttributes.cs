using System.Collections.Immutable;

namespace Dashboard.Sandbox.Aws.Elbv2;

/// <summary>
/// The attributes <c>DescribeListenerAttributes</c> reports for a listener, at their documented defaults (the
/// ListenerAttribute key documentation of the ELBv2 API): Network Load Balancer TCP-based listeners have the TCP idle
/// timeout; Application Load Balancer listeners have the response-header attributes, and HTTPS listeners also the
/// names of the mTLS and TLS request headers. The sandbox has no ModifyListenerAttributes, so these never change.
/// </summary>
public static class ListenerAttributes
{
    private static readonly ImmutableArray<KeyValuePair<string, string>> TlsRequestHeaders =
    [
        Header("x_amzn_mtls_clientcert_serial_number", "X-Amzn-Mtls-Clientcert-Serial-Number"),
        Header("x_amzn_mtls_clientcert_issuer", "X-Amzn-Mtls-Clientcert-Issuer"),
        Header("x_amzn_mtls_clientcert_subject", "X-Amzn-Mtls-Clientcert-Subject"),
        Header("x_amzn_mtls_clientcert_validity", "X-Amzn-Mtls-Clientcert-Validity"),
        Header("x_amzn_mtls_clientcert_leaf", "X-Amzn-Mtls-Clientcert-Leaf"),
        Header("x_amzn_mtls_clientcert", "X-Amzn-Mtls-Clientcert"),
        Header("x_amzn_tls_version", "X-Amzn-Tls-Version"),
        Header("x_amzn_tls_cipher_suite", "X-Amzn-Tls-Cipher-Suite"),
    ];

    private static readonly ImmutableArray<KeyValuePair<string, string>> ResponseHeaders =
    [
        KeyValuePair.Create("routing.http.response.server.enabled", "true"),
        .. new[]
        {
            "strict_transport_security", "access_control_allow_origin", "access_control_allow_methods", "access_control_allow_headers",
            "access_control_allow_credentials", "access_control_expose_headers", "access_control_max_age", "content_security_policy",
            "x_content_type_options", "x_frame_options",
        }.Select(name => KeyValuePair.Create($"routing.http.response.{name}.header_value", "")),
    ];

    public static ImmutableArray<KeyValuePair<string, string>> Of(Listener listener) => listener.Protocol switch
    {
        "HTTPS" => [.. TlsRequestHeaders, .. ResponseHeaders],
        "HTTP" => ResponseHeaders,
        "TCP" or "TLS" or "TCP_UDP" => [KeyValuePair.Create("tcp.idle_timeout.seconds", "350")],
        _ => [],
    };

    private static KeyValuePair<string, string> Header(string attribute, string defaultName) =>
        KeyValuePair.Create($"routing.http.request.{attribute}.header_name", defaultName);
}
