using System.Threading.Channels;
using DePin.Wireless.NetworkServer.Mqtt;
using DePin.Wireless.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace DePin.Wireless.NetworkServer.Tests.Mqtt;

/// <summary>A real mosquitto with a network-server user, two application users and helpers to make clients.</summary>
internal sealed class MqttBrokerHarness : IAsyncDisposable
{
    public static readonly MosquittoUser NsUser = new("ns", "ns-secret", ["topic readwrite #"]);
    public static readonly MosquittoUser App1 = new("app-1", "app1-secret", ["topic read application/1/#", "topic write application/1/device/+/command/down"]);
    public static readonly MosquittoUser App2 = new("app-2", "app2-secret", ["topic read application/2/#", "topic write application/2/device/+/command/down"]);

    private readonly List<MqttClient> _clients = [];

    private MqttBrokerHarness(MosquittoServer server) => Server = server;

    public MosquittoServer Server { get; }

    public static async Task<MqttBrokerHarness> StartAsync(string? aclFileText = null, IReadOnlyList<MosquittoUser>? users = null) =>
        new(await MosquittoServer.StartAsync(users ?? [NsUser, App1, App2], aclFileText));

    public MqttClientOptions Options(MosquittoUser user, string? clientId = null) => new()
    {
        Host = Server.Host,
        Port = Server.Port,
        ClientId = clientId ?? $"{user.UserName}-{Guid.NewGuid():N}"[..20],
        UserName = user.UserName,
        Password = user.Password,
        Reconnect = new MqttReconnectOptions { InitialDelay = TimeSpan.FromMilliseconds(100), MaxDelay = TimeSpan.FromMilliseconds(500) },
        ConnectTimeout = TimeSpan.FromSeconds(3),
    };

    public MqttClient Create(MqttClientOptions options)
    {
        var client = new MqttClient(options, NullLogger<MqttClient>.Instance, TimeProvider.System, random: new Random(1));
        _clients.Add(client);
        return client;
    }

    public async Task<MqttClient> ConnectAsync(MosquittoUser user, Action<MqttClientOptions>? configure = null)
    {
        var options = Options(user);
        configure?.Invoke(options);
        var client = Create(options);
        await client.ConnectAsync(Timeout());
        return client;
    }

    public static CancellationToken Timeout(int seconds = 10) => new CancellationTokenSource(TimeSpan.FromSeconds(seconds)).Token;

    /// <summary>Next message, or null if none arrives within <paramref name="wait"/>.</summary>
    public static async Task<MqttApplicationMessage?> NextAsync(ChannelReader<MqttApplicationMessage> reader, TimeSpan wait)
    {
        using var cts = new CancellationTokenSource(wait);
        try
        {
            return await reader.ReadAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    public static async Task WaitForStateAsync(IMqttClient client, MqttConnectionState state, TimeSpan wait)
    {
        var deadline = DateTime.UtcNow + wait;
        while (client.State != state)
        {
            Assert.True(DateTime.UtcNow < deadline, $"client stayed {client.State}, expected {state} within {wait}");
            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            await client.DisposeAsync();
        }

        await Server.DisposeAsync();
    }
}

/// <summary>The real TCP transport, plus a way for a test to cut the current socket as a network failure would.</summary>
internal sealed class CuttableTransport(MqttClientOptions options) : IMqttTransport
{
    private readonly TcpMqttTransport _inner = new(options);
    private Stream? _current;

    public async Task<Stream> OpenAsync(CancellationToken cancellationToken)
    {
        var stream = await _inner.OpenAsync(cancellationToken);
        _current = stream;
        return stream;
    }

    /// <summary>Closes the socket without DISCONNECT: the broker sees an abrupt loss.</summary>
    public void Cut() => _current?.Dispose();
}
