using System.Net;
using DePin.Wireless.Core.H3;
using DePin.Wireless.CoverageOracle.Adapters;
using DePin.Wireless.CoverageOracle.Density;
using DePin.Wireless.CoverageOracle.Rewards;
using DePin.Wireless.Proto;
using DePin.Wireless.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace DePin.Wireless.CoverageOracle.Tests.Rewards;

public class EpochShareTests
{
    private static readonly RewardEpoch Epoch = new(20_522); // 2026-03-10
    private static readonly H3Cell Res9 = H3Grid.LatLngToCell(52.0, 5.0, 9);
    private readonly EpochShareCalculator _calculator = new(new HexDensityCalculator(new H3HexHierarchy(), new HexDensityOptions()));

    private static VerifiedPoc Poc(string beaconer, DateTimeOffset at, int selected, int unselected = 0)
    {
        var poc = new VerifiedPoc { Beaconer = beaconer, Beacon = new IngestRecord { ReceivedMs = (ulong)at.ToUnixTimeMilliseconds() } };
        for (var i = 0; i < selected + unselected; i++)
        {
            poc.Witnesses.Add(new VerifiedWitnessRecord { Hotspot = $"{beaconer}-w{i}", Selected = i < selected, Report = new IngestRecord() });
        }

        return poc;
    }

    private static ulong In(H3Cell res9, int child) => H3Grid.CellToChildren(H3Grid.CellToChildren(res9, 10)[child], 12)[0].Value;

    [Fact]
    public void Lone_beaconer_earns_hip15_units_and_its_witnesses_per_witness_units()
    {
        var shares = _calculator.Compute(Epoch, [Poc("A", Epoch.Start + TimeSpan.FromHours(3), 5, 2)], new Dictionary<string, ulong> { ["A"] = In(Res9, 0) }, new Dictionary<string, ulong>());
        var byId = shares.ToDictionary(s => s.Hotspot);
        Assert.Equal(1.2, byId["A"].BeaconShares, 12); // W = 5: 2 − 0.8^1
        Assert.Equal(0.76, byId["A-w0"].WitnessShares, 12); // (4 − (1 − 0.8)) / 5
        Assert.False(byId.ContainsKey("A-w5")); // not selected: no share
        Assert.Equal(6, shares.Count);
    }

    [Fact]
    public void Witnesses_are_scaled_by_the_beaconers_hex_not_their_own()
    {
        // A and B beacon from two res-10 cells of one res-9 cell: res 9 clips 2 → 1, each scale 1/2.
        var locations = new Dictionary<string, ulong> { ["A"] = In(Res9, 0), ["B"] = In(Res9, 1) };
        var shares = _calculator.Compute(Epoch, [Poc("A", Epoch.Start + TimeSpan.FromHours(1), 4), Poc("B", Epoch.Start + TimeSpan.FromHours(2), 1)], locations, new Dictionary<string, ulong>()).ToDictionary(s => s.Hotspot);
        Assert.Equal(1.0 * 0.5, shares["A"].BeaconShares, 12); // W = 4 → 1
        Assert.Equal(0.25 * 0.5, shares["B"].BeaconShares, 12); // W = 1 → 0.25
        Assert.Equal(1.0 * 0.5, shares["A-w0"].WitnessShares, 12); // per-witness 1 × A's scale
    }

    [Fact]
    public void Beaconer_without_location_gets_the_default_scale()
    {
        var shares = _calculator.Compute(Epoch, [Poc("X", Epoch.Start + TimeSpan.FromHours(1), 4)], new Dictionary<string, ulong>(), new Dictionary<string, ulong>()).ToDictionary(s => s.Hotspot);
        Assert.Equal(0.2, shares["X"].BeaconShares, 12);
    }

    [Fact]
    public void Pocs_outside_the_epoch_count_only_towards_activity()
    {
        // B beaconed the day before: active (inside 60 h) so it shares A's res-9 cell, but earns nothing today.
        var locations = new Dictionary<string, ulong> { ["A"] = In(Res9, 0), ["B"] = In(Res9, 1) };
        var shares = _calculator.Compute(Epoch, [Poc("A", Epoch.Start + TimeSpan.FromHours(1), 4), Poc("B", Epoch.Start - TimeSpan.FromHours(20), 4)], locations, new Dictionary<string, ulong>()).ToDictionary(s => s.Hotspot);
        Assert.Equal(0.5, shares["A"].BeaconShares, 12);
        Assert.False(shares.ContainsKey("B"));
    }

    [Fact]
    public void Data_credits_are_carried_for_hotspots_without_poc()
    {
        var shares = _calculator.Compute(Epoch, [], new Dictionary<string, ulong>(), new Dictionary<string, ulong> { ["D"] = 42 });
        Assert.Equal(new HotspotShares("D", 0, 0, 42), Assert.Single(shares));
    }

    [Fact]
    public void Epoch_is_24_hours_from_unix_time()
    {
        Assert.Equal(new DateTimeOffset(2026, 3, 10, 0, 0, 0, TimeSpan.Zero), Epoch.Start);
        Assert.Equal(Epoch.Start + TimeSpan.FromDays(1), Epoch.End);
    }

    [Fact]
    public async Task Http_shares_follow_the_datacredits_contract()
    {
        var port = FreePort.Tcp();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        await using var app = builder.Build();
        app.MapGet("/v1/shares", (long epoch) => epoch == Epoch.Number
            ? Results.Json(new { epoch, shares = new object[] { new { hotspot = "h1", dc = 10UL }, new { hotspot = "h2", dc = 7UL }, new { hotspot = "h1", dc = 5UL } } })
            : Results.NotFound());
        await app.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
        var shares = await new HttpDataTransferShares(http).ForEpochAsync(Epoch, default);
        Assert.Equal(15UL, shares["h1"]);
        Assert.Equal(7UL, shares["h2"]);
        var missing = await Assert.ThrowsAsync<IOException>(() => new HttpDataTransferShares(http).ForEpochAsync(new RewardEpoch(1), default));
        Assert.Contains(((int)HttpStatusCode.NotFound).ToString(System.Globalization.CultureInfo.InvariantCulture), missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Csv_has_the_documented_columns()
    {
        var shares = new[] { new HotspotShares("A", 1.2, 0, 0), new HotspotShares("B", 0, 0.76, 3) };
        var result = EpochRewardCalculator.Compute(1000, shares, new RewardPoolOptions());
        var csv = EpochRewardReport.Csv(EpochRewardReport.Rows(shares, result)).Split('\n');
        Assert.Equal("hotspot,beacon_shares,witness_shares,dc_shares,reward", csv[0]);
        Assert.StartsWith("A,1.2,0,0,", csv[1], StringComparison.Ordinal);
        Assert.Equal(1000, csv.Skip(1).Where(l => l.Length > 0).Sum(l => long.Parse(l.Split(',')[4], System.Globalization.CultureInfo.InvariantCulture)));
    }
}
