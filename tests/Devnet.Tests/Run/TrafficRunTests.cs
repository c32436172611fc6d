using System.Globalization;
using DePin.Wireless.DataCredits.Charging;
using DePin.Wireless.Devnet.Run;

namespace DePin.Wireless.Devnet.Tests.Run;

/// <summary>One 30-hotspot, 20-device, 6 h run kept open so the ledger and devices can be inspected, and a second with the same seed.</summary>
public sealed class TrafficRunFixture : IDisposable
{
    public static RunOptions Options => new() { Hotspots = 30, Devices = 20, Hours = 6, Seed = 3, OutputDirectory = "unused" };

    public TrafficRunFixture()
    {
        Simulation = new DevnetSimulation(Options);
        Result = Simulation.Run();
        using var again = new DevnetSimulation(Options with { Traffic = Options.Traffic with { SignEveryCopy = true } });
        Again = again.Run();
    }

    public DevnetSimulation Simulation { get; }

    public RunResult Result { get; }

    /// <summary>The same seed with every copy signed and verified.</summary>
    public RunResult Again { get; }

    public TrafficOutcome Traffic => Result.Traffic!;

    public void Dispose() => Simulation.Dispose();
}

public sealed class TrafficRunTests(TrafficRunFixture run) : IClassFixture<TrafficRunFixture>
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Fact]
    public void Uplinks_are_delivered_to_the_application_but_never_more_than_were_sent()
    {
        var uplinks = run.Result.Uplinks;
        Assert.InRange(uplinks.Delivered!.Value, 1, uplinks.Sent);
        Assert.Equal(uplinks.Delivered, run.Simulation.Server.Events.Uplinks);
        Assert.Equal(uplinks.Delivered, run.Traffic.Organisations.Sum(o => o.Delivered));
        Assert.InRange(uplinks.ReceivedByHotspots, uplinks.Delivered!.Value, long.MaxValue);
    }

    [Fact]
    public async Task Charged_dc_is_what_the_ledger_took_from_the_payers_and_what_the_copies_cost()
    {
        var charged = run.Result.Uplinks.ChargedDc!.Value;
        Assert.True(charged > 0);

        // What the payers' balances lost in the ledger since their burns were credited.
        long spent = 0;
        foreach (var account in run.Simulation.Server.Accounts)
        {
            var balance = await run.Simulation.Server.Ledger.GetBalanceAsync(account.Plan.Payer, Ct);
            spent += account.CreditedDc - balance;
        }

        Assert.Equal(charged, spent);

        // Every bought copy costs ceil(max(size, 24) / 24) DC (reference section 4), computed here independently.
        var bySize = run.Simulation.Server.BoughtCopiesBySize;
        Assert.Equal(charged, bySize.Sum(kv => kv.Value * (long)Math.Ceiling(Math.Max(kv.Key, 24) / 24.0)));
        Assert.Equal(run.Traffic.BoughtCopies, bySize.Values.Sum());
        Assert.Contains(23, bySize.Keys); // JoinRequests (1 DC) were bought as well as data frames (2 DC)
        Assert.Equal(charged, run.Traffic.Organisations.Sum(o => o.ChargedDc));
    }

    [Fact]
    public void No_frame_is_bought_more_often_than_its_organisations_max_copies()
    {
        Assert.Equal(0, run.Traffic.FramesOverMaxCopies);
        Assert.True(run.Traffic.FramesAtMaxCopies > 0, "some frames were heard by more hotspots than max_copies");
        Assert.True(run.Traffic.BoughtCopies < run.Result.Uplinks.ReceivedByHotspots, "the copies beyond max_copies were not bought");
    }

    [Fact]
    public void The_under_funded_organisation_runs_dry_drops_packets_and_resumes_after_its_top_up()
    {
        var poor = Assert.Single(run.Traffic.Organisations, o => o.UnderFunded);
        Assert.True(poor.DroppedNoBalance > 0);
        Assert.NotNull(poor.DisabledAtHours);
        Assert.NotNull(poor.ReenabledAtHours);
        Assert.True(poor.DisabledAtHours < poor.ReenabledAtHours);
        Assert.Equal(2, poor.Burns);
        Assert.True(poor.DeliveredAfterReenable > 0, "frames are delivered again after the top-up");
        Assert.True(poor.EnabledAtEnd);
        Assert.Equal(run.Result.Uplinks.DroppedNoBalance, poor.DroppedNoBalance);
        Assert.All(run.Traffic.Organisations.Where(o => !o.UnderFunded), o =>
        {
            Assert.Equal(0, o.DroppedNoBalance);
            Assert.Null(o.DisabledAtHours);
        });
    }

    [Fact]
    public void Devices_join_by_otaa_when_they_hear_their_join_accept()
    {
        var devices = run.Simulation.Devices;
        Assert.True(run.Traffic.DevicesJoined > devices.Count / 2);
        Assert.Equal(devices.Count(d => d.Joins > 0), run.Traffic.DevicesJoined);
        Assert.Equal(devices.Count(d => d.IsJoined), run.Traffic.DevicesJoined);

        // The server accepts every JoinRequest it processes; a device that missed the accept asks again.
        Assert.InRange(run.Traffic.JoinsAccepted, run.Traffic.DevicesJoined, run.Traffic.JoinRequestsSent);

        // Joined devices' frames verified under the keys they derived themselves: they were delivered.
        Assert.True(run.Result.Uplinks.Delivered > 0);
        Assert.All(devices.Where(d => d.IsJoined), d => Assert.Equal(d.Organisation + 1, (int)(d.DevAddr.Value >> 20)));
    }

    [Fact]
    public void Confirmed_uplinks_get_acks_and_devices_follow_adr()
    {
        Assert.True(run.Traffic.ConfirmedSent > 0);
        Assert.InRange(run.Traffic.AcksReceived, 1, run.Traffic.ConfirmedSent);
        Assert.True(run.Traffic.AdrChanges > 0, "LinkADRReq changed some device's data rate or power");
        Assert.Contains(run.Simulation.Devices, d => d.DataRateIndex == 5 || d.TxPowerIndex > 0);
        Assert.InRange(run.Traffic.DownlinksReceived, 1, run.Traffic.DownlinksTransmitted);
        Assert.Equal(run.Traffic.DownlinksPlanned, run.Traffic.DownlinksTransmitted + run.Traffic.DownlinksTooLate + run.Traffic.DownlinksNotTransmitted);
    }

    [Fact]
    public void Same_seed_gives_identical_outputs_whether_or_not_copies_beyond_max_copies_are_signed()
    {
        Assert.True(run.Again.Envelopes > run.Result.Envelopes, "signing every copy signs more envelopes");
        Assert.Equal(SmallRunFixture.Summary(run.Result), SmallRunFixture.Summary(run.Again));
        Assert.Equal(SmallRunFixture.Text(RunOutputWriter.WriteRewards, run.Result), SmallRunFixture.Text(RunOutputWriter.WriteRewards, run.Again));
        Assert.Equal(SmallRunFixture.Text(RunOutputWriter.WriteTraffic, run.Result), SmallRunFixture.Text(RunOutputWriter.WriteTraffic, run.Again));
        Assert.Equal(SmallRunFixture.Text(RunOutputWriter.WriteOrganisations, run.Result), SmallRunFixture.Text(RunOutputWriter.WriteOrganisations, run.Again));
    }

    [Fact]
    public async Task Rewards_dc_shares_are_the_ledgers_data_transfer_shares_and_sum_to_charged_dc()
    {
        var csv = SmallRunFixture.Text(RunOutputWriter.WriteRewards, run.Result).Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(line => line.Split(','))
            .ToDictionary(f => f[0], f => ulong.Parse(f[3], CultureInfo.InvariantCulture));
        Assert.Equal((ulong)run.Result.Uplinks.ChargedDc!.Value, csv.Values.Aggregate(0UL, (s, v) => s + v));

        var epoch = new PacketCharger(run.Simulation.Server.Ledger, new ChargingOptions(), run.Simulation.Server.Clock).CurrentEpoch();
        var shares = await run.Simulation.Server.Ledger.GetDataTransferSharesAsync(epoch, Ct);
        Assert.NotEmpty(shares);
        Assert.All(shares, s => Assert.Equal((ulong)s.Dc, csv[s.Hotspot]));

        // The data-transfer pool pays them: a hotspot with DC shares earns more than its PoC alone would give.
        Assert.True(run.Result.Rewards.Where(l => l.DcShares > 0).All(l => l.Reward.Sign > 0));
    }
}
