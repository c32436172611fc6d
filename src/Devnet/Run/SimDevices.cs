using DePin.Wireless.Core.Identity;
using DePin.Wireless.Core.Primitives;
using DePin.Wireless.Core.Regions;
using DePin.Wireless.Devnet.Medium;
using DePin.Wireless.Devnet.World;
using DePin.Wireless.NetworkServer.LoRaWan;

namespace DePin.Wireless.Devnet.Run;

/// <summary>
/// A LoRaWAN end-device activated by personalisation (ABP): a DevAddr and session keys drawn from the run's seed,
/// one data rate chosen at activation, and unconfirmed uplinks of a 12-byte sensor reading built as real
/// PHYPayloads (FRMPayload encrypted, MIC computed by <see cref="FrameBuilder"/>).
/// </summary>
public sealed class SimDevice : IDisposable
{
    private const int SensorPayloadBytes = 12;
    private readonly LoRaCipher _nwkSKey;
    private readonly LoRaCipher _appSKey;
    private readonly Random _random;
    private uint _frameCounter;

    public SimDevice(int index, RadioId radio, int seed, RegionPlan plan)
    {
        Index = index;
        Radio = radio;
        var keys = SeededRandomSource.FromLabel(FormattableString.Invariant($"devnet/{seed}/device/{index}"));
        Span<byte> material = stackalloc byte[36];
        keys.Fill(material);
        _nwkSKey = new LoRaCipher(AesKey.FromBytes(material[..16]));
        _appSKey = new LoRaCipher(AesKey.FromBytes(material[16..32]));

        // A DevAddr from the experimental NetID 0 range (LoRaWAN Backend Interfaces: NwkID in the top 7 bits).
        DevAddr = new DevAddr((uint)(index & 0x01FF_FFFF));
        _random = new Random(SeedMixer.DeriveSeed(seed, "device-traffic", index));
        var loRaRates = plan.DataRates.Where(r => r is { IsLoRa: true, Uplink: true } && r.LoRa!.Value.BandwidthKhz == 125).ToArray();
        var row = loRaRates[_random.Next(loRaRates.Length)];
        DataRate = row.RequireLoRa();
        Channels = plan.EnabledUplinkChannels.Where(c => c.BandwidthKhz == 125 && c.Allows(row.Index)).Select(c => c.Frequency).ToArray();
    }

    /// <summary>PHYPayload length of every uplink: MHDR 1 + FHDR 7 + FPort 1 + reading + MIC 4.</summary>
    public static int FrameLength => 13 + SensorPayloadBytes;

    public int Index { get; }

    public RadioId Radio { get; }

    public DevAddr DevAddr { get; }

    public DataRate DataRate { get; }

    /// <summary>The plan's enabled 125 kHz uplink channels that allow this device's data rate.</summary>
    public IReadOnlyList<Hz> Channels { get; }

    /// <summary>A channel for the next uplink, picked at random as LoRaWAN requires (1.0.4 §2.1 pseudo-random channel hopping).</summary>
    public Hz PickChannel() => Channels[_random.Next(Channels.Count)];

    /// <summary>The next uplink frame with a fresh sensor reading; advances the frame counter.</summary>
    public byte[] NextFrame()
    {
        var reading = new byte[SensorPayloadBytes];
        _random.NextBytes(reading);
        var fields = new DataFrameFields(MType.UnconfirmedDataUp, DevAddr, _frameCounter++) { FPort = 1, Payload = reading };
        return FrameBuilder.BuildDataFrame(fields, _nwkSKey, _appSKey);
    }

    /// <summary>Period to the next uplink: the interval jittered ±20 % so devices do not synchronise.</summary>
    public TimeSpan NextPeriod(TimeSpan interval) => interval * (0.8 + (0.4 * _random.NextDouble()));

    public void Dispose()
    {
        _nwkSKey.Dispose();
        _appSKey.Dispose();
    }
}
