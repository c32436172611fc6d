using DePin.Wireless.Core.H3;
using DePin.Wireless.Core.Physics;
using DePin.Wireless.Core.Primitives;
using DePin.Wireless.CoverageOracle.Verification;

namespace DePin.Wireless.CoverageOracle.Tests.Spoofing;

public enum SimRole
{
    Honest,
    Spoofer,
    RelayListener,
    RelayPartner,
    RoomCluster,
}

/// <summary>A simulated hotspot: where its radio is, where it claims to be, whether it has GPS fine timestamps.</summary>
/// <summary>How the far partner of a relay pair reports: RSSI forged to fit its asserted distance (SNR and GPS timestamps from its own radio hearing the local replay), or the listener's RSSI/SNR copied without a fine timestamp (the devnet's relayer).</summary>
public enum RelayStyle
{
    ForgedRssi,
    CopiedSignal,
}

public sealed record SimHotspot(string Id, SimRole Role, GeoPoint True, GeoPoint Asserted, bool HasGps);

/// <summary>
/// A seeded epoch of PoC results over a city, built from Wireless.Core physics: log-distance path loss (PL(1 km) = 130 dB,
/// n = 3.5 ≈ Okumura–Hata urban at 868 MHz), per-link log-normal shadowing σ = 7 dB fixed for the epoch, 1 dB per-packet fading,
/// SNR = RSSI − thermal noise floor (saturating at +12 dB), TOA = distance/c + 50 ns GPS jitter. Witness validity is Helium's
/// free-space RSSI ceiling and 100 km cap on asserted distances. Adversaries as the devnet defines them.
/// </summary>
public sealed class SyntheticEpoch
{
    public const string DataRateName = "SF9BW125";
    private const int TxPowerDbm = 27;
    private const int GainDeciDbi = 30;
    private const double SpeedOfLight = FreeSpacePathLoss.SpeedOfLight;
    private static readonly GeoPoint City = new(52.37, 4.89);
    private static readonly DateTimeOffset EpochStart = new(2026, 11, 21, 0, 0, 0, TimeSpan.Zero);

    private readonly Random _random;
    private readonly LogDistancePathLoss _pathLoss;
    private readonly RelayStyle _relayStyle;
    private readonly bool _shieldedRoom;
    private readonly Dictionary<(string, string), double> _shadowing = [];
    private readonly Dictionary<string, double> _siteOffsets = new(StringComparer.Ordinal);
    private readonly Random _siteRandom;
    private readonly double _siteOffsetSigmaDb;
    private readonly double _sensitivity = LinkBudget.Sensitivity(DataRate.Parse(DataRateName)).Value;
    private readonly double _noiseFloor = LinkBudget.NoiseFloor(125_000).Value;
    private readonly List<SimHotspot> _hotspots = [];
    private readonly List<PocResult> _results = [];

    /// <param name="siteOffsetSigmaDb">Per-hotspot gain offset (antenna height, indoor siting), N(0, σ) dB added to every link of the hotspot; drawn from its own stream so 0 leaves every other draw unchanged.</param>
    public SyntheticEpoch(int seed, bool spoofer = true, bool relayers = true, bool roomCluster = true, int gridSize = 10, double spacingMeters = 2000, int beaconsPerHotspot = 3, double shadowingSigmaDb = 7, RelayStyle relayStyle = RelayStyle.ForgedRssi, bool shieldedRoom = true, double siteOffsetSigmaDb = 0)
    {
        _random = new Random(seed);
        _siteRandom = new Random(seed + 7919);
        _siteOffsetSigmaDb = siteOffsetSigmaDb;
        _shieldedRoom = shieldedRoom;
        _relayStyle = relayStyle;
        _pathLoss = new(new LogDistancePathLossOptions { ReferenceDistanceMeters = 1000, ReferenceLossDb = 130, Exponent = 3.5, ShadowingSigmaDb = shadowingSigmaDb });
        PlaceHonestGrid(gridSize, spacingMeters);
        var extent = gridSize * spacingMeters / 2;
        if (spoofer)
        {
            var at = Jitter(City, extent * 0.5);
            _hotspots.Add(new SimHotspot("spoofer", SimRole.Spoofer, at, GreatCircle.Destination(at, 90, 30_000), true));
        }

        if (relayers)
        {
            var listener = Jitter(City, extent * 0.5);
            var partner = GreatCircle.Destination(City, 0, 15_000);
            _hotspots.Add(new SimHotspot("relay-listener", SimRole.RelayListener, listener, listener, true));
            _hotspots.Add(new SimHotspot("relay-partner", SimRole.RelayPartner, partner, partner, true));
        }

        if (roomCluster)
        {
            var room = Jitter(City, extent * 0.5);
            for (var i = 0; i < 5; i++)
            {
                _hotspots.Add(new SimHotspot($"room-{i}", SimRole.RoomCluster, room, GreatCircle.Destination(City, 72 * i, 2000), false));
            }
        }

        for (var round = 0; round < beaconsPerHotspot; round++)
        {
            for (var i = 0; i < _hotspots.Count; i++)
            {
                var at = EpochStart + TimeSpan.FromMinutes(20 * round) + TimeSpan.FromSeconds(10 * i);
                _results.Add(Beacon(_hotspots[i], at, (round * 1000) + i));
            }
        }
    }

    public IReadOnlyList<SimHotspot> Hotspots => _hotspots;

    public IReadOnlyList<PocResult> Results => _results;

    public IReadOnlyList<HotspotInfo> Registry => _hotspots
        .Select(h => new HotspotInfo(h.Id, H3Grid.LatLngToCell(h.Asserted.LatitudeDegrees, h.Asserted.LongitudeDegrees, 12).Value, GainDeciDbi, 0, "EU868", HotspotCapability.Full))
        .ToList();

    private void PlaceHonestGrid(int gridSize, double spacing)
    {
        var origin = GreatCircle.Destination(GreatCircle.Destination(City, 180, gridSize * spacing / 2), 270, gridSize * spacing / 2);
        for (var row = 0; row < gridSize; row++)
        {
            for (var col = 0; col < gridSize; col++)
            {
                var p = GreatCircle.Destination(GreatCircle.Destination(origin, 0, row * spacing), 90, col * spacing);
                p = Jitter(p, spacing * 0.25);
                _hotspots.Add(new SimHotspot($"h{row:00}{col:00}", SimRole.Honest, p, p, _random.NextDouble() < 0.7));
            }
        }
    }

    private GeoPoint Jitter(GeoPoint p, double meters) => GreatCircle.Destination(p, _random.NextDouble() * 360, _random.NextDouble() * meters);

    private PocResult Beacon(SimHotspot beaconer, DateTimeOffset txAt, int beaconNumber)
    {
        var data = BitConverter.GetBytes(beaconNumber);
        var beacon = new BeaconIngest(beaconer.Id, txAt + TimeSpan.FromMilliseconds(50 + (_random.NextDouble() * 250)), [1], [2], data, 868_100_000, DataRateName, TxPowerDbm);
        var witnesses = new List<VerifiedWitness>();
        foreach (var w in _hotspots.Where(h => h.Id != beaconer.Id))
        {
            if (Hear(beaconer, w) is not { } rx)
            {
                continue;
            }

            var report = Report(w, data, txAt, rx.Rssi, rx.Snr, rx.Meters);
            witnesses.Add(Verified(beaconer, w, report));
            if (w.Role == SimRole.RelayListener && _hotspots.FirstOrDefault(h => h.Role == SimRole.RelayPartner) is { } partner && beaconer.Id != partner.Id)
            {
                witnesses.Add(Verified(beaconer, partner, Relayed(beaconer, partner, report)));
            }
        }

        return new PocResult(beacon, null, witnesses);
    }

    /// <summary>Who hears whom: real radios by physics; a room cluster hears itself through attenuators (−105 dBm ± 0.5) and, unless shielded, the city by physics from its one true spot.</summary>
    private (double Rssi, double Snr, double Meters)? Hear(SimHotspot from, SimHotspot to)
    {
        var meters = Math.Max(GreatCircle.DistanceMeters(from.True, to.True), 1);
        if (_shieldedRoom && (from.Role == SimRole.RoomCluster) != (to.Role == SimRole.RoomCluster))
        {
            return null;
        }

        double rssi;
        if (from.Role == SimRole.RoomCluster && to.Role == SimRole.RoomCluster)
        {
            rssi = -105 + (0.5 * Gaussian.StandardNormal(_random));
        }
        else
        {
            var loss = _pathLoss.MeanDb(meters) + Shadowing(from.Id, to.Id) + Gaussian.StandardNormal(_random) - SiteOffset(from.Id) - SiteOffset(to.Id);
            rssi = TxPowerDbm + (2 * GainDeciDbi / 10.0) - loss;
        }

        if (rssi < _sensitivity)
        {
            return null;
        }

        return (rssi, MeasuredSnr(rssi), meters);
    }

    private double MeasuredSnr(double rssi) => Math.Min(rssi - _noiseFloor + Gaussian.StandardNormal(_random), 12);

    private double SiteOffset(string id)
    {
        if (_siteOffsetSigmaDb == 0)
        {
            return 0;
        }

        if (!_siteOffsets.TryGetValue(id, out var offset))
        {
            _siteOffsets[id] = offset = _siteOffsetSigmaDb * Gaussian.StandardNormal(_siteRandom);
        }

        return offset;
    }

    private double Shadowing(string a, string b)
    {
        var key = string.CompareOrdinal(a, b) < 0 ? (a, b) : (b, a);
        if (!_shadowing.TryGetValue(key, out var s))
        {
            _shadowing[key] = s = _pathLoss.Options.ShadowingSigmaDb * Gaussian.StandardNormal(_random);
        }

        return s;
    }

    private WitnessIngest Report(SimHotspot w, byte[] data, DateTimeOffset txAt, double rssi, double snr, double meters)
    {
        var flightNs = meters / SpeedOfLight * 1e9;
        var heardAt = txAt + TimeSpan.FromMilliseconds((flightNs / 1e6) + ((w.HasGps ? 0.1 : 10) * Gaussian.StandardNormal(_random)));
        long? fine = w.HasGps ? FineTimestamp(txAt, flightNs + (50 * Gaussian.StandardNormal(_random))) : null;
        return new WitnessIngest(w.Id, txAt + TimeSpan.FromMilliseconds(100 + (_random.NextDouble() * 400)), data, (int)Math.Round(rssi * 10), (int)Math.Round(snr * 100), 868_100_000, DataRateName, heardAt, fine);
    }

    /// <summary>
    /// The far partner of a relay pair: the listener's frame is tunnelled and replayed by a radio next to the partner 250 ms later (devnet: RelayDelay / 2).
    /// Its radio measures the strong local replay (SNR ≈ +10 dB), its timestamps are the replay's, and it forges an RSSI that fits its asserted distance
    /// (the mean path loss, but no weaker than 3 dB above sensitivity so it still looks decodable).
    /// </summary>
    private WitnessIngest Relayed(SimHotspot beaconer, SimHotspot partner, WitnessIngest listenerReport)
    {
        var delay = TimeSpan.FromMilliseconds(250);
        if (_relayStyle == RelayStyle.CopiedSignal)
        {
            return listenerReport with { HotspotId = partner.Id, HeardAt = listenerReport.HeardAt + delay, Received = listenerReport.Received + delay, FineTimestampNs = null };
        }

        var meters = GreatCircle.DistanceMeters(beaconer.Asserted, partner.Asserted);
        var forged = Math.Max(TxPowerDbm + (2 * GainDeciDbi / 10.0) - _pathLoss.MeanDb(meters), _sensitivity + 3);
        long? fine = listenerReport.FineTimestampNs is { } f ? (f + (long)delay.TotalNanoseconds + (long)(50 * Gaussian.StandardNormal(_random))) % 1_000_000_000 : null;
        return listenerReport with
        {
            HotspotId = partner.Id,
            SignalDeciDbm = (int)Math.Round(forged * 10),
            SnrCentiDb = (int)Math.Round(Math.Min(10 + Gaussian.StandardNormal(_random), 12) * 100),
            HeardAt = listenerReport.HeardAt + delay,
            Received = listenerReport.Received + delay,
            FineTimestampNs = fine,
        };
    }

    private static long FineTimestamp(DateTimeOffset txAt, double flightNs)
    {
        var ns = ((txAt - DateTimeOffset.UnixEpoch).Ticks * 100) + (long)Math.Round(flightNs);
        return ns % 1_000_000_000;
    }

    /// <summary>Helium's witness validity for what this scenario exercises: 100 km cap and the free-space RSSI ceiling (both on asserted positions).</summary>
    private static VerifiedWitness Verified(SimHotspot beaconer, SimHotspot witness, WitnessIngest report)
    {
        var meters = Math.Max(GreatCircle.DistanceMeters(beaconer.Asserted, witness.Asserted), 1);
        string? reason = null;
        if (meters > 100_000)
        {
            reason = InvalidReason.MaxDistanceExceeded;
        }
        else if (report.SignalDeciDbm / 10.0 > TxPowerDbm + (2 * GainDeciDbi / 10) - WitnessChecks.FreeSpacePathLossDb(meters, 868_100_000, SpeedOfLight))
        {
            reason = InvalidReason.BadRssi;
        }

        return new VerifiedWitness(report, reason, reason is null);
    }
}
