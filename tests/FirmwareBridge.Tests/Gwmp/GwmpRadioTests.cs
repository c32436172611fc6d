using DePin.Wireless.Core.Primitives;
using DePin.Wireless.FirmwareBridge.Gwmp;
using DePin.Wireless.FirmwareBridge.Radio;

namespace DePin.Wireless.FirmwareBridge.Tests.Gwmp;

public class GwmpRadioTests
{
    [Fact]
    public void Rxpk_maps_to_a_frame_with_signal_rssi_fine_timestamp_and_crc()
    {
        var rxpk = RxPacket.Lora(123, new Hz(868_100_000), new DataRate(9, 125), GwmpCodingRate.Cr4_6, -90, -2.5, [1, 2]) with { RssiSignal = -91, FineTimeNs = 500 };
        var frame = GwmpRadio.ToFrame(rxpk)!;
        Assert.Equal(new LoRaModulation(9, 125_000), frame.Modulation);
        Assert.Equal(LoRaCodingRate.Cr4_6, frame.CodingRate);
        Assert.Equal(-91, frame.RssiDbm);
        Assert.Equal(-2.5, frame.SnrDb);
        Assert.Equal(123u, frame.CounterTimestampUs);
        Assert.Equal(500, frame.FineTimestampNs);
        Assert.Equal(RxCrcStatus.Ok, frame.Crc);
        Assert.Equal(RxCrcStatus.NoCrc, GwmpRadio.ToFrame(rxpk with { CrcStatus = 0 })!.Crc);
        Assert.Null(GwmpRadio.ToFrame(rxpk with { CrcStatus = -1 }));
        Assert.Null(GwmpRadio.ToFrame(rxpk with { Modulation = GwmpModulation.Fsk, LoraDataRate = null, FskBitRate = 50_000 }));
    }

    [Fact]
    public void Transmit_request_maps_to_txpk_and_tx_ack_to_result()
    {
        var timed = GwmpRadio.ToTxPacket(new TxRequest([9, 8], 869_525_000, new LoRaModulation(12, 125_000), LoRaCodingRate.Cr4_5, 14, 1_000_000u));
        Assert.False(timed.Immediate);
        Assert.Equal(1_000_000u, timed.Tmst);
        Assert.Equal(new DataRate(12, 125), timed.LoraDataRate);
        Assert.True(timed.InvertPolarity);
        Assert.True(timed.NoCrc);
        var beacon = GwmpRadio.ToTxPacket(new TxRequest([0xE0], 867_100_000, new LoRaModulation(12, 125_000), LoRaCodingRate.Cr4_5, 13, null, InvertIq: false, CrcEnabled: true));
        Assert.True(beacon.Immediate);
        Assert.Null(beacon.Tmst);
        Assert.False(beacon.InvertPolarity);
        Assert.False(beacon.NoCrc);

        Assert.Equal(TxStatus.Ok, GwmpRadio.ToResult(TxAck.Ok).Status);
        Assert.Equal(TxStatus.TooLate, GwmpRadio.ToResult(new TxAck(TxAckError.TooLate)).Status);
        Assert.Equal(TxStatus.FrequencyError, GwmpRadio.ToResult(new TxAck(TxAckError.TxFrequency)).Status);
        var reduced = GwmpRadio.ToResult(new TxAck(TxAckError.None, TxAckWarning.TxPower, 12));
        Assert.True(reduced.IsOk);
        Assert.Equal(12, reduced.ActualPowerDbm);
    }

    [Fact]
    public async Task Transmit_without_a_connected_forwarder_is_a_radio_error()
    {
        await using var radio = new GwmpRadio(new GwmpRadioOptions { Server = new GwmpServerOptions { Port = 0 } });
        await radio.StartAsync(CancellationToken.None);
        var result = await radio.TransmitAsync(new TxRequest([1], 868_100_000, new LoRaModulation(7, 125_000), LoRaCodingRate.Cr4_5, 14), CancellationToken.None);
        Assert.Equal(TxStatus.RadioError, result.Status);
        Assert.Contains("no packet forwarder", result.Detail);
    }
}
