using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Dashboard.Sandbox.Aws.CertificateManager;

namespace Dashboard.Sandbox.DataPlane;

/// <summary>
/// The certificates the data plane's TLS listeners serve: for each ACM certificate a leaf with the same domain name,
/// subject alternative names and validity (so a certificate that does not cover a host, or expires in 20 days, shows
/// exactly that to a client), issued by a sandbox root that exists only in this process. Clients that should trust the
/// sandbox (the dashboard in sandbox mode) trust <see cref="Root"/> explicitly; nothing is added to the machine's store.
/// Built with .NET's <see cref="CertificateRequest"/>: no certificate package needed.
/// </summary>
public sealed class SandboxCertificates : IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<X509Certificate2>> _leaves = new(StringComparer.Ordinal);
    private readonly Lazy<X509Certificate2> _root;
    private readonly Lazy<X509Certificate2> _fallback;

    public SandboxCertificates()
    {
        _root = new Lazy<X509Certificate2>(CreateRoot);
        _fallback = new Lazy<X509Certificate2>(() => Issue("CN=sandbox-data-plane.invalid", ["sandbox-data-plane.invalid"],
            DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1), [1]));
    }

    /// <summary>The sandbox's root certificate (public part), for clients that trust the sandbox.</summary>
    public X509Certificate2 Root => X509CertificateLoader.LoadCertificate(_root.Value.RawData);

    /// <summary>The leaf for an ACM certificate, issued once per ARN.</summary>
    public X509Certificate2 For(Certificate acm) =>
        _leaves.GetOrAdd(acm.Arn, _ => new Lazy<X509Certificate2>(() => Issue("CN=" + acm.DomainName, acm.SubjectAlternativeNames,
            acm.NotBefore, acm.NotAfter, SerialBytes(acm.Serial)))).Value;

    /// <summary>ACM's serial (<c>0f:1e:…</c>) as a positive big-endian integer; <c>01</c> when it cannot be read.</summary>
    private static byte[] SerialBytes(string serial)
    {
        var hex = serial.Replace(":", "", StringComparison.Ordinal);
        if (hex.Length is 0 or > 38 || hex.Length % 2 != 0 || !hex.All(Uri.IsHexDigit))
        {
            return [1];
        }
        var bytes = Convert.FromHexString(hex);
        return bytes[0] >= 0x80 ? [0, .. bytes] : bytes;
    }

    /// <summary>What a TLS listener without a usable certificate presents (a name no client asks for).</summary>
    public X509Certificate2 Fallback => _fallback.Value;

    private static X509Certificate2 CreateRoot()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=Endpoint Dashboard Sandbox Root CA, O=Endpoint Dashboard Sandbox", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        using var root = request.CreateSelfSigned(now.AddYears(-5), now.AddYears(10));
        return X509CertificateLoader.LoadPkcs12(root.Export(X509ContentType.Pkcs12), null, X509KeyStorageFlags.Exportable);
    }

    private X509Certificate2 Issue(string subject, IEnumerable<string> names, DateTimeOffset notBefore, DateTimeOffset notAfter, byte[] serial)
    {
        var root = _root.Value;
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        foreach (var name in names.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            san.AddDnsName(name);
        }
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(root, true, false));
        // A leaf cannot outlive its issuer's validity window.
        var from = notBefore < root.NotBefore ? new DateTimeOffset(root.NotBefore) : notBefore;
        var to = notAfter > root.NotAfter ? new DateTimeOffset(root.NotAfter) : notAfter;
        using var leaf = request.Create(root, from, to, serial);
        using var withKey = leaf.CopyWithPrivateKey(key);
        // Through PKCS#12 so SslStream can use the key on every platform.
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null, X509KeyStorageFlags.Exportable);
    }

    public void Dispose()
    {
        foreach (var leaf in _leaves.Values.Where(l => l.IsValueCreated))
        {
            leaf.Value.Dispose();
        }
        if (_fallback.IsValueCreated)
        {
            _fallback.Value.Dispose();
        }
        if (_root.IsValueCreated)
        {
            _root.Value.Dispose();
        }
    }
}
