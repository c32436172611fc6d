using System.Runtime.CompilerServices;
using DePin.Wireless.Core.Primitives;
using DePin.Wireless.FirmwareBridge.Radio;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DePin.Wireless.FirmwareBridge.Gwmp;

/// <summary>Which packet forwarder a <see cref="GwmpRadio"/> transmits through.</summary>
public sealed record GwmpRadioOptions
{
    public GwmpServerOptions Server { get; init; } = new();

    /// <summary>
    /// The concentrator's gateway EUI. Null: the gateway with the most recent PULL_DATA keep-alive (a hotspot has
    /// exactly one concentrator, so this is the usual setting).
    /// </summary>
    public Eui64? Gateway { get; init; }
}

/// <summary>
/// <see cref="IRadio"/> over a concentrator driven by a Semtech packet forwarder (<c>lora_pkt_fwd</c>): the host runs a
/// <see cref="GwmpServer"/>; each LoRa rxpk with a good or absent CRC becomes an <see cref="RxFrame"/>, and each
/// <see cref="TxRequest"/> becomes a PULL_RESP whose TX_ACK is the <see cref="TxResult"/>. FSK packets and packets with a
/// bad CRC are not frames for LoRaWAN and are skipped (the IRadio contract).
/// </summary>
public sealed class GwmpRadio : IRadio
{
    private readonly GwmpRadioOptions _options;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;

    public GwmpRadio(GwmpRadioOptions options, TimeProvider? time = null, Random? random = null, ILoggerFactory? loggers = null)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        loggers ??= NullLoggerFactory.Instance;
        _logger = loggers.CreateLogger<GwmpRadio>();
        Server = new GwmpServer(options.Server, time, random, loggers.CreateLogger<GwmpServer>());
    }

    /// <summary>The underlying server (its bound endpoint, counters and gateway registry).</summary>
    public GwmpServer Server { get; }

    /// <summary>True once a concentrator is sending keep-alives, i.e. downlinks and beacons can be transmitted.</summary>
    public bool HasGateway => TryCurrentGateway(out _);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _loop ??= Server.RunAsync(_stop.Token);
        _logger.LogInformation("GWMP radio listening on {Endpoint}", Server.LocalEndPoint);
        return Task.CompletedTask;
    }

    public async IAsyncEnumerable<RxFrame> ReceiveAllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var uplink in Server.Uplinks.ReadAllAsync(cancellationToken))
        {
            if (ToFrame(uplink.Packet) is { } frame)
            {
                yield return frame;
            }
        }
    }

    /// <summary>Maps an rxpk to a frame; null for FSK packets and packets whose CRC failed.</summary>
    public static RxFrame? ToFrame(RxPacket packet)
    {
        if (packet.Modulation != GwmpModulation.Lora || packet.LoraDataRate is not { } dataRate || packet.CrcStatus == -1)
        {
            return null;
        }

        var crc = packet.CrcStatus switch
        {
            1 => RxCrcStatus.Ok,
            0 => RxCrcStatus.NoCrc,
            _ => RxCrcStatus.Ok, // rxpk without "stat": forwarders only omit it for packets they passed (lora_pkt_fwd forwards CRC-ok only by default)
        };
        return new RxFrame(
            packet.Data,
            packet.Frequency.Value,
            new LoRaModulation(dataRate.SpreadingFactor, dataRate.BandwidthHz),
            ToCodingRate(packet.CodingRate),
            packet.RssiSignal ?? packet.Rssi ?? 0,
            packet.Snr ?? 0,
            packet.Tmst,
            crc,
            packet.FineTimeNs);
    }

    public async Task<TxResult> TransmitAsync(TxRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!TryCurrentGateway(out var gateway))
        {
            return new TxResult(TxStatus.RadioError, "no packet forwarder connected (no PULL_DATA keep-alive received)");
        }

        try
        {
            var ack = await Server.SendDownlinkAsync(gateway, ToTxPacket(request), cancellationToken);
            return ToResult(ack);
        }
        catch (TimeoutException e)
        {
            return new TxResult(TxStatus.Timeout, e.Message);
        }
        catch (GatewayNotConnectedException e)
        {
            return new TxResult(TxStatus.RadioError, e.Message);
        }
    }

    public static TxPacket ToTxPacket(TxRequest request) => new()
    {
        Immediate = request.CounterTimeUs is null,
        Tmst = request.CounterTimeUs,
        Frequency = new Hz(request.FrequencyHz),
        RfChain = 0,
        PowerDbm = request.PowerDbm,
        Modulation = GwmpModulation.Lora,
        LoraDataRate = new DataRate(request.Modulation.SpreadingFactor, request.Modulation.BandwidthHz / 1000),
        CodingRate = request.CodingRate switch
        {
            LoRaCodingRate.Cr4_6 => GwmpCodingRate.Cr4_6,
            LoRaCodingRate.Cr4_7 => GwmpCodingRate.Cr4_7,
            LoRaCodingRate.Cr4_8 => GwmpCodingRate.Cr4_8,
            _ => GwmpCodingRate.Cr4_5,
        },
        InvertPolarity = request.InvertIq,
        Preamble = (uint)request.PreambleLength,
        NoCrc = !request.CrcEnabled,
        Size = request.Payload.Length,
        Data = request.Payload,
    };

    public static TxResult ToResult(TxAck ack)
    {
        var status = ack.Error switch
        {
            TxAckError.None => TxStatus.Ok,
            TxAckError.TooLate => TxStatus.TooLate,
            TxAckError.TooEarly => TxStatus.TooEarly,
            TxAckError.CollisionPacket => TxStatus.CollisionPacket,
            TxAckError.CollisionBeacon => TxStatus.CollisionBeacon,
            TxAckError.TxFrequency => TxStatus.FrequencyError,
            TxAckError.TxPower => TxStatus.PowerError,
            TxAckError.GpsUnlocked => TxStatus.GpsUnlocked,
            _ => TxStatus.RadioError,
        };
        int? actualPower = ack.Warning == TxAckWarning.TxPower ? ack.WarningValue : null;
        return new TxResult(status, status == TxStatus.Ok ? null : $"TX_ACK {ack}", actualPower);
    }

    private bool TryCurrentGateway(out Eui64 gateway)
    {
        if (_options.Gateway is { } configured)
        {
            gateway = configured;
            return Server.Registry.TryGet(configured, out _);
        }

        var links = Server.Registry.Active();
        if (links.Count == 0)
        {
            gateway = default;
            return false;
        }

        gateway = links.MaxBy(l => l.LastPullData).Gateway;
        return true;
    }

    private static LoRaCodingRate ToCodingRate(GwmpCodingRate? rate) => rate switch
    {
        GwmpCodingRate.Cr4_6 => LoRaCodingRate.Cr4_6,
        GwmpCodingRate.Cr4_7 => LoRaCodingRate.Cr4_7,
        GwmpCodingRate.Cr4_8 => LoRaCodingRate.Cr4_8,
        _ => LoRaCodingRate.Cr4_5,
    };

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_loop is not null)
        {
            try
            {
                await _loop;
            }
            catch (OperationCanceledException)
            {
            }
        }

        Server.Dispose();
        _stop.Dispose();
    }
}
