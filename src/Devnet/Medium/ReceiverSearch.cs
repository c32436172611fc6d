using DePin.Wireless.Core.Physics;
using DePin.Wireless.Core.Primitives;

namespace DePin.Wireless.Devnet.Medium;

/// <summary>
/// Finds, for one transmission, every registered radio where it arrives at or above the tracking floor, with its
/// received power: grid cells within the maximum range, then cheap best-case bounds, then the random draws.
/// Listeners are indexed by the I/Q polarity they demodulate (hotspots: normal, devices: inverted; see
/// <see cref="RegisteredRadio.ListensToInvertedIq"/>), and a search walks only the population that can hear the
/// transmission's polarity: an opposite-polarity packet is neither received nor interference (README, "IQ polarity").
/// </summary>
internal sealed class ReceiverSearch(PropagationModel propagation, double cellSizeMeters)
{
    private readonly List<int> queryBuffer = [];
    private readonly List<UnitVector> unitVectors = [];
    private readonly List<Candidate> candidateBuffer = [];
    private readonly List<ReachableLink> linkBuffer = [];
    private readonly List<double> heightTerms = [];
    private readonly Listeners normalIq = new();
    private readonly Listeners invertedIq = new();

    /// <summary>Relative slack on the squared-distance bound (≈ 4·10⁻⁶ dB), far above rounding in the power and logarithm.</summary>
    private const double ReachSlack = 1 + 1e-6;

    /// <summary>Margin on the shadowing-only bound, so the other order of additions in the exact power cannot matter.</summary>
    private const double RoundingMarginDb = 1e-9;

    /// <summary>Indexes a radio; call in registration order (radio id = number of radios added before).</summary>
    public void Add(RadioRegistration registration, ulong key)
    {
        var radioId = heightTerms.Count;
        var heightTerm = propagation.HeightTermDb(registration.HeightMeters);
        heightTerms.Add(heightTerm);
        var unit = UnitVector.Of(registration.Position);
        unitVectors.Add(unit);
        var listeners = RegisteredRadio.ListensToInvertedIqAs(registration.Kind) ? invertedIq : normalIq;
        var link = new ListenerLink(registration.Position, registration.AntennaGainDbi, registration.Indoor ? propagation.Options.IndoorPenetrationLossDb : 0, heightTerm, key);
        listeners.Add(radioId, registration, unit, link, propagation.ReceiverReachDb(registration), propagation.ReachDbPerDecadeSquared, cellSizeMeters);
    }

    /// <summary>
    /// Links cached per repeating sender and radio setting (<see cref="LinkSetting"/>) at most: a device sends the same
    /// few settings all day and a hotspot answers devices (downlinks) on their channels, but a hotspot beacons four times
    /// a day on random channels (beacons are not cached).
    /// </summary>
    public const int MaxCachedLinks = 4_000_000;

    private readonly Dictionary<LinkSetting, ReachableLink[]> reachable = [];
    private long cachedLinks;

    /// <summary>Every receiver of the transmission's I/Q polarity where it arrives at or above its tracking floor, sorted by radio id.</summary>
    public Candidate[] Find(Transmission transmission, RegisteredRadio sender)
    {
        var listeners = transmission.InvertedIq ? invertedIq : normalIq;
        if (listeners.Index is null)
        {
            return [];
        }

        // Radios never move, so everything but fading is the same for every packet a radio sends with one setting:
        // the grid walk, bounds, distances, median loss and shadowing are done once per (sender, setting) and each
        // packet only draws fading over the links that could still reach the floor. Same arithmetic in the same
        // order as the full search: identical powers.
        var floor = TrackingFloor(transmission.DataRate);
        if (sender.Kind != RadioKind.Device && !transmission.InvertedIq)
        {
            Search(transmission, sender, listeners);
            return Draw(transmission, floor, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(linkBuffer));
        }

        var setting = new LinkSetting(sender.Id.Value, transmission.Frequency.Value, transmission.DataRate, transmission.TxPower.Value, transmission.InvertedIq);
        if (!reachable.TryGetValue(setting, out var links))
        {
            Search(transmission, sender, listeners);
            links = [.. linkBuffer];
            if (cachedLinks + links.Length <= MaxCachedLinks)
            {
                reachable[setting] = links;
                cachedLinks += links.Length;
            }
        }

        return Draw(transmission, floor, links);
    }

    /// <summary>Draws this packet's fading on each link; the links are in receiver order, so the candidates are sorted by radio id.</summary>
    private Candidate[] Draw(Transmission transmission, Dbm floor, ReadOnlySpan<ReachableLink> links)
    {
        candidateBuffer.Clear();
        foreach (var link in links)
        {
            var randomLoss = link.ShadowingDb + propagation.FadingDb(transmission.Id, link.Key); // = PropagationModel.RandomLossDb
            var loss = Math.Max(link.DeterministicLossDb + randomLoss, link.LineOfSightLossDb);
            var power = new Dbm(link.EirpPlusGainDb - loss);
            if (power >= floor)
            {
                candidateBuffer.Add(new Candidate(link.Receiver, power, link.DistanceMeters));
            }
        }

        return [.. candidateBuffer];
    }

    /// <summary>The grid walk for one transmission: every link that passes the bounds, with what its power needs but fading, into <see cref="linkBuffer"/>.</summary>
    private void Search(Transmission transmission, RegisteredRadio sender, Listeners listeners)
    {
        var index = listeners.Index!;

        var floor = TrackingFloor(transmission.DataRate);
        var eirp = transmission.TxPower + sender.Registration.AntennaGainDbi;
        var earthRadius = index.EarthRadiusMeters;

        // Squared distance beyond which a receiver cannot reach the floor even at its best: sender's share × receiver's
        // factor (PropagationModel.SenderReachDb). The grid is searched out to the best receiver's reach.
        var senderReach = Math.Pow(10, propagation.SenderReachDb(eirp, floor, sender.Registration) / propagation.ReachDbPerDecadeSquared);
        var range = Math.Max(Math.Sqrt(senderReach * listeners.BestReachFactor) * (1 + 1e-9), propagation.Options.MinimumDistanceMeters);
        var reachLimit = senderReach * ReachSlack / (earthRadius * earthRadius);
        queryBuffer.Clear();
        linkBuffer.Clear();
        index.QueryCells(sender.Position, range, queryBuffer);
        var radioIds = listeners.RadioIds;
        var reaches = listeners.Reaches;
        var links = listeners.Links;
        var origin = unitVectors[sender.Id.Value];
        var maxRandomGain = propagation.MaxRandomGainDb;
        var maxFadingGain = propagation.MaxFadingGainDb;
        var freeSpaceAtOneMeter = PropagationModel.FreeSpaceAtOneMeterDb(transmission.Frequency);
        var lineOfSightExcess = propagation.Options.LineOfSightExcessLossDb;
        var indoorLoss = propagation.Options.IndoorPenetrationLossDb;
        var minimumDistance = propagation.Options.MinimumDistanceMeters;
        var senderHeightTerm = heightTerms[sender.Id.Value];
        var senderIndoorLoss = sender.Registration.Indoor ? indoorLoss : 0;
        for (var i = 0; i < queryBuffer.Count; i++)
        {
            // Cheapest test first, with no logarithm and no pointer chasing: the squared chord on the unit sphere
            // against the receiver's reach (terrain model only, the lesser of the two losses, at the best random draws).
            var member = queryBuffer[i];
            var reach = reaches[member];
            var dx = reach.X - origin.X;
            var dy = reach.Y - origin.Y;
            var dz = reach.Z - origin.Z;
            if ((dx * dx) + (dy * dy) + (dz * dz) > reachLimit * reach.Factor)
            {
                continue;
            }

            var item = radioIds[member];
            if (item == sender.Id.Value)
            {
                continue;
            }

            // What the exact power needs of the receiver sits in one array too (no RegisteredRadio → registration hops).
            var link = links[member];
            var eirpPlusGain = eirp.Value + link.AntennaGainDbi;
            var indoorLosses = senderIndoorLoss + link.IndoorLossDb;
            var heightTermsDb = senderHeightTerm + link.HeightTermDb;

            // The best case at the great-circle distance, before drawing shadowing and fading.
            var distance = GreatCircle.DistanceMeters(sender.Position, link.Position, earthRadius);
            var deterministicLoss = propagation.MedianPathLossDb(Math.Log10(Math.Max(distance, minimumDistance)), freeSpaceAtOneMeter, heightTermsDb) + indoorLosses;
            if (eirpPlusGain - deterministicLoss + maxRandomGain < floor.Value)
            {
                continue;
            }

            // The link's shadowing is drawn first: with it, fading at its best must still reach the floor, or the
            // per-packet draw is not worth making (the loss is at least deterministic + shadowing + fading).
            var shadowing = propagation.ShadowingDb(sender.Key, link.Key);
            if (eirpPlusGain - deterministicLoss - shadowing + maxFadingGain + RoundingMarginDb < floor.Value)
            {
                continue;
            }

            // Shadowing and fading are excess losses around the median: after them the loss is still at least free
            // space plus the line-of-sight excess (PropagationModel.ReceivedPower), or a lucky draw would put an
            // honest link above the oracle's free-space RSSI ceiling.
            var log10Distance = Math.Log10(Math.Max(distance, minimumDistance));
            var lineOfSightLoss = freeSpaceAtOneMeter + (20 * log10Distance) + lineOfSightExcess;
            linkBuffer.Add(new ReachableLink(item, link.Key, eirpPlusGain, deterministicLoss, shadowing, lineOfSightLoss, distance));
        }

        // Sorted by receiver id: deterministic order whatever the cell layout, and binary search in TryPowerAt.
        linkBuffer.Sort(static (a, b) => a.Receiver.CompareTo(b.Receiver));
    }

    /// <summary>
    /// Signals weaker than sensitivity − 6 dB can neither be demodulated nor matter as interference: a same-SF
    /// interferer only destroys a packet within 6 dB of it (and that packet is at least at sensitivity), and a
    /// different-SF one must be ≥ 16 dB stronger than its victim (Croce et al. Table I), far above this floor.
    /// </summary>
    public Dbm TrackingFloor(DataRate dataRate) =>
        LinkBudget.Sensitivity(dataRate, propagation.Options.NoiseFigureDb) - LoRaInterference.SameSpreadingFactorCaptureDb;
}

/// <summary>
/// The radios that demodulate one I/Q polarity: their grid (item numbers in insertion order, mapped to radio ids by
/// <see cref="RadioIds"/>), each one's position and reach factor (<see cref="ListenerReach"/>) by item, and the best
/// reach factor among them, which bounds the search range.
/// </summary>
internal sealed class Listeners
{
    private readonly List<int> radioIds = [];
    private ListenerReach[] reaches = new ListenerReach[16];
    private ListenerLink[] links = new ListenerLink[16];

    public GeoGridIndex? Index { get; private set; }

    public IReadOnlyList<int> RadioIds => radioIds;

    /// <summary>By item number; only the first <c>RadioIds.Count</c> entries are used.</summary>
    public ListenerReach[] Reaches => reaches;

    /// <summary>By item number, as <see cref="Reaches"/>.</summary>
    public ListenerLink[] Links => links;

    public double BestReachFactor { get; private set; }

    public void Add(int radioId, RadioRegistration registration, UnitVector unit, ListenerLink link, double receiverReachDb, double reachDbPerDecadeSquared, double cellSizeMeters)
    {
        Index ??= new GeoGridIndex(cellSizeMeters, registration.Position.LatitudeDegrees);
        var item = Index.Add(registration.Position);
        radioIds.Add(radioId);
        if (item == reaches.Length)
        {
            Array.Resize(ref reaches, reaches.Length * 2);
            Array.Resize(ref links, links.Length * 2);
        }

        links[item] = link;

        var factor = Math.Pow(10, receiverReachDb / reachDbPerDecadeSquared);
        reaches[item] = new ListenerReach(unit, factor);
        BestReachFactor = Math.Max(BestReachFactor, factor);
    }
}

/// <summary>
/// A listener's position on the unit sphere and its reach factor 10^(c / (5·n)), c = <see cref="PropagationModel.ReceiverReachDb"/>:
/// the squared distance it can be reached from is at most the sender's factor times this.
/// </summary>
internal readonly record struct ListenerReach(UnitVector Unit, double Factor)
{
    public double X => Unit.X;

    public double Y => Unit.Y;

    public double Z => Unit.Z;
}

/// <summary>What the exact received power needs of a listener: position, antenna gain, its building entry loss (0 outdoors), height term and key.</summary>
internal readonly record struct ListenerLink(GeoPoint Position, double AntennaGainDbi, double IndoorLossDb, double HeightTermDb, ulong Key);

/// <summary>What makes a sender's links the same from one packet to the next: the radio, channel, data rate (floor), power and I/Q polarity.</summary>
internal readonly record struct LinkSetting(int Sender, long FrequencyHz, DataRate DataRate, double TxPowerDbm, bool InvertedIq);

/// <summary>
/// A link that may reach the floor once fading is drawn, with the parts of its power that do not change per packet:
/// EIRP plus receiver gain, median loss with indoor losses, shadowing, and the line-of-sight floor of the loss.
/// </summary>
internal readonly record struct ReachableLink(int Receiver, ulong Key, double EirpPlusGainDb, double DeterministicLossDb, double ShadowingDb, double LineOfSightLossDb, double DistanceMeters);

/// <summary>A receiver a transmission reaches at or above the tracking floor.</summary>
internal readonly record struct Candidate(int Receiver, Dbm Power, double DistanceMeters);

/// <summary>A position as a point on the unit sphere; the straight-line (chord) distance is a cheap lower bound of the great-circle one.</summary>
internal readonly record struct UnitVector(double X, double Y, double Z)
{
    public static UnitVector Of(GeoPoint point)
    {
        var latitude = point.LatitudeDegrees * Math.PI / 180.0;
        var longitude = point.LongitudeDegrees * Math.PI / 180.0;
        var cosLatitude = Math.Cos(latitude);
        return new UnitVector(cosLatitude * Math.Cos(longitude), cosLatitude * Math.Sin(longitude), Math.Sin(latitude));
    }
}

/// <summary>A submitted transmission with its receivers, kept while it is unresolved or may still interfere.</summary>
internal sealed class InFlight(Transmission transmission, RegisteredRadio sender, Candidate[] candidates)
{
    public Transmission Transmission { get; } = transmission;

    public RegisteredRadio Sender { get; } = sender;

    public Candidate[] Candidates { get; } = candidates;

    public bool Resolved { get; set; }

    /// <summary>Power of this packet at a receiver, if it arrives there above the tracking floor (binary search: candidates are sorted by receiver).</summary>
    public bool TryPowerAt(int receiver, out Dbm power)
    {
        int low = 0, high = Candidates.Length - 1;
        while (low <= high)
        {
            var mid = (low + high) >>> 1;
            var at = Candidates[mid].Receiver;
            if (at == receiver)
            {
                power = Candidates[mid].Power;
                return true;
            }

            if (at < receiver)
            {
                low = mid + 1;
            }
            else
            {
                high = mid - 1;
            }
        }

        power = default;
        return false;
    }
}
