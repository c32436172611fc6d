using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace DePin.Wireless.TestSupport;

/// <summary>A throw-away private CA and a server certificate for 127.0.0.1/localhost, written as PEM files for brokers.</summary>
public sealed class TestCertificates : IDisposable
{
    private TestCertificates(string directory) => Directory = directory;

    public string Directory { get; }

    public string CaCertificateFile => Path.Combine(Directory, "ca.crt");

    public string ServerCertificateFile => Path.Combine(Directory, "server.crt");

    public string ServerKeyFile => Path.Combine(Directory, "server.key");

    /// <summary>mosquitto listener lines enabling TLS with these files.</summary>
    public string MosquittoListenerConfig => $"cafile {CaCertificateFile}\ncertfile {ServerCertificateFile}\nkeyfile {ServerKeyFile}\n";

    public static TestCertificates Create()
    {
        var directory = Path.Combine(Path.GetTempPath(), "depin-certs-" + Guid.NewGuid().ToString("N")[..12]);
        System.IO.Directory.CreateDirectory(directory);
        var result = new TestCertificates(directory);
        var now = DateTimeOffset.UtcNow;

        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=DePin Test CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var ca = caRequest.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));

        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var serverRequest = new CertificateRequest("CN=localhost", serverKey, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        san.AddIpAddress(IPAddress.Loopback);
        serverRequest.CertificateExtensions.Add(san.Build());
        serverRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        serverRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false)); // serverAuth
        using var server = serverRequest.Create(ca, now.AddMinutes(-5), now.AddDays(1), [1, 2, 3, 4, 5, 6, 7, 8]);

        File.WriteAllText(result.CaCertificateFile, ca.ExportCertificatePem());
        File.WriteAllText(result.ServerCertificateFile, server.ExportCertificatePem());
        File.WriteAllText(result.ServerKeyFile, serverKey.ExportPkcs8PrivateKeyPem());
        return result;
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // Temporary directory; the OS cleans it later.
        }
    }
}
