namespace DePin.Wireless.CoverageOracle.Spoofing;

/// <summary>Settings of <see cref="PathLossConsistency"/>.</summary>
public sealed record PathLossConsistencyOptions
{
    /// <summary>Valid witnesses a beacon needs before its own fit is judged: a robust line through fewer points is noise (5 leaves 10 pairwise slopes for Theil–Sen).</summary>
    public int MinWitnessesPerBeacon { get; init; } = 5;

    /// <summary>Spread of log10(asserted distance) a beacon's witnesses must cover before its exponent means anything: 0.5 decades ≈ a factor 3 in distance. With σ ≈ 7 dB shadowing a narrower spread leaves the slope's error larger than the [1.5, 6] window.</summary>
    public double MinLogDistanceSpread { get; init; } = 0.5;

    /// <summary>Plausible path-loss exponents: 2 is free space, 2.7–3.5 urban, up to ~5–6 indoors/obstructed (Rappaport, Wireless Communications, Table 4.2); 1.5 allows waveguide-like corridors.</summary>
    public double MinExponent { get; init; } = 1.5;

    /// <summary>See <see cref="MinExponent"/>.</summary>
    public double MaxExponent { get; init; } = 6.0;

    /// <summary>Two-sided normal quantile for Sen's confidence interval of a beacon's slope: an exponent is implausible only when the whole 99 % interval (z = 2.576) lies outside [min, max]. Shadowing is static per link, so all beacons of one hotspot share the same noise and repeating them does not average it away.</summary>
    public double SlopeIntervalZ { get; init; } = 2.576;

    /// <summary>A witness is an outlier of its beacon beyond this many robust standard deviations (1.4826·MAD) from the epoch model shifted by the beacon's median offset; 3.5 is Iglewicz &amp; Hoaglin's modified-z cut-off.</summary>
    public double OutlierMads { get; init; } = 3.5;

    /// <summary>Floor for the robust σ of a beacon's residuals, dB: with few witnesses the MAD can collapse, while log-normal shadowing alone is 6–8 dB per link (devnet; Rappaport §4.9.2).</summary>
    public double MinResidualSigmaDb { get; init; } = 4.0;

    /// <summary>
    /// Censoring margin, dB. Only links the model predicts at least this far above the receiver's sensitivity are fitted: near
    /// sensitivity only links with lucky shadowing are heard at all, which flattens a naive fit (we measured n ≈ 1.3 for a true 3.5
    /// on synthetic data). 12 dB ≈ 1.7σ of 7 dB shadowing, so fewer than 5 % of such links are lost below sensitivity.
    /// </summary>
    public double CensoringMarginDb { get; init; } = 12.0;

    /// <summary>Noise figure used for the sensitivity of each link's data rate (LinkBudget.Sensitivity), dB.</summary>
    public double NoiseFigureDb { get; init; } = 6.0;

    /// <summary>Fit → drop censored links → refit rounds of the pooled model.</summary>
    public int CensoringRounds { get; init; } = 4;

    /// <summary>Links a pooled (epoch-wide) Huber fit needs; below this the analysis gives no verdict on median excess.</summary>
    public int MinPooledLinks { get; init; } = 30;

    /// <summary>Huber's tuning constant in robust σ units: 1.345 gives 95 % efficiency under Gaussian errors (Huber 1964; Holland &amp; Welsch 1977).</summary>
    public double HuberK { get; init; } = 1.345;

    /// <summary>Links a hotspot needs before its median residual against the pooled model is judged.</summary>
    public int MinLinksPerHotspot { get; init; } = 3;

    /// <summary>Median excess over the pooled model that is strong evidence, dB: a 30 km spoof with exponent 3.5 gives ≈ +35·log10(30/d_true) ≈ +40 dB at 2 km; honest medians over ≥ 3 links of σ ≈ 7 dB stay within ±10 dB with high probability (see <see cref="MedianExcessStandardErrors"/>).</summary>
    public double MinMedianExcessDb { get; init; } = 12.0;

    /// <summary>The median-excess threshold is also at least this many standard errors of a median (1.2533·σ/√n).</summary>
    public double MedianExcessStandardErrors { get; init; } = 4.0;

    /// <summary>
    /// A hotspot's median residual is judged against the epoch's distribution of hotspot medians (site offsets from antenna
    /// height, indoor siting, clutter): flagged beyond this many robust σ of it from its median; 3.5 is Iglewicz &amp; Hoaglin's
    /// modified-z cut-off. On the devnet's mixed city (60 % indoor with 10.5 dB entry loss, masts up to 60 m) the fixed
    /// 12 dB floor alone flagged tall outdoor hotspots.
    /// </summary>
    public double SiteOffsetOutlierMads { get; init; } = 3.5;

    /// <summary>Hotspots with a median residual needed before their spread is estimated; fewer, and only the fixed floor applies.</summary>
    public int MinHotspotsForSiteSpread { get; init; } = 20;

    /// <summary>Share of a hotspot's judged beacon fits (as witness: outlier; as beaconer: implausible) that must be flagged, with at least <see cref="MinFlags"/> flags, before the per-beacon evidence becomes a verdict.</summary>
    public double MinFlagShare { get; init; } = 0.5;

    /// <summary>See <see cref="MinFlagShare"/>: one bad beacon is shadowing, two is a pattern.</summary>
    public int MinFlags { get; init; } = 2;
}

/// <summary>Settings of <see cref="SnrRssiConsistency"/>.</summary>
public sealed record SnrRssiConsistencyOptions
{
    /// <summary>Receiver noise figure, dB: SX127x/SX130x front ends, as <c>LinkBudget.DefaultNoiseFigureDb</c> (6 dB, ChirpStack sensitivity.rs).</summary>
    public double NoiseFigureDb { get; init; } = 6.0;

    /// <summary>Highest SNR a concentrator reports, dB: SX1301/SX1302 packet SNR saturates near +10..+13 dB for strong signals; above this RSSI no longer predicts SNR.</summary>
    public double MaxReportedSnrDb { get; init; } = 12.0;

    /// <summary>How far below the SF's demodulation floor (SX1276 Table 13) a decoded packet's SNR may be reported: estimation noise of the modem's SNR register, ≈ 2.5 dB (one SF step).</summary>
    public double BelowDemodulationFloorMarginDb { get; init; } = 2.5;

    /// <summary>|reported − expected SNR| above this is a disagreement, dB: covers the concentrator's RSSI calibration (±≈2 dB), per-packet fading and interference raising the noise floor by a few dB.</summary>
    public double ToleranceDb { get; init; } = 8.0;

    /// <summary>Links a hotspot needs before a verdict.</summary>
    public int MinLinksPerHotspot { get; init; } = 2;

    /// <summary>Share of a hotspot's witness reports that must disagree (and at least <see cref="MinFlags"/>) for a verdict.</summary>
    public double MinFlagShare { get; init; } = 0.5;

    /// <summary>See <see cref="MinFlagShare"/>.</summary>
    public int MinFlags { get; init; } = 2;
}

/// <summary>Settings of <see cref="TimingConsistency"/>.</summary>
public sealed record TimingConsistencyOptions
{
    /// <summary>Speed of light, m/s (SI, exact).</summary>
    public double SpeedOfLight { get; init; } = 299_792_458.0;

    /// <summary>Witnesses with fine timestamps a beacon needs for a TDoA verdict: one difference needs two, three gives two independent differences.</summary>
    public int MinTimedWitnesses { get; init; } = 3;

    /// <summary>Witnesses with fine timestamps needed to also multilaterate the origin (x, y and emission time: 3 unknowns, ≥ 4 for a residual).</summary>
    public int MinWitnessesForMultilateration { get; init; } = 4;

    /// <summary>
    /// Arrival-time residual tolerance, ns. GPS-disciplined SX1301/SX1302 fine timestamps are good to ≈ 50–100 ns (≈ 15–30 m);
    /// we allow 3 µs (≈ 900 m) so that multipath excess delay in cities (≈ 1–3 µs, ITU-R P.1411) and H3 res-12 cell rounding never flag an honest hotspot,
    /// while a relay through a second radio (≥ milliseconds) or a 30 km spoof (tens of µs of geometry error) stays far outside.
    /// </summary>
    public double ToleranceNs { get; init; } = 3_000;

    /// <summary>Gauss–Newton iterations for multilateration.</summary>
    public int MaxIterations { get; init; } = 30;

    /// <summary>Coarse check for witnesses without GPS: HeardAt later than the beacon's median witness HeardAt by more than this. Internet NTP is good to tens of ms (Mills, RFC 5905 §1); the devnet's relayers add 250 ms.</summary>
    public TimeSpan MaxHeardAtLag { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>A witness heard later than the beacon report reached the ingest server by more than this is late (network latency of the beacon report upwards of a second is already generous).</summary>
    public TimeSpan MaxHeardAfterBeaconReceived { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Share of a hotspot's timed participations that must be flagged (and at least <see cref="MinFlags"/>).</summary>
    public double MinFlagShare { get; init; } = 0.5;

    /// <summary>See <see cref="MinFlagShare"/>.</summary>
    public int MinFlags { get; init; } = 2;
}

/// <summary>Settings of <see cref="WitnessGraphEvidence"/>.</summary>
public sealed record WitnessGraphOptions
{
    /// <summary>Components up to this size are "islands" (a room cluster of a handful of hotspots).</summary>
    public int MaxIslandSize { get; init; } = 8;

    /// <summary>Islands are only suspicious when the largest component is at least this big (a real mesh exists to be part of); a sparse rural network is all islands.</summary>
    public int MinMeshSize { get; init; } = 20;

    /// <summary>
    /// An island is judged only when one of its members is asserted within this quantile of the epoch's valid link
    /// distances of a mesh hotspot: farther away, nobody could be expected to hear it (a separate town, not a room).
    /// </summary>
    public double IslandReachQuantile { get; init; } = 0.5;

    /// <summary>Closed neighbourhoods of at least this many hotspots are tested as dense clusters.</summary>
    public int MinClusterSize { get; init; } = 4;

    /// <summary>Closed neighbourhoods larger than this are not "clusters": in a dense city every hotspot hears dozens of peers that all hear each other, which is the mesh itself.</summary>
    public int MaxClusterSize { get; init; } = 12;

    /// <summary>Edge density (edges / possible pairs) of a closed neighbourhood from which it is a clique-like cluster.</summary>
    public double MinClusterDensity { get; init; } = 0.9;

    /// <summary>External edge ratio (edges leaving the cluster / all edges touching it) at or below which the dense cluster is cut off from the mesh.</summary>
    public double MaxExternalEdgeRatio { get; init; } = 0.1;

    /// <summary>Distinct peers needed before RSSI uniformity is judged (with 3 the sample std of σ ≈ 7 dB draws falls below 2 dB ≈ 6 % of the time; with 4, ≈ 2 %).</summary>
    public int MinPeersForUniformity { get; init; } = 4;

    /// <summary>Std of per-peer mean RSSI below this, dB, is "near-identical RSSI to every peer": honest links differ by distance and by σ ≈ 6–8 dB shadowing.</summary>
    public double MaxUniformRssiStdDb { get; init; } = 2.0;

    /// <summary>
    /// Only links at least this far above the witness's sensitivity at the link's data rate count for RSSI uniformity: near the
    /// floor only lucky links are decoded, which squeezes the spread (censoring). 12 dB as <see cref="PathLossConsistencyOptions.CensoringMarginDb"/>.
    /// </summary>
    public double UniformityMinMarginDb { get; init; } = 12.0;

    /// <summary>Noise figure for the sensitivity above (LinkBudget.Sensitivity), dB.</summary>
    public double NoiseFigureDb { get; init; } = 6.0;

    /// <summary>
    /// Only links the epoch's path-loss model predicts at least this far above sensitivity count for RSSI uniformity: a link
    /// predicted below it is heard only at the top of the shadowing distribution (0 dB: the median link would not be heard).
    /// </summary>
    public double UniformityMinPredictedMarginDb { get; init; } = 0.0;

    /// <summary>
    /// Beacons for which two witnesses reported identical RSSI (0.1 dB) and SNR (0.01 dB) before that pair is a copy. One
    /// coincidence happens among hundreds of witnesses of a beacon (a few hundred RSSI values in use); independent radios
    /// repeating it on three beacons and on most of what they share do not.
    /// </summary>
    public int MinIdenticalSignals { get; init; } = 3;

    /// <summary>See <see cref="MinIdenticalSignals"/>: share of the pair's shared beacons that must be identical.</summary>
    public double MinIdenticalSignalShare { get; init; } = 0.5;
}

/// <summary>Settings of <see cref="TrustScore"/>.</summary>
public sealed record TrustScoreOptions
{
    /// <summary>Score of a hotspot never seen before: innocent until evidence says otherwise.</summary>
    public double InitialScore { get; init; } = 1.0;

    /// <summary>Multiplicative loss per strong verdict, by check: timing and path-loss geometry are physics the operator cannot argue with; SNR and graph patterns have more innocent explanations.</summary>
    public double PathLossWeight { get; init; } = 0.5;

    /// <summary>See <see cref="PathLossWeight"/>.</summary>
    public double SnrRssiWeight { get; init; } = 0.4;

    /// <summary>See <see cref="PathLossWeight"/>.</summary>
    public double TimingWeight { get; init; } = 0.6;

    /// <summary>See <see cref="PathLossWeight"/>.</summary>
    public double WitnessGraphWeight { get; init; } = 0.5;

    /// <summary>Weak evidence (e.g. RSSI below the path-loss floor, which obstacles explain) costs this fraction of a strong verdict's weight.</summary>
    public double WeakFactor { get; init; } = 0.2;

    /// <summary>Clean epochs that halve the distance to full trust. 24 hourly epochs: a day of good behaviour halves a penalty, so a one-off flag is forgiven within days, a persistent spoofer never recovers.</summary>
    public double RecoveryHalfLifeEpochs { get; init; } = 24;

    /// <summary>Below this score the hotspot is penalised (reported as such and its multiplier is scaled).</summary>
    public double PenalisedBelow { get; init; } = 0.6;

    /// <summary>Below this score the reward multiplier is zero.</summary>
    public double ZeroRewardBelow { get; init; } = 0.3;
}

/// <summary>All settings of <see cref="SpoofingAnalyzer"/>.</summary>
public sealed record SpoofingOptions
{
    public PathLossConsistencyOptions PathLoss { get; init; } = new();

    public SnrRssiConsistencyOptions SnrRssi { get; init; } = new();

    public TimingConsistencyOptions Timing { get; init; } = new();

    public WitnessGraphOptions Graph { get; init; } = new();

    public TrustScoreOptions Trust { get; init; } = new();
}
