namespace DePin.Wireless.Core.Regions;

internal static class RegionGuards
{
    public static void RequireSubBand(int subBand)
    {
        if (subBand is < 1 or > 8)
        {
            throw new ArgumentOutOfRangeException(nameof(subBand), $"sub-band {subBand} is not 1..8");
        }
    }
}
