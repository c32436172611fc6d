using DePin.Wireless.Core.Physics;
using DePin.Wireless.Core.Primitives;

namespace DePin.Wireless.Core.Tests.Physics;

public class LoRaInterferenceTests
{
    [Fact]
    public void Same_sf_capture_needs_6_db()
    {
        Assert.Equal(6.0, LoRaInterference.SirThresholdDb(9, 9));
        Assert.True(LoRaInterference.Survives(new Dbm(-100), 9, new Dbm(-106), 9));
        Assert.False(LoRaInterference.Survives(new Dbm(-100), 9, new Dbm(-105.9), 9));
    }

    // Croce et al. 2018 matrix as in the reference doc (rows = wanted SF7..12, columns = interferer SF7..12).
    [Theory]
    [InlineData(7, new[] { 6.0, -16, -18, -19, -19, -20 })]
    [InlineData(8, new[] { -24.0, 6, -20, -22, -22, -22 })]
    [InlineData(9, new[] { -27.0, -27, 6, -23, -25, -25 })]
    [InlineData(10, new[] { -30.0, -30, -30, 6, -26, -28 })]
    [InlineData(11, new[] { -33.0, -33, -33, -33, 6, -29 })]
    [InlineData(12, new[] { -36.0, -36, -36, -36, -36, 6 })]
    public void Quasi_orthogonality_matrix(int wanted, double[] row)
    {
        for (var interferer = 7; interferer <= 12; interferer++)
        {
            Assert.Equal(row[interferer - 7], LoRaInterference.SirThresholdDb(wanted, interferer));
        }
    }

    [Fact]
    public void Sf7_victim_survives_an_sf8_interferer_up_to_16_db_stronger()
    {
        Assert.True(LoRaInterference.Survives(new Dbm(-120), 7, new Dbm(-104), 8));
        Assert.False(LoRaInterference.Survives(new Dbm(-120), 7, new Dbm(-103), 8));
    }

    [Fact]
    public void Several_interferers_of_one_sf_add_up_in_milliwatts()
    {
        // Two equal interferers 7 dB below: each alone is survivable, together they are only ~4 dB below.
        Assert.True(LoRaInterference.SurvivesAll(new Dbm(-100), 9, [(new Dbm(-107), 9)]));
        Assert.False(LoRaInterference.SurvivesAll(new Dbm(-100), 9, [(new Dbm(-107), 9), (new Dbm(-107), 9)]));
        Assert.True(LoRaInterference.SurvivesAll(new Dbm(-100), 9, []));
    }

    [Fact]
    public void Rejects_sf_out_of_range()
    {
        Assert.Contains("spreading factor 6", Assert.Throws<ArgumentOutOfRangeException>(() => LoRaInterference.SirThresholdDb(6, 7)).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => LoRaInterference.SurvivesAll(new Dbm(-100), 7, [(new Dbm(-90), 13)]));
    }
}
