namespace DePin.Wireless.Devnet.Run.Traffic;

/// <summary>How the run's LoRaWAN traffic is organised and paid for. Every field is checked by <see cref="Validate"/>.</summary>
public sealed record TrafficOptions
{
    /// <summary>Organisations (OUIs) the devices are shared between, round robin.</summary>
    public int Organisations { get; init; } = 3;

    /// <summary>How many of the organisations (the last ones) are funded too little for the run and top up midway.</summary>
    public int UnderFundedOrganisations { get; init; } = 1;

    /// <summary>An under-funded organisation's first burn buys the minimum balance plus this fraction of the DC its devices would spend if each uplink were bought once.</summary>
    public double UnderFundedMargin { get; init; } = 0.25;

    /// <summary>When (as a fraction of the run) an under-funded organisation's payer burns tokens again.</summary>
    public double TopUpAt { get; init; } = 0.5;

    /// <summary>Fraction of devices that send confirmed uplinks (and expect an ACK in RX1/RX2).</summary>
    public double ConfirmedFraction { get; init; } = 0.25;

    /// <summary>max_copies of the organisations, assigned in turn (Helium's multi-buy setting per route).</summary>
    public IReadOnlyList<int> MaxCopies { get; init; } = [3, 2, 5];

    /// <summary>Token price in USD used to convert burns to DC (DC = floor(tokens × price / 0.00001)).</summary>
    public decimal TokenPriceUsd { get; init; } = 1m;

    /// <summary>Hotspot → network server (and back) latency, drawn uniformly per packet report.</summary>
    public (TimeSpan Min, TimeSpan Max) BackhaulLatency { get; init; } = (TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(250));

    /// <summary>
    /// Sign and verify every copy, also those that arrive after their frame's max_copies copies (which the pipeline
    /// refuses before charging whatever their signature). Off by default: results are identical, it only costs time.
    /// </summary>
    public bool SignEveryCopy { get; init; }

    /// <summary>
    /// The network server answers uplinks whose RX1 data rate would be below this index in RX2 only (ChirpStack's
    /// <c>rx2_prefer_on_rx1_dr_lt</c>). Default DR3: SF12–SF10 devices are the ones at the edge of coverage, and EU868's
    /// RX2 band allows 29 dBm EIRP against 16 dBm in RX1, which a hotspot's antenna gain cannot add to under an EIRP cap.
    /// </summary>
    public int Rx2PreferOnRx1DataRateBelow { get; init; } = 3;

    public void Validate()
    {
        if (Organisations < 1)
        {
            throw new ArgumentException($"organisations: {Organisations} is not allowed, expected a whole number ≥ 1");
        }

        if (UnderFundedOrganisations < 0 || UnderFundedOrganisations > Organisations)
        {
            throw new ArgumentException($"under-funded organisations: {UnderFundedOrganisations} must be between 0 and the {Organisations} organisations");
        }

        if (!double.IsFinite(UnderFundedMargin) || UnderFundedMargin < 0)
        {
            throw new ArgumentException($"under-funded margin: {UnderFundedMargin} must be a non-negative fraction");
        }

        if (!double.IsFinite(TopUpAt) || TopUpAt is <= 0 or >= 1)
        {
            throw new ArgumentException($"top-up time: {TopUpAt} must be a fraction of the run strictly between 0 and 1");
        }

        if (!double.IsFinite(ConfirmedFraction) || ConfirmedFraction is < 0 or > 1)
        {
            throw new ArgumentException($"confirmed fraction: {ConfirmedFraction} must be between 0 and 1");
        }

        if (MaxCopies.Count == 0 || MaxCopies.Any(c => c < 1))
        {
            throw new ArgumentException("max copies: at least one value, each ≥ 1");
        }

        if (TokenPriceUsd <= 0)
        {
            throw new ArgumentException($"token price: {TokenPriceUsd} USD must be positive");
        }

        if (BackhaulLatency.Min < TimeSpan.Zero || BackhaulLatency.Max < BackhaulLatency.Min || BackhaulLatency.Max > TimeSpan.FromSeconds(2))
        {
            throw new ArgumentException($"backhaul latency {BackhaulLatency} must be 0 ≤ min ≤ max ≤ 2 s");
        }
    }
}
