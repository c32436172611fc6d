using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace DePin.Wireless.NetworkServer.Mqtt;

/// <summary>Opens the byte stream to the broker (TCP, optionally wrapped in TLS).</summary>
public interface IMqttTransport
{
    Task<Stream> OpenAsync(CancellationToken cancellationToken);
}

/// <summary>TCP transport with optional TLS (SslStream) as configured in <see cref="MqttClientOptions"/>.</summary>
public sealed class TcpMqttTransport(MqttClientOptions options) : IMqttTransport
{
    public async Task<Stream> OpenAsync(CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(options.Host, options.Port, cancellationToken);
            var network = new NetworkStream(socket, ownsSocket: true);
            if (options.Tls is not { } tls)
            {
                return network;
            }

            var ssl = new SslStream(network, leaveInnerStreamOpen: false);
            try
            {
                await ssl.AuthenticateAsClientAsync(
                    new SslClientAuthenticationOptions
                    {
                        TargetHost = tls.TargetHost ?? options.Host,
                        RemoteCertificateValidationCallback = CreateValidator(tls),
                    },
                    cancellationToken);
                return ssl;
            }
            catch
            {
                await ssl.DisposeAsync();
                throw;
            }
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static RemoteCertificateValidationCallback CreateValidator(MqttTlsOptions tls)
    {
        if (tls.AllowUntrustedCertificates)
        {
            // Explicit opt-in for tests against throw-away brokers; off by default and documented as never-for-production.
#pragma warning disable CA5359
            return (_, _, _, _) => true;
#pragma warning restore CA5359
        }

        if (tls.CaCertificateFile is null)
        {
            return (_, _, _, errors) => errors == SslPolicyErrors.None;
        }

        var ca = X509CertificateLoader.LoadCertificateFromFile(tls.CaCertificateFile);
        return (_, certificate, _, errors) =>
        {
            // Name mismatch or a missing certificate can't be fixed by a private CA; only chain errors are re-checked.
            if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
            {
                return false;
            }

            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(ca);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            return chain.Build(new X509Certificate2(certificate));
        };
    }
}
