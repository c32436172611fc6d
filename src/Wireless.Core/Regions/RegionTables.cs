using DePin.Wireless.Core.Primitives;

namespace DePin.Wireless.Core.Regions;

/// <summary>Small builders shared by the region definitions.</summary>
internal static class RegionTables
{
    public static RegionDataRate LoRaUp(int index, int sf, int bwKhz, int m, int? mDwell = null, bool downlinkToo = true) =>
        new(index, ModulationKind.LoRa, new DataRate(sf, bwKhz), true, downlinkToo, new MaxPayloadSize(m), mDwell is { } d ? new MaxPayloadSize(d) : null);

    public static RegionDataRate LoRaDown(int index, int sf, int bwKhz, int m) =>
        new(index, ModulationKind.LoRa, new DataRate(sf, bwKhz), false, true, new MaxPayloadSize(m));

    public static RegionDataRate Fsk(int index, int m, int? mDwell = null) =>
        new(index, ModulationKind.Fsk, null, true, true, new MaxPayloadSize(m), mDwell is { } d ? new MaxPayloadSize(d) : null);

    public static RegionDataRate LrFhss(int index, int m) =>
        new(index, ModulationKind.LrFhss, null, true, false, new MaxPayloadSize(m));

    public static IReadOnlyList<int> PowerSteps(int count) => Enumerable.Range(0, count).Select(i => -2 * i).ToArray();

    /// <summary>
    /// RX1 DR = clamp(upDR − effectiveOffset[offset], minDr, maxDr), skipping DR indices the plan leaves RFU (downward).
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<int>> Rx1BySubtraction(IReadOnlyList<RegionDataRate> rates, int[] effectiveOffsets, int minDr, int maxDr)
    {
        var table = new List<IReadOnlyList<int>>();
        var maxIndex = rates.Max(r => r.Index);
        for (var up = 0; up <= maxIndex; up++)
        {
            var row = rates.FirstOrDefault(r => r.Index == up);
            if (row is null || !row.Uplink)
            {
                table.Add([]);
                continue;
            }

            table.Add(effectiveOffsets.Select(off => DefinedAtOrBelow(rates, Math.Clamp(up - off, minDr, maxDr), minDr)).ToArray());
        }

        return table;
    }

    public static IReadOnlyList<IReadOnlyList<int>> Table(params int[][] rows) => rows;

    public static RadioChannel[] Channels(int firstIndex, int bwKhz, int minDr, int maxDr, params long[] frequenciesHz) =>
        frequenciesHz.Select((f, i) => new RadioChannel(firstIndex + i, new Hz(f), bwKhz, minDr, maxDr)).ToArray();

    public static RadioChannel[] EvenlySpaced(int firstIndex, int count, long startHz, long stepHz, int bwKhz, int minDr, int maxDr) =>
        Enumerable.Range(0, count).Select(i => new RadioChannel(firstIndex + i, new Hz(startHz + (i * stepHz)), bwKhz, minDr, maxDr)).ToArray();

    private static int DefinedAtOrBelow(IReadOnlyList<RegionDataRate> rates, int dr, int minDr)
    {
        while (dr > minDr && !rates.Any(r => r.Index == dr && r.Downlink))
        {
            dr--;
        }

        return dr;
    }
}
