using DePin.Wireless.Core.Identity;
using DePin.Wireless.Core.Primitives;
using DePin.Wireless.NetworkServer.Integration;
using DePin.Wireless.NetworkServer.LoRaWan;
using DePin.Wireless.NetworkServer.Pipeline;
using DePin.Wireless.NetworkServer.Storage;
using DePin.Wireless.Proto;
using DePin.Wireless.TestSupport;
using Google.Protobuf;
using Microsoft.Extensions.Logging.Abstractions;

namespace DePin.Wireless.NetworkServer.Tests.Pipeline;

/// <summary>
/// A network in one process: an organisation owning DevAddr 48000000-48ffffff and JoinEUIs 70b3d57ed0000000-…ffff,
/// one application, hotspots that sign packet reports, and the pipeline on a manual clock.
/// </summary>
internal sealed class SimulatedNetwork : IDisposable
{
    public const uint Oui = 1;
    public static readonly AppId App = AppId.Parse("7");
    public static readonly Eui64 JoinEui = Eui64.Parse("70b3d57ed0000001");
    public static readonly AesKey AppKey = AesKey.Parse("2b7e151628aed2a6abf7158809cf4f3c");
    private static readonly CancellationToken Ct = CancellationToken.None;

    private readonly SeededRandomSource _random = new([1, 2, 3]);
    private readonly List<(KeyPair Key, EnvelopeSigner Signer)> _hotspots = [];
    private readonly List<ChargeRequest> _charges = [];

    public SimulatedNetwork(IEventPublisher? events = null, int maxCopies = 3, int hotspots = 3, INetworkStore? store = null, MacResponderOptions? mac = null, bool provision = true)
    {
        SentDownlinks = new RecentDownlinks(Time);
        Store = store ?? new InMemoryNetworkStore();
        Events = events ?? Published;
        Routes = new RouteCache(Store);
        for (var i = 0; i < hotspots; i++)
        {
            var key = KeyPair.Generate(KeyType.Ed25519, _random.Derive("hotspot" + i));
            _hotspots.Add((key, new EnvelopeSigner(key, Time, _random.Derive("nonce" + i))));
        }

        if (provision)
        {
            Store.AddApplicationAsync(new Application(App, "app seven"), Ct).GetAwaiter().GetResult();
            Store.AddOrganizationAsync(new Organization(Oui, "payer", new InclusiveRange(0x48000000, 0x48ffffff), new InclusiveRange(0x70b3d57ed0000000, 0x70b3d57ed000ffff), maxCopies), Ct).GetAwaiter().GetResult();
        }

        Routes.RefreshAsync(Ct).GetAwaiter().GetResult();
        Pipeline = UplinkPipelineFactory.Create(new UplinkPipelineParts(Store, Events, new InProcessUplinkCharger(ChargeAsync), Routes, Time, NullLoggerFactory.Instance)
        {
            Mac = mac ?? new MacResponderOptions(),
            SentDownlinks = SentDownlinks,
        });
        TxAcks = new TxAckProcessor(new EnvelopeVerifier(new EnvelopeVerifierOptions(), Time, new InMemoryReplayGuard(Time)), SentDownlinks, Events, Time);
    }

    public ManualTimeProvider Time { get; } = new();

    public INetworkStore Store { get; }

    public InProcessEventPublisher Published { get; } = new();

    public IEventPublisher Events { get; }

    public RouteCache Routes { get; }

    public UplinkPipeline Pipeline { get; }

    public RecentDownlinks SentDownlinks { get; }

    public TxAckProcessor TxAcks { get; }

    /// <summary>A hotspot's signed TX_ACK report for a downlink.</summary>
    public byte[] TxAck(int hotspot, string downlinkId, string rx1Error, string rx2Error = "") =>
        _hotspots[hotspot].Signer.SignToBytes(new TxAckReport
        {
            HotspotKey = ByteString.CopyFrom(_hotspots[hotspot].Key.PublicKey.Bytes),
            DownlinkId = downlinkId,
            Rx1Error = rx1Error,
            Rx2Error = rx2Error,
        });

    /// <summary>Charges made, in order; the charger buys every copy unless <see cref="RefuseCharges"/> is set.</summary>
    public IReadOnlyList<ChargeRequest> Charges
    {
        get
        {
            lock (_charges)
            {
                return [.. _charges];
            }
        }
    }

    public NotBoughtReason? RefuseCharges { get; set; }

    public PublicKey Hotspot(int index) => _hotspots[index].Key.PublicKey;

    public async Task<Device> AddOtaaDeviceAsync(Eui64 devEui, string region = "EU868")
    {
        var device = new Device(devEui, App, JoinEui, AppKey, region) { Name = "sensor-" + devEui };
        await Store.AddDeviceAsync(device, Ct);
        return device;
    }

    public async Task<DeviceSession> AddAbpDeviceAsync(Eui64 devEui, DevAddr devAddr, AesKey nwkSKey, AesKey appSKey)
    {
        await Store.AddDeviceAsync(new Device(devEui, App, JoinEui, AppKey, "EU868") { IsAbp = true }, Ct);
        var session = new DeviceSession(devEui, devAddr, nwkSKey, appSKey) { Rx2DataRate = 0 };
        await Store.SaveSessionAsync(session, Ct);
        return session;
    }

    public byte[] Report(int hotspot, byte[] phy, double snr, double rssi = -100, uint tmst = 1_000_000, ulong frequencyHz = 868_100_000, string datarate = "SF9BW125") =>
        _hotspots[hotspot].Signer.SignToBytes(new PacketReport
        {
            HotspotKey = ByteString.CopyFrom(_hotspots[hotspot].Key.PublicKey.Bytes),
            Payload = ByteString.CopyFrom(phy),
            ReceivedNs = (ulong)(Time.GetUtcNow().ToUnixTimeMilliseconds() * 1_000_000),
            Tmst = tmst,
            FrequencyHz = frequencyHz,
            Datarate = datarate,
            SignalDdbm = (int)(rssi * 10),
            SnrCdb = (int)(snr * 100),
            Region = "EU868",
        });

    /// <summary>Submits reports, closes the dedup window and returns every hotspot's answer.</summary>
    public async Task<PacketReportResponse[]> DeliverAsync(params byte[][] envelopes)
    {
        var pending = envelopes.Select(e => Pipeline.HandleAsync(e, Ct)).ToArray();
        await Task.Yield();
        Time.Advance(TimeSpan.FromMilliseconds(200));
        return await Task.WhenAll(pending).WaitAsync(TimeSpan.FromSeconds(10));
    }

    private Task<ChargeResult> ChargeAsync(ChargeRequest request, CancellationToken cancellationToken)
    {
        lock (_charges)
        {
            _charges.Add(request);
        }

        return Task.FromResult(RefuseCharges is { } reason ? ChargeResult.NotBought(reason) : ChargeResult.BoughtFor(1));
    }

    public void Dispose()
    {
        foreach (var (key, _) in _hotspots)
        {
            key.Dispose();
        }
    }
}

/// <summary>A LoRaWAN end device in the test: builds frames the way a real one would.</summary>
internal sealed class SimulatedDevice(Eui64 devEui)
{
    public Eui64 DevEui { get; } = devEui;

    public DevAddr DevAddr { get; private set; }

    public AesKey NwkSKey { get; private set; }

    public AesKey AppSKey { get; private set; }

    public uint FCntUp { get; set; }

    public static SimulatedDevice Abp(Eui64 devEui, DevAddr devAddr, AesKey nwkSKey, AesKey appSKey) =>
        new(devEui) { DevAddr = devAddr, NwkSKey = nwkSKey, AppSKey = appSKey };

    public byte[] JoinRequest(ushort devNonce)
    {
        using var appKey = new LoRaCipher(SimulatedNetwork.AppKey);
        return FrameBuilder.BuildJoinRequest(SimulatedNetwork.JoinEui, DevEui, devNonce, appKey);
    }

    /// <summary>Decrypts a join accept as the device does and takes the session from it.</summary>
    public JoinAcceptInfo AcceptJoin(byte[] wire, ushort devNonce)
    {
        using var appKey = new LoRaCipher(SimulatedNetwork.AppKey);
        var plain = new byte[wire.Length];
        LoRaWanCrypto.DecryptJoinAccept(appKey, wire, plain);
        var accept = JoinAcceptFrame.Parse(plain);
        Assert.Equal(LoRaWanCrypto.ComputeJoinAcceptMic(appKey, accept.Signed), accept.Mic);
        var keys = LoRaWanCrypto.DeriveSessionKeys10(appKey, accept.JoinNonce, accept.NetId, devNonce);
        (DevAddr, NwkSKey, AppSKey, FCntUp) = (accept.DevAddr, keys.NwkSKey, keys.AppSKey, 0);
        return new JoinAcceptInfo(accept.DevAddr, accept.RxDelay, accept.CfList.ToArray());
    }

    public byte[] Uplink(byte fPort, byte[] payload, bool confirmed = false, byte[]? fOpts = null, bool adr = false, bool ack = false)
    {
        using var nwk = new LoRaCipher(NwkSKey);
        using var app = new LoRaCipher(AppSKey);
        var frame = FrameBuilder.BuildDataFrame(new DataFrameFields(confirmed ? MType.ConfirmedDataUp : MType.UnconfirmedDataUp, DevAddr, FCntUp)
        {
            FPort = fPort,
            Payload = payload,
            FOpts = fOpts ?? ReadOnlyMemory<byte>.Empty,
            Adr = adr,
            Ack = ack,
        }, nwk, app);
        FCntUp++;
        return frame;
    }

    /// <summary>Checks a downlink's MIC with the device's key and returns its parsed header and decrypted payload.</summary>
    public (bool Ack, uint FCnt, byte? FPort, byte[] Payload, byte[] FOpts) ReadDownlink(byte[] phy, uint fCntDown)
    {
        var frame = DataFrame.Parse(phy);
        using var nwk = new LoRaCipher(NwkSKey);
        using var app = new LoRaCipher(AppSKey);
        Assert.Equal(LoRaWanCrypto.ComputeDataMic(nwk, frame.Signed, Direction.Downlink, frame.DevAddr, fCntDown), frame.Mic);
        var plain = new byte[frame.FrmPayload.Length];
        LoRaWanCrypto.CryptFrmPayload(frame.FPort == 0 ? nwk : app, Direction.Downlink, frame.DevAddr, fCntDown, frame.FrmPayload, plain);
        return (frame.FCtrl.Ack, frame.FCnt16, frame.FPort, plain, frame.FOpts.ToArray());
    }
}

internal sealed record JoinAcceptInfo(DevAddr DevAddr, byte RxDelay, byte[] CfList);
