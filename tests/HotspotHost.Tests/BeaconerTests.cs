using DePin.Wireless.Core.Identity;
using DePin.Wireless.Core.Poc;
using DePin.Wireless.Core.Regions;
using DePin.Wireless.FirmwareBridge.Radio;
using DePin.Wireless.HotspotHost.Beaconing;
using DePin.Wireless.HotspotHost.Tests.Support;
using DePin.Wireless.TestSupport;

namespace DePin.Wireless.HotspotHost.Tests;

public class BeaconerTests
{
    private static readonly RegionPlan Eu868 = RegionPlans.Get("EU868");

    [Fact]
    public async Task Beacon_payload_channel_and_power_match_the_shared_derivation_and_the_report_says_what_went_on_air()
    {
        var radio = new SimulatedRadio();
        await using var hotspot = await RuntimeFixture.StartAsync(radio, configure: o => o.Beaconing.Enabled = true);

        Assert.True(await hotspot.Runtime.Beaconer!.BeaconOnceAsync(CancellationToken.None));

        var tx = Assert.Single(radio.Transmissions).Request;
        var (report, signer) = Assert.Single(hotspot.Peers.BeaconReports);
        Assert.Equal(hotspot.Key.PublicKey, signer);
        var plan = Eu868.PocBeacon();
        var regenerated = BeaconPayload.Generate(
            hotspot.Peers.EntropyData,
            report.RemoteEntropyTimestampS,
            report.LocalEntropy.Span,
            new BeaconRadioParameters(plan.Channels, Eu868.MaxPayload(plan.DataRateIndex).N));
        Assert.Equal(hotspot.Peers.EntropyData, report.RemoteEntropy.ToByteArray());
        Assert.Equal((ulong)hotspot.Time.GetUtcNow().ToUnixTimeSeconds(), report.RemoteEntropyTimestampS);
        Assert.Equal(4, report.LocalEntropy.Length);
        Assert.Equal([0xE0, .. regenerated.Data], tx.Payload);
        Assert.Equal(51, regenerated.Data.Length);
        Assert.Equal(regenerated.Data, report.Data.ToByteArray());
        Assert.Equal(regenerated.Frequency.Value, tx.FrequencyHz);
        Assert.Equal((ulong)regenerated.Frequency.Value, report.FrequencyHz);
        Assert.Equal(regenerated.ChannelIndex, report.Channel);
        Assert.Equal(new LoRaModulation(12, 125_000), tx.Modulation);
        Assert.Equal("SF12BW125", report.Datarate);
        Assert.Null(tx.CounterTimeUs);
        Assert.False(tx.InvertIq);
        Assert.True(tx.CrcEnabled);
        Assert.Equal(13, tx.PowerDbm); // EU868 max EIRP 16 dBm − 3 dBi antenna
        Assert.Equal(130, report.TxPowerDdbm);
        Assert.Equal((ulong)hotspot.Time.GetUtcNow().ToUnixTimeMilliseconds() * 1_000_000, report.TimestampNs);
        Assert.Equal(0u, report.Tmst); // nothing received yet and no readable counter: unknown
        Assert.NotNull(hotspot.Runtime.State.LastBeacon);
        Assert.True(hotspot.Runtime.State.LastBeacon!.Reported);
    }

    [Fact]
    public async Task Report_tmst_is_the_radio_counter_at_transmission_estimated_from_the_last_received_frame()
    {
        var radio = new SimulatedRadio();
        var time = new ManualTimeProvider(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero));
        await using var hotspot = await RuntimeFixture.StartAsync(radio, time, o => o.Beaconing.Enabled = true);
        radio.Hear(new RxFrame([0x40, 1, 2, 3, 4, 0, 1, 0, 1, 5, 6, 7, 8], 868_300_000, new LoRaModulation(7, 125_000), LoRaCodingRate.Cr4_5, -90, 5, 4_294_000_000, RxCrcStatus.Ok));
        await RuntimeFixture.WaitUntilAsync(() => hotspot.Runtime.State.PacketsReceived.Value == 1, "the uplink dispatched");

        time.Advance(TimeSpan.FromSeconds(2));
        Assert.True(await hotspot.Runtime.Beaconer!.BeaconOnceAsync(CancellationToken.None));

        // 4,294,000,000 + 2,000,000 µs wraps past 2^32 = 4,294,967,296, like the concentrator's counter.
        Assert.Equal(1_032_704u, Assert.Single(hotspot.Peers.BeaconReports).Report.Tmst);
    }

    [Fact]
    public async Task Report_carries_the_power_the_radio_actually_used()
    {
        var radio = new SimulatedRadio { Answer = _ => new TxResult(TxStatus.Ok, null, ActualPowerDbm: 12) };
        await using var hotspot = await RuntimeFixture.StartAsync(radio, configure: o => { o.Beaconing.Enabled = true; o.AntennaGainDbi = 1.5; });

        Assert.True(await hotspot.Runtime.Beaconer!.BeaconOnceAsync(CancellationToken.None));

        Assert.Equal(14, Assert.Single(radio.Transmissions).Request.PowerDbm); // floor(16 − 1.5)
        Assert.Equal(120, Assert.Single(hotspot.Peers.BeaconReports).Report.TxPowerDdbm);
    }

    [Fact]
    public async Task Entropy_signed_by_another_key_is_refused_and_nothing_is_transmitted()
    {
        var radio = new SimulatedRadio();
        using var stranger = KeyPair.Generate(KeyType.Ed25519, SeededRandomSource.FromLabel("stranger"));
        await using var hotspot = await RuntimeFixture.StartAsync(radio, configure: o => { o.Beaconing.Enabled = true; o.OraclePublicKey = stranger.PublicKey.ToAddress(); });

        Assert.False(await hotspot.Runtime.Beaconer!.BeaconOnceAsync(CancellationToken.None));

        Assert.Empty(radio.Transmissions);
        Assert.Empty(hotspot.Peers.BeaconReports);
        Assert.Equal(1, hotspot.Runtime.State.BeaconFailures.Value);
    }

    [Fact]
    public async Task Failed_transmission_sends_no_report()
    {
        var radio = new SimulatedRadio { Answer = _ => new TxResult(TxStatus.CollisionPacket) };
        await using var hotspot = await RuntimeFixture.StartAsync(radio, configure: o => o.Beaconing.Enabled = true);

        Assert.False(await hotspot.Runtime.Beaconer!.BeaconOnceAsync(CancellationToken.None));
        Assert.Empty(hotspot.Peers.BeaconReports);
    }

    [Fact]
    public async Task Beacon_report_is_retried_through_a_short_oracle_outage_and_the_beacon_is_not_repeated()
    {
        var radio = new SimulatedRadio();
        await using var hotspot = await RuntimeFixture.StartAsync(radio, TimeProvider.System, o => o.Beaconing.Enabled = true);
        hotspot.Peers.BeaconReportOutageRequests = 1;

        Assert.True(await hotspot.Runtime.Beaconer!.BeaconOnceAsync(CancellationToken.None));

        Assert.Single(radio.Transmissions);
        Assert.Single(hotspot.Peers.BeaconReports);
        Assert.Empty(hotspot.Peers.Refusals);
        Assert.True(hotspot.Runtime.State.LastBeacon!.Reported);
    }

    [Fact]
    public async Task Beacons_go_out_once_per_six_hour_window_on_schedule()
    {
        var radio = new SimulatedRadio();
        var time = new TimerWatchingTimeProvider(new ManualTimeProvider(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero)));
        await using var hotspot = await RuntimeFixture.StartAsync(radio, time, o => o.Beaconing.Enabled = true);
        var beaconer = hotspot.Runtime.Beaconer!;
        await RuntimeFixture.WaitUntilAsync(() => beaconer.NextBeaconAt is { } first && time.HasTimerDueAt(first), "first plan armed");
        var planned = new List<DateTimeOffset>();
        for (var step = 0; step < 24 * 4; step++)
        {
            var plan = beaconer.NextBeaconAt!.Value;
            time.Advance(TimeSpan.FromMinutes(15));
            if (plan <= time.GetUtcNow())
            {
                planned.Add(plan);
                // Move on only once the beaconer waits on the clock again: armed for its next plan or, when the attempt
                // failed (an HTTP timeout on a loaded machine), for its retry later in the same window.
                await RuntimeFixture.WaitUntilAsync(() => BeaconerWaits(beaconer, time), "the next plan or a retry armed");
            }
        }

        Assert.True(4 == radio.Transmissions.Count, $"{radio.Transmissions.Count} transmissions, {hotspot.Runtime.State.BeaconFailures.Value} failed attempts");

        // A beacon's report goes out after its transmission, over HTTP: the last one may still be on its way.
        await RuntimeFixture.WaitUntilAsync(() => hotspot.Peers.BeaconReports.Count >= 4, "the fourth beacon report received");
        Assert.Equal(4, hotspot.Peers.BeaconReports.Count);
        var schedule = new BeaconSchedule(TimeSpan.FromHours(6), new Random(0));
        var windows = planned.Select(schedule.WindowStart).ToList();
        Assert.Equal(4, windows.Distinct().Count());
        Assert.All(hotspot.Peers.BeaconReports, r => Assert.Equal(51, r.Report.Data.Length));
    }

    private static bool BeaconerWaits(Beaconer beaconer, TimerWatchingTimeProvider time)
    {
        var now = time.GetUtcNow();
        return beaconer.NextBeaconAt is { } next
            && ((next > now && time.HasTimerDueAt(next)) || time.HasTimerDueAt(now + new Configuration.BeaconingOptions().RetryDelay));
    }
}
