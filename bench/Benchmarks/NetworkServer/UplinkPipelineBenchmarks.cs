using BenchmarkDotNet.Attributes;
using DePin.Wireless.Core.Identity;
using DePin.Wireless.Core.Primitives;
using DePin.Wireless.NetworkServer.Integration;
using DePin.Wireless.NetworkServer.LoRaWan;
using DePin.Wireless.NetworkServer.Pipeline;
using DePin.Wireless.NetworkServer.Storage;
using DePin.Wireless.Proto;
using Google.Protobuf;

namespace DePin.Wireless.Benchmarks.NetworkServer;

/// <summary>
/// Post-dedup uplink processing with the in-memory store: session lookup + MIC + 32-bit FCnt + atomic FCnt advance +
/// decryption + MAC/ADR + uplink event (in-process publisher) + downlink decision, for 1,000 ABP devices. Each
/// invocation processes a fresh batch of frames (counters keep rising), so no frame is a replay.
/// </summary>
[MemoryDiagnoser]
public class UplinkPipelineBenchmarks
{
    private const int Devices = 1000;
    private const int Rounds = 10;
    private const int BatchSize = Devices * Rounds;
    private static readonly AesKey NwkSKey = AesKey.Parse("44024241ed4ce9a68c6a8bc055233fd3");
    private static readonly AesKey AppSKey = AesKey.Parse("ec925802ae430ca77fd3dd73cb2cc588");

    private readonly List<FrameSet> _batch = new(BatchSize);
    private DataUplinkProcessor _processor = null!;
    private KeyPair _hotspot = null!;
    private readonly LoRaCipherPool _codecCiphers = new();
    private uint _nextFCnt;

    [GlobalSetup]
    public void Setup()
    {
        var store = new InMemoryNetworkStore();
        var app = AppId.Parse("bench");
        store.AddApplicationAsync(new Application(app, "bench"), CancellationToken.None).GetAwaiter().GetResult();
        for (var i = 0; i < Devices; i++)
        {
            var devEui = new Eui64(0x1000 + (ulong)i);
            store.AddDeviceAsync(new Device(devEui, app, new Eui64(1), NwkSKey, "EU868") { IsAbp = true }, CancellationToken.None).GetAwaiter().GetResult();
            store.SaveSessionAsync(new DeviceSession(devEui, new DevAddr(0x48000000 + (uint)i), NwkSKey, AppSKey), CancellationToken.None).GetAwaiter().GetResult();
        }

        _hotspot = KeyPair.Generate(KeyType.Ed25519, new SeededRandomSource([7]));
        _processor = new DataUplinkProcessor(store, new InProcessEventPublisher(), new MacCommandResponder(), new RegionPlanCache(), new NetworkServerIdentity(), TimeProvider.System);
    }

    [IterationSetup]
    public void BuildBatch()
    {
        _batch.Clear();
        using var nwk = new LoRaCipher(NwkSKey);
        using var app = new LoRaCipher(AppSKey);
        for (var round = 0; round < Rounds; round++, _nextFCnt++)
        {
            for (var i = 0; i < Devices; i++)
            {
                var phy = FrameBuilder.BuildDataFrame(new DataFrameFields(MType.UnconfirmedDataUp, new DevAddr(0x48000000 + (uint)i), _nextFCnt)
                {
                    FPort = 1,
                    Payload = new byte[20],
                }, nwk, app);
                var report = new PacketReport { HotspotKey = ByteString.CopyFrom(_hotspot.PublicKey.Bytes), Payload = ByteString.CopyFrom(phy), Datarate = "SF9BW125", FrequencyHz = 868_100_000, SnrCdb = 500 };
                _batch.Add(new FrameSet(PacketHash.Of(phy), [new UplinkCopy(_hotspot.PublicKey, report)]));
            }
        }
    }

    /// <summary>Baseline in the same run: only the codec work of stage 5-6 (MIC under the 32-bit FCnt, decryption), no store, no events.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = BatchSize, Description = "codec only: MIC + FCnt + decrypt")]
    public int CodecOnly()
    {
        var total = 0;
        var ciphers = _codecCiphers;
        var session = new DeviceSession(new Eui64(0x1000), new DevAddr(0), NwkSKey, AppSKey);
        foreach (var frames in _batch)
        {
            var phy = frames.PhyPayload.Span;
            var candidate = session with { DevAddr = DataFrame.Parse(phy).DevAddr };
            var match = SessionResolver.Resolve(phy, [candidate], FrameCounterResetPolicy.Strict, ciphers);
            total += PayloadDecryptor.Decrypt(phy, candidate, match.Value!.Counter.FCnt32, ciphers).Payload.Length;
        }

        return total;
    }

    [Benchmark(OperationsPerInvoke = BatchSize, Description = "uplink processed (in-memory store, one core)")]
    public async Task ProcessBatch()
    {
        foreach (var frames in _batch)
        {
            var outcome = await _processor.ProcessAsync(frames, CancellationToken.None);
            if (outcome.Rejection is not null)
            {
                throw new InvalidOperationException($"benchmark frame rejected: {outcome.Rejection} {outcome.Detail}");
            }
        }
    }
}
