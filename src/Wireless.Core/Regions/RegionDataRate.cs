using DePin.Wireless.Core.Primitives;

namespace DePin.Wireless.Core.Regions;

/// <summary>The modulation behind a LoRaWAN data-rate index.</summary>
public enum ModulationKind
{
    LoRa,

    /// <summary>GFSK 50 kbit/s (EU868/AS923/IN865 DR7).</summary>
    Fsk,

    /// <summary>LR-FHSS (RP002-1.0.3+); uplink only, not a LoRa chirp modulation.</summary>
    LrFhss,
}

/// <summary>
/// Maximum MACPayload size M for a data rate and the corresponding maximum application payload N = M − 8
/// (FHDR 7 + FPort 1 with no FOpts; RP002-1.0.4 "maximum payload size" tables). M = 0 means "not allowed".
/// </summary>
public readonly record struct MaxPayloadSize(int M)
{
    public static MaxPayloadSize NotAllowed { get; } = new(0);

    public int N => M == 0 ? 0 : M - 8;

    public bool IsAllowed => M > 0;

    /// <summary>Largest PHYPayload: MHDR (1) + MACPayload (M) + MIC (4).</summary>
    public int MaxPhyPayloadBytes => M == 0 ? 0 : M + 5;
}

/// <summary>
/// One row of a region's data-rate table (RP002-1.0.4 "Data rate and end-device output power encoding").
/// </summary>
/// <param name="Index">DRn.</param>
/// <param name="Modulation">LoRa, FSK or LR-FHSS.</param>
/// <param name="LoRa">SF/BW for LoRa rows; null for FSK/LR-FHSS.</param>
/// <param name="Uplink">Usable by end-devices.</param>
/// <param name="Downlink">Usable by the network (RX1/RX2).</param>
/// <param name="MaxPayload">M/N without dwell-time limits.</param>
/// <param name="MaxPayloadWithDwell">M/N when the 400 ms dwell limit applies; null when the region has no separate column.</param>
public sealed record RegionDataRate(
    int Index,
    ModulationKind Modulation,
    DataRate? LoRa,
    bool Uplink,
    bool Downlink,
    MaxPayloadSize MaxPayload,
    MaxPayloadSize? MaxPayloadWithDwell = null)
{
    public bool IsLoRa => Modulation == ModulationKind.LoRa;

    /// <summary>The LoRa modulation, or a clear error for FSK/LR-FHSS rows.</summary>
    public DataRate RequireLoRa() => LoRa ?? throw new InvalidOperationException($"DR{Index} is {Modulation}, not a LoRa data rate");

    public MaxPayloadSize MaxPayloadFor(bool dwellTimeLimited) =>
        dwellTimeLimited && MaxPayloadWithDwell is { } dwell ? dwell : MaxPayload;

    public override string ToString() => LoRa is { } lora ? $"DR{Index} {lora}" : $"DR{Index} {Modulation}";
}
