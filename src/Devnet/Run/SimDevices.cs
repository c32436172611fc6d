using DePin.Wireless.Core.Identity;
using DePin.Wireless.Core.Primitives;
using DePin.Wireless.Core.Regions;
using DePin.Wireless.Devnet.Medium;
using DePin.Wireless.NetworkServer.LoRaWan;

namespace DePin.Wireless.Devnet.Run;

/// <summary>What a device made of a downlink it demodulated.</summary>
public enum DeviceDownlinkResult
{
    /// <summary>Not addressed to this device, or its MIC did not verify: ignored as a real device would.</summary>
    Ignored,

    /// <summary>A JoinAccept that verified: the device derived its session keys and is now joined.</summary>
    Joined,

    /// <summary>A data downlink of this device's session (ACK and/or MAC commands applied).</summary>
    DataReceived,
}

/// <summary>
/// A LoRaWAN 1.0.4 class A end-device activated over the air (OTAA). It holds only its DevEUI, JoinEUI and AppKey
/// until a JoinAccept reaches it; it then derives NwkSKey/AppSKey from the accept (§6.2.5) and sends a 12-byte sensor
/// reading per period, confirmed or not, with the ADR bit set. Downlinks are checked (DevAddr, MIC over the 32-bit
/// FCntDown) before the ACK bit and LinkADRReq commands are applied; LinkADRAns goes back in the next uplink's FOpts.
/// </summary>
public sealed class SimDevice : IDisposable
{
    public const int SensorPayloadBytes = 12;
    public const byte SensorPort = 1;

    private readonly LoRaCipher _appKey;
    private readonly RegionPlan _plan;
    private readonly Random _random;
    private readonly Hz[] _channels;
    private readonly Hz[] _joinChannels;
    private LoRaCipher? _nwkSKey;
    private LoRaCipher? _appSKey;
    private byte[] _pendingMacAnswers = [];
    private uint _fCntUp;
    private uint? _lastFCntDown;
    private ushort _devNonce;

    public SimDevice(int index, RadioId radio, int seed, RegionPlan plan, Eui64 devEui, Eui64 joinEui, AesKey appKey, int organisation, bool confirmed)
    {
        Index = index;
        Radio = radio;
        DevEui = devEui;
        JoinEui = joinEui;
        Organisation = organisation;
        Confirmed = confirmed;
        _plan = plan;
        _appKey = new LoRaCipher(appKey);
        _random = new Random(SeedMixer.DeriveSeed(seed, "device-traffic", index));

        // The data rate a device starts on is where its installer left it; ADR moves it from there.
        var loRaRates = plan.DataRates.Where(r => r is { IsLoRa: true, Uplink: true } && r.LoRa!.Value.BandwidthKhz == 125).ToArray();
        DataRateIndex = loRaRates[_random.Next(loRaRates.Length)].Index;
        _channels = plan.EnabledUplinkChannels.Where(c => c.BandwidthKhz == 125).Select(c => c.Frequency).ToArray();
        _joinChannels = plan.JoinChannels.Select(c => c.Frequency).ToArray();
    }

    public int Index { get; }

    public RadioId Radio { get; }

    public Eui64 DevEui { get; }

    public Eui64 JoinEui { get; }

    /// <summary>Index of the organisation that owns the device and pays for its packets.</summary>
    public int Organisation { get; }

    /// <summary>Whether the device sends its readings as confirmed uplinks.</summary>
    public bool Confirmed { get; }

    public bool IsJoined => _nwkSKey is not null;

    public DevAddr DevAddr { get; private set; }

    /// <summary>Current uplink data rate (region DR index), changed by LinkADRReq.</summary>
    public int DataRateIndex { get; private set; }

    /// <summary>Current TX power index (0 = max EIRP), changed by LinkADRReq.</summary>
    public int TxPowerIndex { get; private set; }

    public DataRate DataRate => _plan.GetDataRate(DataRateIndex).RequireLoRa();

    /// <summary>EIRP of the next uplink (LoRaWAN TX power indices are EIRP steps below the region's maximum).</summary>
    public Dbm Eirp => _plan.Eirp(TxPowerIndex);

    /// <summary>RX1 delay from the JoinAccept (1 s until then; 5 s for the accept itself is the join delay).</summary>
    public TimeSpan RxDelay { get; private set; } = TimeSpan.FromSeconds(1);

    /// <summary>Whether the last uplink was a confirmed one still waiting for its ACK.</summary>
    public bool AwaitingAck { get; private set; }

    public long Joins { get; private set; }

    public long AcksReceived { get; private set; }

    public long AdrChanges { get; private set; }

    /// <summary>A channel for the next frame, picked at random as LoRaWAN requires (1.0.4 §2.1 pseudo-random hopping).</summary>
    public Hz PickChannel() => IsJoined ? _channels[_random.Next(_channels.Length)] : _joinChannels[_random.Next(_joinChannels.Length)];

    /// <summary>The next frame: a JoinRequest while not joined (DevNonce counts up, 1.0.4 §6.2.4), else a data uplink.</summary>
    public byte[] NextFrame() => IsJoined ? NextDataFrame() : NextJoinRequest();

    /// <summary>Period to the next uplink: the interval jittered ±20 % so devices do not synchronise.</summary>
    public TimeSpan NextPeriod(TimeSpan interval) => interval * (0.8 + (0.4 * _random.NextDouble()));

    /// <summary>Length of the next data frame: MHDR 1 + FHDR 7 + FOpts + FPort 1 + reading + MIC 4.</summary>
    public int NextFrameLength => IsJoined ? 13 + _pendingMacAnswers.Length + SensorPayloadBytes : JoinRequestFrame.Size;

    /// <summary>Handles a frame demodulated in a receive window.</summary>
    public DeviceDownlinkResult Receive(ReadOnlySpan<byte> phy)
    {
        if (phy.Length < 1)
        {
            return DeviceDownlinkResult.Ignored;
        }

        var mtype = new Mhdr(phy[0]).MType;
        if (mtype == MType.JoinAccept)
        {
            return IsJoined ? DeviceDownlinkResult.Ignored : AcceptJoin(phy);
        }

        return mtype is MType.UnconfirmedDataDown or MType.ConfirmedDataDown && IsJoined ? ReceiveData(phy) : DeviceDownlinkResult.Ignored;
    }

    public void Dispose()
    {
        _appKey.Dispose();
        _nwkSKey?.Dispose();
        _appSKey?.Dispose();
    }

    private byte[] NextJoinRequest()
    {
        AwaitingAck = false;
        return FrameBuilder.BuildJoinRequest(JoinEui, DevEui, _devNonce++, _appKey);
    }

    private byte[] NextDataFrame()
    {
        var reading = new byte[SensorPayloadBytes];
        _random.NextBytes(reading);
        var fields = new DataFrameFields(Confirmed ? MType.ConfirmedDataUp : MType.UnconfirmedDataUp, DevAddr, _fCntUp++)
        {
            Adr = true,
            FOpts = _pendingMacAnswers,
            FPort = SensorPort,
            Payload = reading,
        };
        _pendingMacAnswers = [];
        AwaitingAck = Confirmed;
        return FrameBuilder.BuildDataFrame(fields, _nwkSKey!, _appSKey!);
    }

    private DeviceDownlinkResult AcceptJoin(ReadOnlySpan<byte> wire)
    {
        if (wire.Length is not (JoinAcceptFrame.SizeWithoutCfList or JoinAcceptFrame.SizeWithCfList))
        {
            return DeviceDownlinkResult.Ignored;
        }

        Span<byte> plain = stackalloc byte[wire.Length];
        LoRaWanCrypto.DecryptJoinAccept(_appKey, wire, plain);
        var accept = JoinAcceptFrame.Parse(plain);
        if (LoRaWanCrypto.ComputeJoinAcceptMic(_appKey, accept.Signed) != accept.Mic)
        {
            return DeviceDownlinkResult.Ignored; // another device's accept (different AppKey) on the same channel
        }

        // The accept answers the last JoinRequest sent, whose DevNonce is one below the counter.
        var keys = LoRaWanCrypto.DeriveSessionKeys10(_appKey, accept.JoinNonce, accept.NetId, (ushort)(_devNonce - 1));
        _nwkSKey = new LoRaCipher(keys.NwkSKey);
        _appSKey = new LoRaCipher(keys.AppSKey);
        DevAddr = accept.DevAddr;
        var delay = accept.RxDelay & 0x0F;
        RxDelay = TimeSpan.FromSeconds(delay == 0 ? 1 : delay);
        _fCntUp = 0;
        _lastFCntDown = null;
        Joins++;
        return DeviceDownlinkResult.Joined;
    }

    private DeviceDownlinkResult ReceiveData(ReadOnlySpan<byte> phy)
    {
        DataFrame frame;
        try
        {
            frame = DataFrame.Parse(phy);
        }
        catch (LoRaWanFormatException)
        {
            return DeviceDownlinkResult.Ignored;
        }

        if (frame.DevAddr != DevAddr)
        {
            return DeviceDownlinkResult.Ignored;
        }

        // 32-bit FCntDown from its 16 low bits, the next value above the last one seen (1.0.4 §4.3.1.5).
        var last = _lastFCntDown ?? uint.MaxValue;
        var high = _lastFCntDown is null ? 0u : last & 0xFFFF0000u;
        var fCnt32 = high | frame.FCnt16;
        if (_lastFCntDown is not null && fCnt32 <= last)
        {
            fCnt32 += 0x10000;
        }

        if (LoRaWanCrypto.ComputeDataMic(_nwkSKey!, frame.Signed, Direction.Downlink, DevAddr, fCnt32) != frame.Mic)
        {
            return DeviceDownlinkResult.Ignored;
        }

        _lastFCntDown = fCnt32;
        if (frame.FCtrl.Ack && AwaitingAck)
        {
            AcksReceived++;
            AwaitingAck = false;
        }

        ApplyMacCommands(frame, fCnt32);
        return DeviceDownlinkResult.DataReceived;
    }

    private void ApplyMacCommands(DataFrame frame, uint fCnt32)
    {
        IReadOnlyList<MacCommand> commands;
        try
        {
            if (frame.FPort == 0)
            {
                var plain = new byte[frame.FrmPayload.Length];
                LoRaWanCrypto.CryptFrmPayload(_nwkSKey!, Direction.Downlink, DevAddr, fCnt32, frame.FrmPayload, plain);
                commands = MacCommandCodec.Parse(plain, Direction.Downlink);
            }
            else
            {
                commands = MacCommandCodec.Parse(frame.FOpts, Direction.Downlink);
            }
        }
        catch (LoRaWanFormatException)
        {
            return;
        }

        var answers = new List<MacCommand>();
        foreach (var command in commands)
        {
            if (command is LinkAdrReq request)
            {
                answers.Add(ApplyLinkAdr(request));
            }
        }

        _pendingMacAnswers = answers.Count == 0 ? [] : MacCommandCodec.Write(answers);
    }

    /// <summary>LinkADRReq (1.0.4 §5.3): DR 15 and TXPower 15 mean "keep"; anything the region does not offer is refused.</summary>
    private LinkAdrAns ApplyLinkAdr(LinkAdrReq request)
    {
        var dataRateOk = request.DataRate == 15 || _plan.DataRates.Any(r => r.Index == request.DataRate && r is { IsLoRa: true, Uplink: true } && r.LoRa!.Value.BandwidthKhz == 125);
        var powerOk = request.TxPower == 15 || request.TxPower < _plan.TxPowerOffsetsDb.Count;
        if (dataRateOk && powerOk)
        {
            var newRate = request.DataRate == 15 ? DataRateIndex : request.DataRate;
            var newPower = request.TxPower == 15 ? TxPowerIndex : request.TxPower;
            if (newRate != DataRateIndex || newPower != TxPowerIndex)
            {
                AdrChanges++;
            }

            DataRateIndex = newRate;
            TxPowerIndex = newPower;
        }

        return new LinkAdrAns(powerOk, dataRateOk, ChannelMaskAck: true);
    }
}
