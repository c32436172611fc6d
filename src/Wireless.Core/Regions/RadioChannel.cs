using DePin.Wireless.Core.Primitives;

namespace DePin.Wireless.Core.Regions;

/// <summary>A numbered channel of a region plan: centre frequency, bandwidth and the data-rate range allowed on it.</summary>
public readonly record struct RadioChannel(int Index, Hz Frequency, int BandwidthKhz, int MinDataRate, int MaxDataRate)
{
    public bool Allows(int dataRate) => dataRate >= MinDataRate && dataRate <= MaxDataRate;

    public override string ToString() => $"ch{Index} {Frequency.Megahertz:0.0###} MHz DR{MinDataRate}-{MaxDataRate}";
}

/// <summary>
/// A regulatory sub-band with a transmit duty-cycle limit and EIRP cap (EU868: ETSI EN 300 220-2 V3.1.1 annex B
/// bands K…R, which LoRaWAN 1.0 and LoRaMac-node call g, g1…g4).
/// </summary>
/// <param name="Name">ETSI band letter and LoRaWAN sub-band name.</param>
/// <param name="Min">Lowest centre frequency inside the band (inclusive).</param>
/// <param name="Max">Highest centre frequency inside the band (inclusive).</param>
/// <param name="DutyCycle">Allowed fraction of an observation hour, e.g. 0.01 for 1 %.</param>
/// <param name="MaxEirp">EIRP cap in the band.</param>
public sealed record DutyCycleBand(string Name, Hz Min, Hz Max, double DutyCycle, Dbm MaxEirp)
{
    public bool Contains(Hz frequency) => frequency >= Min && frequency <= Max;
}
