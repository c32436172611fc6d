using DePin.Wireless.NetworkServer.LoRaWan;

namespace DePin.Wireless.NetworkServer.Tests.LoRaWan;

public class AdrEngineTests
{
    /// <summary>EU868-like table: DR0..DR5 = SF12..SF7 at 125 kHz, required SNR −20 … −7.5 dB (LoRa demodulator floors).</summary>
    private static readonly AdrRegionLimits Eu868Like = new([-20.0, -17.5, -15.0, -12.5, -10.0, -7.5], MaxDataRate: 5, MaxTxPowerIndex: 7);

    private static List<AdrUplink> History(int count, double snr, int txPowerIndex = 0, uint firstFCnt = 0, int everyNth = 1) =>
        Enumerable.Range(0, count).Select(i => new AdrUplink(firstFCnt + (uint)(i * everyNth), snr, txPowerIndex)).ToList();

    [Fact]
    public void Disabled_adr_keeps_everything()
    {
        var d = AdrEngine.Decide(new AdrRequest(false, 0, 0, 1, History(20, 30)), Eu868Like);
        Assert.Equal(new AdrDecision(0, 0, 1), d);
    }

    [Fact]
    public void Good_margin_raises_the_data_rate_then_lowers_power()
    {
        // DR0 needs −20 dB; max SNR 10 → margin 10 − (−20) − 10 = 20 → 6 steps: 5 to reach DR5, 1 power index.
        var d = AdrEngine.Decide(new AdrRequest(true, 0, 0, 1, History(20, 10)), Eu868Like);
        Assert.Equal(new AdrDecision(5, 1, 1), d);
    }

    [Fact]
    public void Steps_truncate_toward_zero()
    {
        // DR2 (−15): max SNR 0 → margin 5 → 1 step (5/3 = 1.67 → 1).
        Assert.Equal(3, AdrEngine.Decide(new AdrRequest(true, 2, 0, 1, History(20, 0)), Eu868Like).DataRate);
        // margin 2.9 → 0 steps
        Assert.Equal(new AdrDecision(2, 0, 1), AdrEngine.Decide(new AdrRequest(true, 2, 0, 1, History(20, -2.1)), Eu868Like));
    }

    [Fact]
    public void Only_the_best_snr_counts()
    {
        var history = History(19, -25);
        history.Add(new AdrUplink(19, 10, 0));
        Assert.Equal(5, AdrEngine.Decide(new AdrRequest(true, 0, 0, 1, history), Eu868Like).DataRate);
    }

    [Fact]
    public void Power_is_not_lowered_below_the_region_minimum()
    {
        var d = AdrEngine.Decide(new AdrRequest(true, 5, 6, 1, History(20, 30)), Eu868Like);
        Assert.Equal(new AdrDecision(5, 7, 1), d);
    }

    [Fact]
    public void Negative_margin_raises_power_only_with_a_full_history_at_this_power()
    {
        // DR5 (−7.5): max SNR −10 → margin −12.5 → −4 steps.
        Assert.Equal(new AdrDecision(5, 3, 1), AdrEngine.Decide(new AdrRequest(true, 5, 3, 1, History(19, -10, txPowerIndex: 3)), Eu868Like));
        Assert.Equal(new AdrDecision(5, 0, 1), AdrEngine.Decide(new AdrRequest(true, 5, 3, 1, History(20, -10, txPowerIndex: 3)), Eu868Like));
        // History at another power index does not count toward the 20.
        Assert.Equal(3, AdrEngine.Decide(new AdrRequest(true, 5, 3, 1, History(20, -10, txPowerIndex: 2)), Eu868Like).TxPowerIndex);
    }

    [Fact]
    public void Data_rate_above_the_maximum_is_brought_down()
    {
        var limits = Eu868Like with { MaxDataRate = 3 };
        Assert.Equal(3, AdrEngine.Decide(new AdrRequest(true, 5, 0, 1, History(5, -20)), limits).DataRate);
    }

    [Fact]
    public void Only_the_last_twenty_uplinks_are_considered()
    {
        var history = new List<AdrUplink> { new(0, 40, 0) };
        history.AddRange(History(20, -20, firstFCnt: 1));
        // Without the old 40 dB sample: DR0 margin = −20 + 20 − 10 = −10 → raise power; at index 0 already → unchanged.
        Assert.Equal(new AdrDecision(0, 0, 1), AdrEngine.Decide(new AdrRequest(true, 0, 0, 1, history), Eu868Like));
    }

    [Theory]
    [InlineData(1, 0.0, 1)]
    [InlineData(3, 0.0, 2)]
    [InlineData(1, 5.0, 1)]
    [InlineData(2, 5.0, 2)]
    [InlineData(1, 10.0, 2)]
    [InlineData(3, 29.9, 3)]
    [InlineData(1, 30.0, 3)]
    [InlineData(0, 0.0, 1)]
    [InlineData(9, 50.0, 3)]
    public void NbTrans_follows_the_packet_loss_table(int current, double loss, int expected) => Assert.Equal(expected, AdrEngine.NbTrans(current, loss));

    [Fact]
    public void Packet_loss_counts_counter_gaps_over_a_full_history()
    {
        Assert.Equal(0, AdrEngine.PacketLossPercent(History(19, 0, everyNth: 2)));
        Assert.Equal(0, AdrEngine.PacketLossPercent(History(20, 0)));
        // every other frame lost: 19 gaps of 1 over 20 entries = 95 %
        Assert.Equal(95, AdrEngine.PacketLossPercent(History(20, 0, everyNth: 2)));
        var d = AdrEngine.Decide(new AdrRequest(true, 0, 0, 1, History(20, -30, everyNth: 2)), Eu868Like);
        Assert.Equal(3, d.NbTrans);
    }

    [Fact]
    public void Unknown_data_rate_is_a_clear_error()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => AdrEngine.Decide(new AdrRequest(true, 9, 0, 1, History(1, 0)), Eu868Like));
        Assert.Contains("DR9", e.Message, StringComparison.Ordinal);
    }
}
