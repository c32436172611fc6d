using DePin.Wireless.FirmwareBridge.Radio;
using DePin.Wireless.HotspotHost.Tests.Support;

namespace DePin.Wireless.HotspotHost.Tests;

public class WitnessTests
{
    private static readonly LoRaModulation Sf12 = new(12, 125_000);

    private static RxFrame BeaconFrame(byte[] data, long? fine = 987_654_321) =>
        new([0xE0, .. data], 867_500_000, Sf12, LoRaCodingRate.Cr4_5, -112.4, -9.75, 77_000_000, RxCrcStatus.Ok, fine);

    [Fact]
    public async Task Neighbours_beacon_is_witnessed_once_with_radio_metadata_and_not_forwarded_as_a_packet()
    {
        var radio = new SimulatedRadio();
        await using var hotspot = await RuntimeFixture.StartAsync(radio);
        var data = Enumerable.Range(100, 51).Select(i => (byte)i).ToArray();
        radio.Hear(BeaconFrame(data));
        radio.Hear(BeaconFrame(data)); // a repeat: ignored
        radio.Hear(new RxFrame([0x40, 1, 2, 3, 4, 0, 1, 0, 1, 9, 9, 9, 9], 868_100_000, new LoRaModulation(7, 125_000), LoRaCodingRate.Cr4_5, -50, 9, 1, RxCrcStatus.Ok));

        await RuntimeFixture.WaitUntilAsync(() => hotspot.Peers.WitnessReports.Count == 1 && hotspot.Peers.PacketReports.Count == 1, "witness and packet");
        await Task.Delay(100);
        var (report, signer) = Assert.Single(hotspot.Peers.WitnessReports);
        Assert.Equal(hotspot.Key.PublicKey, signer);
        Assert.Equal(data, report.Data.ToByteArray());
        Assert.Equal(-1124, report.SignalDdbm);
        Assert.Equal(-975, report.SnrCdb);
        Assert.Equal(867_500_000ul, report.FrequencyHz);
        Assert.Equal("SF12BW125", report.Datarate);
        Assert.Equal(77_000_000u, report.Tmst);
        Assert.True(report.HasFineTimestamp);
        Assert.Equal(987_654_321ul, report.FineTimestampNs);
        Assert.Equal((ulong)hotspot.Time.GetUtcNow().ToUnixTimeMilliseconds() * 1_000_000, report.TimestampNs);
        Assert.Equal(0x40, Assert.Single(hotspot.Peers.PacketReports).Report.Payload[0]);
        Assert.Equal(1, hotspot.Runtime.State.WitnessesSent.Value);
        Assert.Equal(2, hotspot.Runtime.State.BeaconsReceived.Value);
    }

    [Fact]
    public async Task Our_own_beacon_heard_back_is_not_witnessed()
    {
        var radio = new SimulatedRadio();
        await using var hotspot = await RuntimeFixture.StartAsync(radio, configure: o => o.Beaconing.Enabled = true);
        Assert.True(await hotspot.Runtime.Beaconer!.BeaconOnceAsync(CancellationToken.None));
        var sent = Assert.Single(radio.Transmissions).Request;

        radio.Hear(new RxFrame(sent.Payload, sent.FrequencyHz, sent.Modulation, sent.CodingRate, -30, 10, 5, RxCrcStatus.Ok));
        var neighbour = Enumerable.Range(1, 51).Select(i => (byte)(i * 3)).ToArray();
        radio.Hear(BeaconFrame(neighbour, fine: null));

        await RuntimeFixture.WaitUntilAsync(() => hotspot.Peers.WitnessReports.Count == 1, "the neighbour's witness");
        await Task.Delay(100);
        var only = Assert.Single(hotspot.Peers.WitnessReports).Report;
        Assert.Equal(neighbour, only.Data.ToByteArray());
        Assert.False(only.HasFineTimestamp);
        Assert.Empty(hotspot.Peers.PacketReports);
    }
}
