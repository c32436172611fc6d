using System.Net;
using DePin.Wireless.CoverageOracle.Rewards;
using DePin.Wireless.DataCredits.Api;
using DePin.Wireless.DataCredits.Charging;
using DePin.Wireless.DataCredits.Evm;
using DePin.Wireless.DataCredits.Ledger;
using DePin.Wireless.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace DePin.Wireless.CoverageOracle.Tests.Rewards;

/// <summary>
/// The oracle's <see cref="HttpDataTransferShares"/> against the real DataCredits HTTP API (in-process ledger),
/// so the two sides of <c>GET /v1/shares?epoch=E</c> cannot drift apart.
/// </summary>
public sealed class DataCreditsSharesContractTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Noon = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);
    private static readonly RewardEpoch Epoch = new(20_522); // 2026-03-10, unix days
    private readonly ManualTimeProvider _time = new(Noon);
    private readonly InProcessDcLedger _ledger = new(new LedgerOptions { MinimumBalanceDc = 0 });
    private WebApplication? _app;
    private HttpClient? _http;

    public async Task InitializeAsync()
    {
        var charger = new PacketCharger(_ledger, new ChargingOptions(), _time);
        var payer = PayerKey.Parse("0x" + new string('a', 64));
        await _ledger.UpsertOrganisationAsync(new Organisation(7, payer, MaxCopies: 2, Locked: false), default);
        await _ledger.AddCreditAsync(payer, 1_000, default);

        // Packet A (30 bytes = 2 DC) heard by three hotspots: max_copies 2 buys the first two.
        await Charge(charger, 1, 30, "hotspot-1");
        await Charge(charger, 1, 30, "hotspot-2");
        await Charge(charger, 1, 30, "hotspot-3");

        // Packet B (10 bytes = 1 DC) heard by hotspot-1 only.
        await Charge(charger, 2, 10, "hotspot-1");

        // Packet C the next day: another epoch.
        _time.Advance(TimeSpan.FromDays(1));
        await Charge(charger, 3, 10, "hotspot-2");

        var port = FreePort.Tcp();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        _app = builder.Build();
        DcHttpApi.Map(_app, _ledger, charger);
        await _app.StartAsync();
        _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
    }

    public async Task DisposeAsync()
    {
        _http?.Dispose();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    [Fact]
    public async Task Oracle_reads_the_dc_of_bought_copies_per_hotspot_for_the_epoch()
    {
        var shares = await new HttpDataTransferShares(_http!).ForEpochAsync(Epoch, default);

        Assert.Equal(2, shares.Count);
        Assert.Equal(3UL, shares["hotspot-1"]); // 2 DC (packet A) + 1 DC (packet B)
        Assert.Equal(2UL, shares["hotspot-2"]); // packet A; packet C belongs to the next epoch
        Assert.False(shares.ContainsKey("hotspot-3")); // third copy not bought (max_copies 2)

        var next = await new HttpDataTransferShares(_http!).ForEpochAsync(new RewardEpoch(Epoch.Number + 1), default);
        Assert.Equal(1UL, Assert.Single(next).Value);
    }

    [Fact]
    public async Task An_epoch_without_traffic_has_no_shares()
    {
        var shares = await new HttpDataTransferShares(_http!).ForEpochAsync(new RewardEpoch(Epoch.Number - 30), default);
        Assert.Empty(shares);
    }

    [Theory]
    [InlineData("v1/shares")]
    [InlineData("v1/shares?epoch=")]
    [InlineData("v1/shares?epoch=yesterday")]
    [InlineData("v1/shares?epoch=-1")]
    [InlineData("v1/shares/abc")]
    public async Task A_missing_or_malformed_epoch_is_a_400_naming_the_field(string path)
    {
        using var response = await _http!.GetAsync(new Uri(path, UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("epoch", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private async Task Charge(PacketCharger charger, byte packet, int size, string hotspot)
    {
        var hash = new byte[32];
        hash[0] = packet;
        await charger.ChargeAsync(new ChargeRequest(new Hash32(hash), 7, size, hotspot), default);
    }
}
