using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using BenchmarkDotNet.Attributes;
using DePin.Wireless.NetworkServer.Mqtt;
using Microsoft.Extensions.Logging.Abstractions;

namespace DePin.Wireless.Benchmarks.Mqtt;

/// <summary>
/// Publish throughput of <see cref="MqttClient"/> against a local mosquitto (Debian /usr/sbin/mosquitto, anonymous,
/// loopback, free port). Each invocation publishes <see cref="Messages"/> 64-byte messages, so the reported time
/// per operation is per message. Baseline: the same pre-encoded QoS 0 PUBLISH bytes written straight to a socket.
/// </summary>
[MemoryDiagnoser]
public class MqttPublishBenchmarks
{
    private const int Messages = 1000;
    private static readonly byte[] Payload = new byte[64];

    private Process? _broker;
    private string? _directory;
    private int _port;
    private MqttClient? _client;
    private Socket? _rawSocket;
    private byte[] _rawBatch = [];

    [GlobalSetup]
    public void Setup()
    {
        _port = FreeTcpPort();
        _directory = Path.Combine(Path.GetTempPath(), "depin-mqtt-bench-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(_directory);
        var config = Path.Combine(_directory, "mosquitto.conf");
        File.WriteAllText(config, $"persistence false\nallow_anonymous true\nlistener {_port} 127.0.0.1\nmax_queued_messages 100000\n");
        _broker = Process.Start(new ProcessStartInfo("/usr/sbin/mosquitto", ["-c", config]) { UseShellExecute = false, RedirectStandardError = true })
            ?? throw new InvalidOperationException("could not start mosquitto");
        WaitForPort();

        _client = new MqttClient(
            new MqttClientOptions { Host = "127.0.0.1", Port = _port, ClientId = "bench-publisher", KeepAlive = TimeSpan.FromSeconds(60) },
            NullLogger<MqttClient>.Instance,
            TimeProvider.System);
        _client.ConnectAsync(CancellationToken.None).GetAwaiter().GetResult();

        _rawSocket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        _rawSocket.Connect(IPAddress.Loopback, _port);
        _rawSocket.Send(MqttPacketCodec.Encode(new ConnectPacket("bench-raw", null, null, true, 60, null)));
        var connAck = new byte[4];
        _rawSocket.Receive(connAck);
        var one = MqttPacketCodec.Encode(new PublishPacket("bench/raw", Payload, MqttQos.AtMostOnce, false, false, 0));
        _rawBatch = [.. Enumerable.Range(0, Messages).SelectMany(_ => one)];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _client?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _rawSocket?.Dispose();
        if (_broker is { HasExited: false })
        {
            _broker.Kill();
            _broker.WaitForExit();
        }

        _broker?.Dispose();
        if (_directory is not null)
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Messages, Description = "raw socket, pre-encoded QoS0")]
    public void RawSocketQos0() => _rawSocket!.Send(_rawBatch);

    [Benchmark(OperationsPerInvoke = Messages, Description = "QoS0 sequential")]
    public async Task Qos0Sequential()
    {
        for (var i = 0; i < Messages; i++)
        {
            await _client!.PublishAsync("bench/q0", Payload, MqttQos.AtMostOnce, false, CancellationToken.None);
        }
    }

    [Benchmark(OperationsPerInvoke = Messages, Description = "QoS1 sequential (await each PUBACK)")]
    public async Task Qos1Sequential()
    {
        for (var i = 0; i < Messages; i++)
        {
            await _client!.PublishAsync("bench/q1", Payload, MqttQos.AtLeastOnce, false, CancellationToken.None);
        }
    }

    [Benchmark(OperationsPerInvoke = Messages, Description = "QoS1 pipelined (1000 in flight)")]
    public Task Qos1Pipelined() =>
        Task.WhenAll(Enumerable.Range(0, Messages).Select(_ => _client!.PublishAsync("bench/q1", Payload, MqttQos.AtLeastOnce, false, CancellationToken.None)));

    private static int FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void WaitForPort()
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var probe = new TcpClient();
                probe.Connect(IPAddress.Loopback, _port);
                return;
            }
            catch (SocketException)
            {
                Thread.Sleep(20);
            }
        }

        throw new TimeoutException("mosquitto did not start for the benchmark");
    }
}

/// <summary>Pure codec cost of one 64-byte QoS 1 PUBLISH on a ChirpStack-style topic.</summary>
[MemoryDiagnoser]
public class MqttCodecBenchmarks
{
    private readonly PublishPacket _packet = new("application/7/device/0102030405060708/event/up", new byte[64], MqttQos.AtLeastOnce, false, false, 42);
    private byte[] _encoded = [];

    [GlobalSetup]
    public void Setup() => _encoded = MqttPacketCodec.Encode(_packet);

    [Benchmark]
    public byte[] EncodePublish() => MqttPacketCodec.Encode(_packet);

    [Benchmark]
    public MqttPacket? DecodePublish()
    {
        MqttPacketCodec.TryDecode(_encoded, out var packet, out _);
        return packet;
    }
}
