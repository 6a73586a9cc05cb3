using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Dashboard.Sandbox.Aws;
using Dashboard.Sandbox.Tests.LoadBalancerController;
using Dashboard.Testing;

namespace Dashboard.Sandbox.Tests.DataPlane;

/// <summary>The sandbox with its seed scenario, once every balancer is active: the data plane's test bed.</summary>
public sealed class DataPlaneFixture : IAsyncLifetime
{
    public SandboxHost Host { get; private set; } = null!;

    public LoadBalancer RetailAlb => Host.AwsWorld.FindLoadBalancerByName("retail-forecast-alb")!;

    /// <summary>The certificate the last TLS connection of <see cref="Client"/> was shown.</summary>
    public X509Certificate2? LastCertificate { get; private set; }

    /// <summary>
    /// A client that sends every request to the data plane's ports while keeping the URL's host for Host and SNI, as the
    /// dashboard's resolver does in sandbox mode (curl's <c>--connect-to</c>).
    /// </summary>
    public HttpClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var options = new SandboxOptions
        {
            KubernetesUrl = "http://127.0.0.1:0",
            AwsUrl = "http://127.0.0.1:0",
            ProvisioningDelay = TimeSpan.FromMilliseconds(200),
            DataPlane = new Sandbox.DataPlane.SandboxDataPlaneOptions { TargetTimeout = TimeSpan.FromMilliseconds(300) },
        };
        Host = await SandboxHost.StartAsync(options, null, CancellationToken.None);
        var ready = await Wait.UntilAsync(() => Host.AwsWorld.GetLoadBalancers() is { Length: 7 } all && all.All(lb => lb.State == LoadBalancerStateCode.Active)
            && Host.AwsWorld.GetTargetGroupsOf(RetailAlb.Arn).Any(g => Host.AwsWorld.GetTargets(g.Arn).Count > 0), Patience.Eventually);
        Assert.True(ready, "the scenario's balancers did not become active with targets");
        var plane = Host.DataPlane;
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                var port = context.InitialRequestMessage.RequestUri!.Scheme == "https" ? plane.HttpsUri.Port : plane.HttpUri.Port;
                await socket.ConnectAsync("127.0.0.1", port, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            },
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                {
                    LastCertificate = certificate is null ? null : X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
                    return true;
                },
            },
        };
        Client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(20) };
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Host.DisposeAsync();
    }
}
