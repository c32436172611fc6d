using DePin.Wireless.Core.Identity;
using DePin.Wireless.FirmwareBridge.Radio;
using DePin.Wireless.HotspotHost.Configuration;
using DePin.Wireless.HotspotHost.Identity;
using DePin.Wireless.HotspotHost.Runtime;
using DePin.Wireless.TestSupport;

namespace DePin.Wireless.HotspotHost.Tests.Support;

/// <summary>A hotspot runtime wired to test service peers, with a seeded key and a chosen radio and clock.</summary>
public sealed class RuntimeFixture : IAsyncDisposable
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    private RuntimeFixture(ServicePeers peers, HotspotRuntime runtime, KeyPair key, TimeProvider time)
    {
        Peers = peers;
        Runtime = runtime;
        Key = key;
        Time = time;
    }

    public ServicePeers Peers { get; }

    public HotspotRuntime Runtime { get; }

    public KeyPair Key { get; }

    public TimeProvider Time { get; }

    public static async Task<RuntimeFixture> StartAsync(IRadio radio, TimeProvider? time = null, Action<HotspotOptions>? configure = null, string seed = "hotspot-1")
    {
        time ??= new ManualTimeProvider(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero));
        var peers = await ServicePeers.StartAsync(time);
        var random = SeededRandomSource.FromLabel(seed);
        var key = KeyPair.Generate(KeyType.Ed25519, random.Derive("key"));
        var options = new HotspotOptions
        {
            Region = "EU868",
            NetworkServerUrl = peers.BaseUrl.ToString(),
            OracleUrl = peers.BaseUrl.ToString(),
            OraclePublicKey = peers.OracleKey.PublicKey.ToAddress(),
            AntennaGainDbi = 3,
            DataDirectory = Path.GetTempPath(),
            Radio = new RadioOptions { Type = RadioKind.Simulated },
            Beaconing = new BeaconingOptions { Enabled = false },
            Forwarding = new ForwardingOptions { InitialRetryDelay = TimeSpan.FromSeconds(1), MaxRetryDelay = TimeSpan.FromSeconds(8), Concurrency = 2 },
        };
        configure?.Invoke(options);
        var runtime = new HotspotRuntime(new HotspotRuntimeSettings
        {
            Options = options,
            Key = new FileKeySecureElement(KeyPair.FromPrivateKey(key.Type, key.ExportPrivateKey())),
            Radio = radio,
            Time = time,
            Random = random.Derive("runtime"),
        });
        await runtime.StartAsync(CancellationToken.None);
        return new RuntimeFixture(peers, runtime, key, time);
    }

    public static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        using var cts = new CancellationTokenSource(Patience);
        while (!condition())
        {
            if (cts.IsCancellationRequested)
            {
                throw new TimeoutException($"timed out waiting for {what}");
            }

            await Task.Delay(10);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Runtime.DisposeAsync();
        await Peers.DisposeAsync();
        Key.Dispose();
    }
}
