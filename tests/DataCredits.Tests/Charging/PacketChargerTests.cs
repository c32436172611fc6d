using DePin.Wireless.DataCredits.Charging;
using DePin.Wireless.DataCredits.Evm;
using DePin.Wireless.DataCredits.Ledger;

namespace DePin.Wireless.DataCredits.Tests.Charging;

public sealed class PacketChargerTests
{
    [Theory]
    // Reference section 4: DC = ceil(max(payload_size, 24) / 24).
    [InlineData(0, 1)]
    [InlineData(1, 1)]
    [InlineData(24, 1)]
    [InlineData(25, 2)]
    [InlineData(48, 2)]
    [InlineData(49, 3)]
    [InlineData(242, 11)]
    public void Packet_cost_is_one_dc_per_24_bytes_minimum_one(int size, long dc)
    {
        Assert.Equal(dc, DcPricing.PacketCost(size));
    }

    [Fact]
    public void Negative_size_is_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => DcPricing.PacketCost(-1));
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    [Fact]
    public async Task Charges_the_priced_cost_into_the_current_epoch()
    {
        var ledger = new InProcessDcLedger(new LedgerOptions { MinimumBalanceDc = 0 });
        var payer = new PayerKey(new Hash32(Keccak.Hash256("p")));
        await ledger.AddCreditAsync(payer, 10, CancellationToken.None);
        await ledger.UpsertOrganisationAsync(new Organisation(1, payer, 1, false), CancellationToken.None);
        var time = new FixedTime(DateTimeOffset.FromUnixTimeSeconds(86_400 * 3 + 5));
        var charger = new PacketCharger(ledger, new ChargingOptions(), time);

        var response = await charger.ChargeAsync(new ChargeRequest(new Hash32(Keccak.Hash256("pk")), 1, 50, "hotspot-a"), CancellationToken.None);

        Assert.True(response.Bought);
        Assert.Equal(3, response.Dc);
        Assert.Equal(7, response.BalanceDc);
        Assert.Equal(3, response.Epoch);
        Assert.Equal([new HotspotDataTransferShare("hotspot-a", 3, 3, 1)], await ledger.GetDataTransferSharesAsync(3, CancellationToken.None));
    }

    [Fact]
    public async Task Bad_requests_name_the_field()
    {
        var charger = new PacketCharger(new InProcessDcLedger(new LedgerOptions()), new ChargingOptions(), TimeProvider.System);
        var hash = new Hash32(Keccak.Hash256("x"));
        Assert.Contains("payloadSize", (await Assert.ThrowsAsync<ArgumentException>(() => charger.ChargeAsync(new ChargeRequest(hash, 1, -3, "h"), CancellationToken.None))).Message);
        Assert.Contains("hotspot", (await Assert.ThrowsAsync<ArgumentException>(() => charger.ChargeAsync(new ChargeRequest(hash, 1, 3, " "), CancellationToken.None))).Message);
    }
}
