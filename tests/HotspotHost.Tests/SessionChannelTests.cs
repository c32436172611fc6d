using DePin.Wireless.Core.Identity;
using DePin.Wireless.FirmwareBridge.Radio;
using DePin.Wireless.HotspotHost.Configuration;
using DePin.Wireless.HotspotHost.Services;
using DePin.Wireless.HotspotHost.Tests.Support;

namespace DePin.Wireless.HotspotHost.Tests;

/// <summary>
/// Services:Authentication: by default packet and witness reports go as session frames over one session per service,
/// re-opened once when the service answers 401 unknown_session; "envelope" keeps signing every report.
/// </summary>
public class SessionChannelTests
{
    private static readonly LoRaModulation Sf7 = new(7, 125_000);
    private static readonly LoRaModulation Sf12 = new(12, 125_000);

    private static RxFrame Uplink(byte fcnt) =>
        new([0x40, 0x01, 0x02, 0x03, 0x04, 0x00, fcnt, 0x00, 0x01, 0xAA, 0xBB, 0xCC, 0xDD, 0xEE], 868_300_000, Sf7, LoRaCodingRate.Cr4_5, -87.25, 7.5, fcnt * 1000u, RxCrcStatus.Ok);

    private static RxFrame Beacon(byte seed) =>
        new([0xE0, .. Enumerable.Range(seed, 51).Select(i => (byte)i)], 867_500_000, Sf12, LoRaCodingRate.Cr4_5, -112.4, -9.75, 77_000_000, RxCrcStatus.Ok);

    [Fact]
    public async Task Reports_travel_as_session_frames_over_one_session_per_service()
    {
        var radio = new SimulatedRadio();
        await using var hotspot = await RuntimeFixture.StartAsync(radio);
        Assert.Equal(ReportAuthentication.Session, hotspot.Runtime.Forwarder.Reports.Mode);
        for (byte i = 1; i <= 5; i++)
        {
            radio.Hear(Uplink(i));
        }

        radio.Hear(Beacon(100));
        await RuntimeFixture.WaitUntilAsync(() => hotspot.Peers.PacketReports.Count == 5 && hotspot.Peers.WitnessReports.Count == 1, "five packet reports and a witness");

        Assert.Equal(6, Interlocked.Read(ref hotspot.Peers.FrameReports));
        Assert.Equal(1, hotspot.Peers.SessionOpens[SessionProtocol.NetworkServer]);
        Assert.Equal(1, hotspot.Peers.SessionOpens[SessionProtocol.CoverageOracle]);
        Assert.All(hotspot.Peers.PacketReports, r => Assert.Equal(hotspot.Key.PublicKey, r.Signer));
        Assert.Equal(hotspot.Key.PublicKey, Assert.Single(hotspot.Peers.WitnessReports).Signer);
        Assert.Empty(hotspot.Peers.Refusals);
        Assert.Equal(1, hotspot.Runtime.Forwarder.Reports.SessionsOpened);
    }

    [Fact]
    public async Task A_service_that_forgot_the_session_gets_a_new_one_and_the_report_is_resent_once()
    {
        var radio = new SimulatedRadio();
        await using var hotspot = await RuntimeFixture.StartAsync(radio);
        radio.Hear(Uplink(1));
        await RuntimeFixture.WaitUntilAsync(() => hotspot.Peers.PacketReports.Count == 1, "first report");

        hotspot.Peers.ForgetSessions(); // the network server restarted
        radio.Hear(Uplink(2));
        await RuntimeFixture.WaitUntilAsync(() => hotspot.Peers.PacketReports.Count == 2, "report after the restart");

        Assert.Equal(2, hotspot.Peers.SessionOpens[SessionProtocol.NetworkServer]);
        Assert.StartsWith("unknown_session: session_id: no session", Assert.Single(hotspot.Peers.Refusals));
        Assert.Equal([1000u, 2000u], hotspot.Peers.PacketReports.Select(r => r.Report.Tmst).Order());
        Assert.Equal(2, hotspot.Runtime.Forwarder.Queue.Counters.Delivered);
        Assert.Equal(0, hotspot.Runtime.Forwarder.Queue.Counters.Rejected);
    }

    [Fact]
    public async Task A_session_is_renewed_before_the_service_would_expire_it()
    {
        var radio = new SimulatedRadio();
        var time = new DePin.Wireless.TestSupport.ManualTimeProvider(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero));
        await using var hotspot = await RuntimeFixture.StartAsync(radio, time);
        radio.Hear(Uplink(1));
        await RuntimeFixture.WaitUntilAsync(() => hotspot.Peers.PacketReports.Count == 1, "first report");

        time.Advance(TimeSpan.FromHours(24) - ReportChannel.RenewBefore + TimeSpan.FromSeconds(1));
        radio.Hear(Uplink(2));
        await RuntimeFixture.WaitUntilAsync(() => hotspot.Peers.PacketReports.Count == 2, "report near the session's expiry");

        Assert.Equal(2, hotspot.Peers.SessionOpens[SessionProtocol.NetworkServer]);
        Assert.Equal(2, hotspot.Runtime.Forwarder.Reports.SessionsOpened);
        Assert.Empty(hotspot.Peers.Refusals);
    }

    [Fact]
    public async Task Envelope_authentication_signs_every_report_and_opens_no_session()
    {
        var radio = new SimulatedRadio();
        await using var hotspot = await RuntimeFixture.StartAsync(radio, configure: o => o.Services.Authentication = "envelope");
        radio.Hear(Uplink(1));
        radio.Hear(Beacon(50));
        await RuntimeFixture.WaitUntilAsync(() => hotspot.Peers.PacketReports.Count == 1 && hotspot.Peers.WitnessReports.Count == 1, "packet and witness");

        Assert.Equal(0, Interlocked.Read(ref hotspot.Peers.FrameReports));
        Assert.Empty(hotspot.Peers.SessionOpens);
        Assert.Equal(ReportAuthentication.Envelope, hotspot.Runtime.Forwarder.Reports.Mode);
    }

    [Fact]
    public void Unknown_authentication_is_refused_naming_the_option()
    {
        var ex = Assert.Throws<HotspotConfigException>(() => HotspotConfigLoader.Validate(new HotspotOptions { Services = new ServicesOptions { Authentication = "hmac" } }));
        Assert.Contains("Services.Authentication: 'hmac' is not 'session' or 'envelope'", ex.Message, StringComparison.Ordinal);
        var fromEnvironment = HotspotConfigLoader.Load(null, new Dictionary<string, string?> { ["DEPIN_HOTSPOT__Services__Authentication"] = "envelope", ["DEPIN_HOTSPOT__Beaconing__Enabled"] = "false" });
        Assert.Equal(ReportAuthentication.Envelope, fromEnvironment.Services.ParsedAuthentication);
        Assert.Equal(ReportAuthentication.Session, new HotspotOptions().Services.ParsedAuthentication);
    }
}
