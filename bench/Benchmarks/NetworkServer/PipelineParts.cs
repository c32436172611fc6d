using DePin.Wireless.Core.Identity;
using DePin.Wireless.Core.Regions;
using DePin.Wireless.NetworkServer.Integration;
using DePin.Wireless.NetworkServer.Pipeline;

namespace DePin.Wireless.Benchmarks.NetworkServer;

/// <summary>CPU time of single steps of the uplink hot path, to see where an uplink's microseconds go. Run: ns-parts.</summary>
public static class PipelineParts
{
    public static void Run(TextWriter output)
    {
        using var hotspot = KeyPair.Generate(KeyType.Ed25519, new SeededRandomSource([7]));
        var key = hotspot.PublicKey;
        var plan = RegionPlans.Get("EU868");
        var uplink = new UplinkEvent
        {
            Time = DateTimeOffset.UnixEpoch,
            DeviceInfo = new DeviceInfo { ApplicationId = AppId.Parse("bench"), DeviceName = "dev", DevEui = new Core.Primitives.Eui64(0x1000) },
            DeduplicationId = Guid.NewGuid(),
            DevAddr = "48000001",
            FCnt = 1,
            FPort = 1,
            Data = new byte[20],
            RxInfo = [new UplinkRxInfo { GatewayId = key.ToAddress(), Rssi = -100, Snr = 5, Time = DateTimeOffset.UnixEpoch }],
            TxInfo = new TxInfo { Frequency = 868_100_000, Modulation = new Modulation { Lora = new LoraModulationInfo { Bandwidth = 125_000, SpreadingFactor = 9, CodeRate = "CR_4_5" } } },
        };
        Measure(output, "ToAddress", () => key.ToAddress().Length);
        Measure(output, "json(up)", () => IntegrationJson.Serialize(uplink).Length);
        Measure(output, "topic", () => ApplicationTopics.Event(uplink.DeviceInfo.ApplicationId, uplink.DeviceInfo.DevEui, IntegrationEventType.Up).Length);
        Measure(output, "AdrLimits", () => RequiredSnr.AdrLimits(plan).MaxDataRate);
        Measure(output, "regions.Get", () => new RegionPlanCache().Get("EU868").MaxChannels);
    }

    private static void Measure<T>(TextWriter output, string name, Func<T> body)
    {
        var t = CpuTimeSampler.Measure(() =>
        {
            T last = default!;
            for (var i = 0; i < 1000; i++)
            {
                last = body();
            }

            return last;
        }, warmupCalls: 50, roundMilliseconds: 100, 1000, out _);
        output.WriteLine($"{name,-12} cpu-time median {t.CpuMedian,8:F0} ns/op (wall {t.WallMedian:F0})");
    }
}
