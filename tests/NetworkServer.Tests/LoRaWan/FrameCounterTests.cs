using DePin.Wireless.NetworkServer.LoRaWan;

namespace DePin.Wireless.NetworkServer.Tests.LoRaWan;

public class FrameCounterTests
{
    [Theory]
    [InlineData(0, 0u)]
    [InlineData(16383, 16383u)]
    public void Fresh_session_accepts_counters_within_the_gap(ushort fCnt, uint expected)
    {
        var r = FrameCounter.Reconstruct(fCnt, null);
        Assert.Equal(FrameCounterVerdict.Accepted, r.Verdict);
        Assert.Equal(expected, r.FCnt32);
    }

    [Fact]
    public void Fresh_session_rejects_a_counter_beyond_the_gap()
    {
        var r = FrameCounter.Reconstruct(16384, null);
        Assert.Equal(FrameCounterVerdict.Rejected, r.Verdict);
        Assert.Contains("MAX_FCNT_GAP", r.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(10u, 11, 11u)]
    [InlineData(10u, 500, 500u)]
    [InlineData(65535u, 0, 65536u)]
    [InlineData(65530u, 3, 65539u)]
    [InlineData(0x0002_FFF0u, 0x0005, 0x0003_0005u)]
    [InlineData(0x0001_0000u, 0x0001, 0x0001_0001u)]
    [InlineData(100u, 16484, 16484u)]
    public void Accepts_the_next_counters_across_16_bit_rollover(uint last, ushort fCnt, uint expected)
    {
        var r = FrameCounter.Reconstruct(fCnt, last);
        Assert.Equal(FrameCounterVerdict.Accepted, r.Verdict);
        Assert.Equal(expected, r.FCnt32);
        Assert.True(r.IsNewFrame);
    }

    [Theory]
    [InlineData(42u, 42)]
    [InlineData(0x0007_0001u, 1)]
    public void Same_counter_is_a_retransmission_of_the_last_frame(uint last, ushort fCnt)
    {
        var r = FrameCounter.Reconstruct(fCnt, last);
        Assert.Equal(FrameCounterVerdict.Retransmission, r.Verdict);
        Assert.Equal(last, r.FCnt32);
        Assert.False(r.IsNewFrame);
    }

    [Theory]
    [InlineData(100u, 99, "behind")]
    [InlineData(100u, 0, "behind")]
    [InlineData(100u, 16485, "MAX_FCNT_GAP")]
    [InlineData(0x0001_0005u, 0xFFFF, "behind")]
    public void Rejects_replays_and_jumps(uint last, ushort fCnt, string why)
    {
        var r = FrameCounter.Reconstruct(fCnt, last);
        Assert.Equal(FrameCounterVerdict.Rejected, r.Verdict);
        Assert.Contains(why, r.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Reset_on_zero_accepts_only_zero()
    {
        var reset = FrameCounter.Reconstruct(0, 5000, FrameCounterResetPolicy.AllowResetOnZero);
        Assert.Equal(FrameCounterVerdict.ResetAccepted, reset.Verdict);
        Assert.Equal(0u, reset.FCnt32);
        Assert.True(reset.IsNewFrame);
        Assert.Equal(FrameCounterVerdict.Rejected, FrameCounter.Reconstruct(1, 5000, FrameCounterResetPolicy.AllowResetOnZero).Verdict);
        Assert.Equal(FrameCounterVerdict.Rejected, FrameCounter.Reconstruct(0, 5000, FrameCounterResetPolicy.Strict).Verdict);
        // Zero that is simply the next counter after rollover is an ordinary acceptance, not a reset.
        Assert.Equal(FrameCounterVerdict.Accepted, FrameCounter.Reconstruct(0, 65535, FrameCounterResetPolicy.AllowResetOnZero).Verdict);
    }

    [Fact]
    public void Exhausted_32_bit_counter_is_refused()
    {
        Assert.Equal(FrameCounterVerdict.Retransmission, FrameCounter.Reconstruct(0xFFFF, uint.MaxValue).Verdict);
        var r = FrameCounter.Reconstruct(0, uint.MaxValue);
        Assert.Equal(FrameCounterVerdict.Rejected, r.Verdict);
        Assert.Contains("exhausted", r.Reason, StringComparison.Ordinal);
        Assert.Contains("roll", FrameCounter.Reconstruct(2, 0xFFFF_FFF0).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Walking_a_device_through_three_rollovers_tracks_the_full_counter()
    {
        uint? last = null;
        for (uint full = 0; full < 3 * 65536 + 10; full += 97)
        {
            var r = FrameCounter.Reconstruct((ushort)full, last);
            Assert.Equal(FrameCounterVerdict.Accepted, r.Verdict);
            Assert.Equal(full, r.FCnt32);
            last = r.FCnt32;
        }
    }

    [Fact]
    public void Combine_puts_the_msb_above_the_air_bits() => Assert.Equal(0x0003_0005u, FrameCounter.Combine(3, 5));
}
