using System.Security.Authentication;
using DePin.Wireless.NetworkServer.Mqtt;
using DePin.Wireless.TestSupport;
using static DePin.Wireless.NetworkServer.Tests.Mqtt.MqttBrokerHarness;

namespace DePin.Wireless.NetworkServer.Tests.Mqtt;

/// <summary>TLS (SslStream) against mosquitto serving a certificate from a private test CA.</summary>
public class MqttTlsBrokerTests
{
    private static async Task<(TestCertificates Certs, MosquittoServer Server)> StartTlsBrokerAsync()
    {
        var certs = TestCertificates.Create();
        var server = await MosquittoServer.StartAsync([NsUser], extraConfig: certs.MosquittoListenerConfig);
        return (certs, server);
    }

    private static MqttClientOptions Options(MosquittoServer server, MqttTlsOptions tls) => new()
    {
        Host = server.Host,
        Port = server.Port,
        ClientId = "tls-" + Guid.NewGuid().ToString("N")[..8],
        UserName = NsUser.UserName,
        Password = NsUser.Password,
        ConnectTimeout = TimeSpan.FromSeconds(5),
        Tls = tls,
    };

    private static MqttClient Create(MqttClientOptions options) =>
        new(options, Microsoft.Extensions.Logging.Abstractions.NullLogger<MqttClient>.Instance, TimeProvider.System);

    [Fact]
    public async Task Trusting_the_private_ca_connects_and_carries_messages()
    {
        var (certs, server) = await StartTlsBrokerAsync();
        using var _ = certs;
        await using var __ = server;
        await using var client = Create(Options(server, new MqttTlsOptions { CaCertificateFile = certs.CaCertificateFile }));
        await client.ConnectAsync(Timeout());
        await client.SubscribeAsync("tls/t", MqttQos.AtLeastOnce, Timeout());
        await client.PublishAsync("tls/t", "secure"u8.ToArray(), MqttQos.AtLeastOnce, false, Timeout());
        Assert.Equal("tls/t", (await NextAsync(client.Messages, TimeSpan.FromSeconds(5)))?.Topic);
    }

    [Fact]
    public async Task Certificate_from_an_untrusted_ca_is_refused_by_default()
    {
        var (certs, server) = await StartTlsBrokerAsync();
        using var _ = certs;
        await using var __ = server;
        await using var client = Create(Options(server, new MqttTlsOptions()));
        await Assert.ThrowsAsync<AuthenticationException>(() => client.ConnectAsync(Timeout()));
        Assert.Equal(MqttConnectionState.Disconnected, client.State);
    }

    [Fact]
    public async Task Host_name_mismatch_is_refused_even_with_the_right_ca()
    {
        var (certs, server) = await StartTlsBrokerAsync();
        using var _ = certs;
        await using var __ = server;
        await using var client = Create(Options(server, new MqttTlsOptions { CaCertificateFile = certs.CaCertificateFile, TargetHost = "broker.example.org" }));
        await Assert.ThrowsAsync<AuthenticationException>(() => client.ConnectAsync(Timeout()));
    }

    [Fact]
    public async Task Skip_verify_connects_to_an_untrusted_broker_when_explicitly_enabled()
    {
        var (certs, server) = await StartTlsBrokerAsync();
        using var _ = certs;
        await using var __ = server;
        await using var client = Create(Options(server, new MqttTlsOptions { AllowUntrustedCertificates = true }));
        await client.ConnectAsync(Timeout());
        Assert.Equal(MqttConnectionState.Connected, client.State);
    }
}
