using DePin.Wireless.FirmwareBridge.Radio;
using DePin.Wireless.HotspotHost.Runtime;
using DePin.Wireless.Proto;
using Microsoft.Extensions.Logging;

namespace DePin.Wireless.HotspotHost.Forwarding;

/// <summary>Which window a downlink went out in, if any, with the radio's answers.</summary>
public sealed record DownlinkOutcome(string DownlinkId, string? SentIn, TxResult Rx1, TxResult? Rx2);

/// <summary>
/// Sends a network server's <see cref="DownlinkCommand"/>: RX1 at its tmst; if the radio says TOO_LATE or TOO_EARLY
/// and an RX2 window is given, RX2 at its tmst. Other refusals are final (gateway-rs does the same).
/// </summary>
public sealed class DownlinkTransmitter(IRadio radio, HotspotState state, ILogger logger)
{
    public async Task<DownlinkOutcome> TransmitAsync(DownlinkCommand command, CancellationToken cancellationToken)
    {
        var payload = command.Payload.ToByteArray();
        if (command.Rx1 is null && command.Rx2 is null)
        {
            logger.LogWarning("downlink {Id} has no transmit window", command.DownlinkId);
            var none = new DownlinkOutcome(command.DownlinkId, null, new TxResult(TxStatus.RadioError, "no window"), null);
            state.DownlinkDone(none);
            return none;
        }

        var first = command.Rx1 ?? command.Rx2!;
        var rx1 = await radio.TransmitAsync(ToRequest(payload, first), cancellationToken);
        DownlinkOutcome outcome;
        if (rx1.IsOk)
        {
            outcome = new DownlinkOutcome(command.DownlinkId, command.Rx1 is null ? "rx2" : "rx1", rx1, null);
        }
        else if (rx1.Status is TxStatus.TooLate or TxStatus.TooEarly && command.Rx1 is not null && command.Rx2 is { } window2)
        {
            var rx2 = await radio.TransmitAsync(ToRequest(payload, window2), cancellationToken);
            outcome = new DownlinkOutcome(command.DownlinkId, rx2.IsOk ? "rx2" : null, rx1, rx2);
        }
        else
        {
            outcome = new DownlinkOutcome(command.DownlinkId, null, rx1, null);
        }

        if (outcome.SentIn is null)
        {
            logger.LogWarning("downlink {Id} not sent: RX1 {Rx1}, RX2 {Rx2}", command.DownlinkId, rx1, outcome.Rx2);
        }

        state.DownlinkDone(outcome);
        return outcome;
    }

    public static TxRequest ToRequest(byte[] payload, TxWindow window) => new(
        payload,
        (long)window.FrequencyHz,
        LoRaModulation.Parse(window.Datarate),
        LoRaCodingRate.Cr4_5,
        window.TxPowerDbm,
        window.Tmst,
        InvertIq: window.InvertPolarity,
        CrcEnabled: false);
}
