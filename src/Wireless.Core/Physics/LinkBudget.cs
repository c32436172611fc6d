using DePin.Wireless.Core.Primitives;

namespace DePin.Wireless.Core.Physics;

/// <summary>
/// Receiver-side link budget: thermal noise floor, LoRa demodulation SNR floor and sensitivity.
/// </summary>
public static class LinkBudget
{
    /// <summary>Thermal noise density at 290 K, −174 dBm/Hz (kT).</summary>
    public const double ThermalNoiseDensityDbmPerHz = -174.0;

    /// <summary>Receiver noise figure assumed for SX127x/SX126x front ends (SX1276 datasheet; ChirpStack <c>sensitivity.rs</c> uses 6 dB).</summary>
    public const double DefaultNoiseFigureDb = 6.0;

    /// <summary>Noise power in a bandwidth: −174 + 10·log10(BW) + NF dBm.</summary>
    public static Dbm NoiseFloor(int bandwidthHz, double noiseFigureDb = DefaultNoiseFigureDb)
    {
        if (bandwidthHz <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(bandwidthHz), $"noise floor: bandwidth {bandwidthHz} Hz must be positive");
        }

        RequireFinite(noiseFigureDb, nameof(noiseFigureDb));
        return new Dbm(ThermalNoiseDensityDbmPerHz + (10 * Math.Log10(bandwidthHz)) + noiseFigureDb);
    }

    /// <summary>
    /// Lowest SNR at which a LoRa packet of this spreading factor still demodulates: −7.5 dB at SF7 falling
    /// 2.5 dB per SF to −20 dB at SF12 (SX1276 datasheet Table 13; ChirpStack <c>config.rs:get_required_snr_for_sf</c>).
    /// SF5/SF6 (SX126x only) continue the same line (−2.5 / −5 dB, SX1262 datasheet §6.1.1.1).
    /// </summary>
    public static double DemodulationSnrFloorDb(int spreadingFactor)
    {
        if (spreadingFactor is < 5 or > 12)
        {
            throw new ArgumentOutOfRangeException(nameof(spreadingFactor), $"SNR floor: spreading factor {spreadingFactor} is not 5..12");
        }

        return -20.0 + (2.5 * (12 - spreadingFactor));
    }

    /// <summary>
    /// Sensitivity = −174 + 10·log10(BW) + NF + SNR_min (ChirpStack <c>chirpstack/src/sensitivity.rs</c>; Semtech AN1200.22).
    /// With NF = 6 dB, SF12/125 kHz gives −137 dBm. Each doubling of bandwidth costs 3 dB.
    /// </summary>
    public static Dbm Sensitivity(DataRate dataRate, double noiseFigureDb = DefaultNoiseFigureDb) =>
        NoiseFloor(dataRate.BandwidthHz, noiseFigureDb) + DemodulationSnrFloorDb(dataRate.SpreadingFactor);

    /// <summary>
    /// The SX1276 datasheet's measured sensitivity at 125 kHz (862–1020 MHz band): −123, −126, −129, −132, −133, −136 dBm
    /// for SF7–SF12, as used by Bor et al. (LoRaSim, MSWiM'16). Only 125 kHz is tabulated here; other bandwidths use <see cref="Sensitivity"/>.
    /// </summary>
    public static Dbm Sx1276DatasheetSensitivity125Khz(int spreadingFactor) => spreadingFactor switch
    {
        7 => new Dbm(-123),
        8 => new Dbm(-126),
        9 => new Dbm(-129),
        10 => new Dbm(-132),
        11 => new Dbm(-133),
        12 => new Dbm(-136),
        _ => throw new ArgumentOutOfRangeException(nameof(spreadingFactor), $"SX1276 sensitivity table: spreading factor {spreadingFactor} is not 7..12"),
    };

    /// <summary>SNR (dB) of a signal of the given RSSI over the receiver noise floor in the signal's bandwidth.</summary>
    public static double SnrDb(Dbm rssi, int bandwidthHz, double noiseFigureDb = DefaultNoiseFigureDb)
    {
        RequireFinite(rssi.Value, nameof(rssi));
        return rssi - NoiseFloor(bandwidthHz, noiseFigureDb);
    }

    /// <summary>SNR (dB) of a signal over a measured noise level (e.g. a concentrator's noise-floor estimate).</summary>
    public static double SnrDb(Dbm rssi, Dbm noise)
    {
        RequireFinite(rssi.Value, nameof(rssi));
        RequireFinite(noise.Value, nameof(noise));
        return rssi - noise;
    }

    /// <summary>Received power after a path loss: P_rx = P_tx(EIRP) − L + G_rx.</summary>
    public static Dbm ReceivedPower(Dbm eirp, double pathLossDb, double receiveAntennaGainDbi = 0)
    {
        RequireFinite(eirp.Value, nameof(eirp));
        RequireFinite(pathLossDb, nameof(pathLossDb));
        RequireFinite(receiveAntennaGainDbi, nameof(receiveAntennaGainDbi));
        return eirp - pathLossDb + receiveAntennaGainDbi;
    }

    /// <summary>True when the signal is both above sensitivity and above the SF's SNR floor.</summary>
    public static bool CanDemodulate(Dbm rssi, double snrDb, DataRate dataRate, double noiseFigureDb = DefaultNoiseFigureDb) =>
        rssi >= Sensitivity(dataRate, noiseFigureDb) && snrDb >= DemodulationSnrFloorDb(dataRate.SpreadingFactor);

    internal static void RequireFinite(double value, string name)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(name, $"{name}: {value} is not a finite number");
        }
    }
}
