using DePin.Wireless.Core.Physics;
using DePin.Wireless.Core.Primitives;

namespace DePin.Wireless.Core.Tests.Physics;

public class LinkBudgetTests
{
    // Reference §5: SF7 −7.5 … SF12 −20 dB (ChirpStack get_required_snr_for_sf).
    [Theory]
    [InlineData(7, -7.5)]
    [InlineData(8, -10)]
    [InlineData(9, -12.5)]
    [InlineData(10, -15)]
    [InlineData(11, -17.5)]
    [InlineData(12, -20)]
    public void Snr_floor_per_spreading_factor(int sf, double expected) =>
        Assert.Equal(expected, LinkBudget.DemodulationSnrFloorDb(sf));

    [Fact]
    public void Formula_sensitivity_sf12_125khz_nf6_is_minus_137_dbm()
    {
        Assert.Equal(-137.0, Math.Round(LinkBudget.Sensitivity(new DataRate(12, 125)).Value));
        Assert.Equal(-137.031, LinkBudget.Sensitivity(new DataRate(12, 125)).Value, 3);
        Assert.Equal(-124.531, LinkBudget.Sensitivity(new DataRate(7, 125)).Value, 3);
    }

    [Fact]
    public void Each_doubling_of_bandwidth_costs_3_db()
    {
        var s125 = LinkBudget.Sensitivity(new DataRate(9, 125)).Value;
        var s250 = LinkBudget.Sensitivity(new DataRate(9, 250)).Value;
        var s500 = LinkBudget.Sensitivity(new DataRate(9, 500)).Value;
        Assert.Equal(3.01, s250 - s125, 2);
        Assert.Equal(3.01, s500 - s250, 2);
    }

    // Reference §5: SX1276 datasheet (BW125) −123, −126, −129, −132, −133, −136 dBm for SF7–12.
    [Theory]
    [InlineData(7, -123)]
    [InlineData(8, -126)]
    [InlineData(9, -129)]
    [InlineData(10, -132)]
    [InlineData(11, -133)]
    [InlineData(12, -136)]
    public void Sx1276_datasheet_table(int sf, double expected) =>
        Assert.Equal(expected, LinkBudget.Sx1276DatasheetSensitivity125Khz(sf).Value);

    [Fact]
    public void Noise_floor_and_snr()
    {
        Assert.Equal(-123.03, LinkBudget.NoiseFloor(125_000, 0).Value, 2);
        Assert.Equal(-117.03, LinkBudget.NoiseFloor(125_000).Value, 2);
        Assert.Equal(7.03, LinkBudget.SnrDb(new Dbm(-110), 125_000), 2);
        Assert.Equal(5.0, LinkBudget.SnrDb(new Dbm(-100), new Dbm(-105)));
        Assert.Equal(-95.0, LinkBudget.ReceivedPower(new Dbm(27), 125, 3).Value);
    }

    [Fact]
    public void Demodulation_needs_both_sensitivity_and_snr()
    {
        var dr = new DataRate(12, 125);
        Assert.True(LinkBudget.CanDemodulate(new Dbm(-130), -15, dr));
        Assert.False(LinkBudget.CanDemodulate(new Dbm(-138), -15, dr));
        Assert.False(LinkBudget.CanDemodulate(new Dbm(-130), -21, dr));
    }

    [Theory]
    [InlineData(4)]
    [InlineData(13)]
    public void Rejects_spreading_factor_out_of_range(int sf)
    {
        Assert.Contains($"spreading factor {sf}", Assert.Throws<ArgumentOutOfRangeException>(() => LinkBudget.DemodulationSnrFloorDb(sf)).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => LinkBudget.Sx1276DatasheetSensitivity125Khz(sf));
    }

    [Fact]
    public void Rejects_bad_bandwidth_and_non_finite_levels()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => LinkBudget.NoiseFloor(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => LinkBudget.SnrDb(new Dbm(double.NaN), 125_000));
    }
}
