namespace DePin.Wireless.Core.Regions;

/// <summary>One LinkADRReq channel-mask element: ChMaskCntl (3 bits) and the 16-bit ChMask it qualifies.</summary>
public readonly record struct LinkAdrChannelMask(int ChMaskCntl, ushort ChMask)
{
    public override string ToString() => $"ChMaskCntl={ChMaskCntl} ChMask=0x{ChMask:X4}";
}

/// <summary>
/// The enabled/disabled state of the 72 uplink channels of US915/AU915 (64 × 125 kHz + 8 × 500 kHz),
/// with the LinkADRReq ChMaskCntl semantics of RP002-1.0.4 (US902-928 and AU915-928 "LinkAdrReq command"):
/// <list type="table">
/// <item><term>0..3</term><description>ChMask enables/disables channels 16·n … 16·n+15.</description></item>
/// <item><term>4</term><description>ChMask bits 0..7 apply to channels 64..71 (bits 8..15 RFU, must be 0).</description></item>
/// <item><term>5</term><description>ChMask bits 0..7 each switch a bank: bit b enables 125 kHz channels 8b..8b+7 and 500 kHz channel 64+b; cleared bits disable them. Bits 8..15 RFU.</description></item>
/// <item><term>6</term><description>All 125 kHz channels ON; ChMask bits 0..7 apply to channels 64..71.</description></item>
/// <item><term>7</term><description>All 125 kHz channels OFF; ChMask bits 0..7 apply to channels 64..71.</description></item>
/// </list>
/// </summary>
public readonly record struct ChannelMask72
{
    public const int ChannelCount = 72;

    private readonly ulong low;   // channels 0..63
    private readonly byte high;   // channels 64..71

    private ChannelMask72(ulong low, byte high)
    {
        this.low = low;
        this.high = high;
    }

    public static ChannelMask72 None { get; } = new(0, 0);

    public static ChannelMask72 All { get; } = new(ulong.MaxValue, 0xFF);

    /// <summary>Sub-band n (1..8): 125 kHz channels 8(n−1)…8(n−1)+7 plus 500 kHz channel 64+(n−1).</summary>
    public static ChannelMask72 SubBand(int subBand)
    {
        RegionGuards.RequireSubBand(subBand);
        var b = subBand - 1;
        return new ChannelMask72(0xFFUL << (8 * b), (byte)(1 << b));
    }

    public static ChannelMask72 FromChannels(IEnumerable<int> channels)
    {
        ArgumentNullException.ThrowIfNull(channels);
        var mask = None;
        foreach (var c in channels)
        {
            mask = mask.With(c, true);
        }

        return mask;
    }

    public bool IsEnabled(int channel)
    {
        RequireChannel(channel);
        return channel < 64 ? ((low >> channel) & 1) != 0 : ((high >> (channel - 64)) & 1) != 0;
    }

    public ChannelMask72 With(int channel, bool enabled)
    {
        RequireChannel(channel);
        if (channel < 64)
        {
            var bit = 1UL << channel;
            return new ChannelMask72(enabled ? low | bit : low & ~bit, high);
        }

        var hbit = (byte)(1 << (channel - 64));
        return new ChannelMask72(low, (byte)(enabled ? high | hbit : high & ~hbit));
    }

    public int Count => System.Numerics.BitOperations.PopCount(low) + System.Numerics.BitOperations.PopCount(high);

    public IEnumerable<int> EnabledChannels()
    {
        for (var c = 0; c < ChannelCount; c++)
        {
            if (IsEnabled(c))
            {
                yield return c;
            }
        }
    }

    /// <summary>The 16-bit ChMask of block 0..4 (block 4 = channels 64..71 in the low byte), as carried in a type-1 CFList.</summary>
    public ushort Block(int block) => block switch
    {
        >= 0 and <= 3 => (ushort)(low >> (16 * block)),
        4 => high,
        _ => throw new ArgumentOutOfRangeException(nameof(block), $"channel mask block {block} is not 0..4"),
    };

    public ChannelMask72 WithBlock(int block, ushort mask)
    {
        switch (block)
        {
            case >= 0 and <= 3:
                var shift = 16 * block;
                return new ChannelMask72((low & ~(0xFFFFUL << shift)) | ((ulong)mask << shift), high);
            case 4:
                if (mask > 0xFF)
                {
                    throw new ArgumentOutOfRangeException(nameof(mask), $"ChMask 0x{mask:X4} for channels 64..71 sets RFU bits 8..15");
                }

                return new ChannelMask72(low, (byte)mask);
            default:
                throw new ArgumentOutOfRangeException(nameof(block), $"channel mask block {block} is not 0..4");
        }
    }

    /// <summary>Applies one LinkADRReq ChMaskCntl/ChMask pair (see the type summary for the semantics).</summary>
    public ChannelMask72 Apply(LinkAdrChannelMask command)
    {
        var chMask = command.ChMask;
        switch (command.ChMaskCntl)
        {
            case >= 0 and <= 4:
                return WithBlock(command.ChMaskCntl, chMask);
            case 5:
                RequireNoRfuBits(command);
                var result = this;
                for (var bank = 0; bank < 8; bank++)
                {
                    var on = ((chMask >> bank) & 1) != 0;
                    for (var c = 8 * bank; c < (8 * bank) + 8; c++)
                    {
                        result = result.With(c, on);
                    }

                    result = result.With(64 + bank, on);
                }

                return result;
            case 6:
            case 7:
                RequireNoRfuBits(command);
                return new ChannelMask72(command.ChMaskCntl == 6 ? ulong.MaxValue : 0, (byte)chMask);
            default:
                throw new ArgumentOutOfRangeException(nameof(command), $"LinkADRReq: ChMaskCntl {command.ChMaskCntl} is not 0..7");
        }
    }

    /// <summary>Applies a block of LinkADRReq commands in order (LoRaWAN 1.0.2+ "contiguous block" processing).</summary>
    public ChannelMask72 Apply(IEnumerable<LinkAdrChannelMask> commands)
    {
        ArgumentNullException.ThrowIfNull(commands);
        var mask = this;
        foreach (var command in commands)
        {
            mask = mask.Apply(command);
        }

        return mask;
    }

    /// <summary>
    /// The shortest LinkADRReq ChMask sequence, using only ChMaskCntl 0..4, 6 and 7 (understood by LoRaWAN 1.0.x devices),
    /// that turns any prior state into this mask: ChMaskCntl 6/7 first (resets all 125 kHz channels and sets 64..71),
    /// then one ChMaskCntl 0..3 element per 16-channel block that differs from the reset state.
    /// </summary>
    public IReadOnlyList<LinkAdrChannelMask> ToLinkAdrCommands()
    {
        var startAllOn = CountBlocksDifferingFrom(ulong.MaxValue) < CountBlocksDifferingFrom(0);
        var result = new List<LinkAdrChannelMask> { new(startAllOn ? 6 : 7, high) };
        var baseline = startAllOn ? ulong.MaxValue : 0UL;
        for (var block = 0; block < 4; block++)
        {
            var wanted = (ushort)(low >> (16 * block));
            var reset = (ushort)(baseline >> (16 * block));
            if (wanted != reset)
            {
                result.Add(new LinkAdrChannelMask(block, wanted));
            }
        }

        return result;
    }

    public override string ToString() => $"{low:X16}:{high:X2}";

    private int CountBlocksDifferingFrom(ulong baseline)
    {
        var n = 0;
        for (var block = 0; block < 4; block++)
        {
            if ((ushort)(low >> (16 * block)) != (ushort)(baseline >> (16 * block)))
            {
                n++;
            }
        }

        return n;
    }

    private static void RequireNoRfuBits(LinkAdrChannelMask command)
    {
        if (command.ChMask > 0xFF)
        {
            throw new ArgumentOutOfRangeException(nameof(command), $"LinkADRReq: ChMaskCntl {command.ChMaskCntl} with ChMask 0x{command.ChMask:X4} sets RFU bits 8..15");
        }
    }

    private static void RequireChannel(int channel)
    {
        if (channel is < 0 or >= ChannelCount)
        {
            throw new ArgumentOutOfRangeException(nameof(channel), $"channel {channel} is not 0..71");
        }
    }
}
