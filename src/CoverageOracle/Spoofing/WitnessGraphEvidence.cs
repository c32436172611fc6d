using System.Globalization;
using DePin.Wireless.Core.Physics;
using DePin.Wireless.Core.Primitives;

namespace DePin.Wireless.CoverageOracle.Spoofing;

/// <summary>
/// Structure of the epoch's graph of valid witness links (undirected: beaconer — witness).
/// <list type="bullet">
/// <item>Islands: small components while a large mesh exists: hotspots that only witness each other.</item>
/// <item>Dense cut-off clusters: a hotspot's closed neighbourhood that is nearly a clique with almost no edges leaving it
/// (external edge ratio = edges leaving / all edges touching the neighbourhood).</item>
/// <item>Uniform RSSI (weak): near-identical mean RSSI to every peer although the asserted distances differ: radios in one room
/// behind attenuators, not hotspots spread over a town with shadowing between them — or censoring (see <c>UniformRssi</c>).</item>
/// <item>Copied signal: two hotspots that report the very same RSSI (0.1 dB) and SNR (0.01 dB) for most beacons both
/// witnessed. Two radios measure one packet through different paths, fading and receiver noise; identical figures again and
/// again mean one report was copied from the other — a relay pair, whose far half claims what the near half heard. Both are
/// flagged: the copy needs the source's cooperation (reports are signed and sent privately to the oracle).</item>
/// </list>
/// </summary>
public sealed class WitnessGraphEvidence(WitnessGraphOptions options)
{
    /// <param name="predictedMarginDb">How far above sensitivity the epoch's path-loss model puts a link (<see cref="PathLossConsistency.PredictedMarginDb"/>); null when the epoch has no model.</param>
    public IReadOnlyList<SpoofingVerdict> Analyze(EpochLinks epoch, Func<PocLink, double>? predictedMarginDb = null)
    {
        ArgumentNullException.ThrowIfNull(epoch);
        return [.. Structure(epoch), .. Signals(epoch, predictedMarginDb)];
    }

    /// <summary>The graph-shape verdicts (islands, then dense clusters): they need no path-loss model, so they can run while it is fitted.</summary>
    public IReadOnlyList<SpoofingVerdict> Structure(EpochLinks epoch)
    {
        ArgumentNullException.ThrowIfNull(epoch);
        var graph = WitnessGraph.From(epoch);
        return [.. Islands(graph, epoch), .. DenseClusters(graph)];
    }

    /// <summary>The signal verdicts (uniform RSSI, then copied signals), which <see cref="Analyze"/> lists after <see cref="Structure"/>.</summary>
    public IReadOnlyList<SpoofingVerdict> Signals(EpochLinks epoch, Func<PocLink, double>? predictedMarginDb)
    {
        ArgumentNullException.ThrowIfNull(epoch);
        return [.. UniformRssi(epoch, predictedMarginDb), .. CopiedSignals(epoch)];
    }

    /// <summary>
    /// Pairs of witnesses (ordinal order) with the number of beacons for which both reported identical RSSI and SNR, and the
    /// beacons they share. Beacons are scanned in parallel (each sorts its few witnesses by signal); only witnesses that
    /// appear in some pair get their beacon lists built.
    /// </summary>
    public static IReadOnlyList<(string A, string B, int Identical, int Shared)> IdenticalSignalPairs(EpochLinks epoch)
    {
        ArgumentNullException.ThrowIfNull(epoch);
        var beacons = epoch.Beacons;
        var perChunk = new List<long>[(beacons.Count + BeaconsPerChunk - 1) / BeaconsPerChunk];
        ParallelChunks.For(beacons.Count, BeaconsPerChunk, (start, end) =>
        {
            var pairs = new List<long>();
            for (var b = start; b < end; b++)
            {
                AddIdenticalPairs(beacons[b].Links, pairs);
            }

            perChunk[start / BeaconsPerChunk] = pairs;
        });

        var counts = new SortedDictionary<long, int>();
        foreach (var pair in perChunk.SelectMany(p => p))
        {
            counts[pair] = counts.GetValueOrDefault(pair) + 1;
        }

        if (counts.Count == 0)
        {
            return [];
        }

        var beaconsOf = BeaconsOfWitnesses(epoch, [.. counts.Keys.SelectMany(k => new[] { (int)(k >> 32), (int)(k & uint.MaxValue) })]);
        var ids = epoch.HotspotIds;

        // Pair keys are (lower index, higher index): index order is ordinal id order, so the sorted keys are the (A, B) order.
        return [.. counts.Select(kv =>
        {
            var a = (int)(kv.Key >> 32);
            var b = (int)(kv.Key & uint.MaxValue);
            return (ids[a], ids[b], kv.Value, SortedIntersectionCount(beaconsOf[a], beaconsOf[b]));
        })];
    }

    private const int BeaconsPerChunk = 1 << 10;

    /// <summary>For one beacon: every pair of distinct witnesses (lower index first) that reported the same RSSI and SNR, once per such signal group.</summary>
    private static void AddIdenticalPairs(IReadOnlyList<PocLink> links, List<long> pairs)
    {
        if (links.Count < 2)
        {
            return;
        }

        // Each link as one sortable number (signal, SNR, witness) when the figures fit 16 bits each (any real report's
        // do); the general tuple sort otherwise. Both orders are (signal, SNR, witness).
        Span<long> packed = links.Count <= 256 ? stackalloc long[links.Count] : new long[links.Count];
        var fits = true;
        for (var i = 0; i < links.Count && fits; i++)
        {
            var (signal, snr) = (links[i].Report.SignalDeciDbm, links[i].Report.SnrCentiDb);
            fits = signal is >= short.MinValue and <= short.MaxValue && snr is >= short.MinValue and <= short.MaxValue;
            packed[i] = ((long)(signal - short.MinValue) << 47) | ((long)(snr - short.MinValue) << 31) | (long)links[i].WitnessIndex;
        }

        if (!fits)
        {
            AddIdenticalPairsUnpacked(links, pairs);
            return;
        }

        packed.Sort();
        const long witnessMask = (1L << 31) - 1;
        for (var start = 0; start < packed.Length;)
        {
            var end = start + 1;
            while (end < packed.Length && (packed[end] & ~witnessMask) == (packed[start] & ~witnessMask))
            {
                end++;
            }

            // Within the group witnesses are sorted by index: distinct ones pair up, lower index first.
            for (var i = start; i < end; i++)
            {
                if (i > start && packed[i] == packed[i - 1])
                {
                    continue;
                }

                for (var j = i + 1; j < end; j++)
                {
                    if (packed[j] != packed[j - 1])
                    {
                        pairs.Add(((packed[i] & witnessMask) << 32) | (packed[j] & witnessMask));
                    }
                }
            }

            start = end;
        }
    }

    private static void AddIdenticalPairsUnpacked(IReadOnlyList<PocLink> links, List<long> pairs)
    {
        var keyed = new (int Signal, int Snr, int Witness)[links.Count];
        for (var i = 0; i < keyed.Length; i++)
        {
            keyed[i] = (links[i].Report.SignalDeciDbm, links[i].Report.SnrCentiDb, links[i].WitnessIndex);
        }

        Array.Sort(keyed);
        for (var start = 0; start < keyed.Length;)
        {
            var end = start + 1;
            while (end < keyed.Length && keyed[end].Signal == keyed[start].Signal && keyed[end].Snr == keyed[start].Snr)
            {
                end++;
            }

            // Within the group witnesses are sorted by index: distinct ones pair up, lower index first.
            for (var i = start; i < end; i++)
            {
                if (i > start && keyed[i].Witness == keyed[i - 1].Witness)
                {
                    continue;
                }

                for (var j = i + 1; j < end; j++)
                {
                    if (keyed[j].Witness != keyed[j - 1].Witness)
                    {
                        pairs.Add(((long)keyed[i].Witness << 32) | (uint)keyed[j].Witness);
                    }
                }
            }

            start = end;
        }
    }

    /// <summary>The distinct beacon numbers (ascending) each of <paramref name="witnesses"/> witnessed.</summary>
    private static Dictionary<int, List<int>> BeaconsOfWitnesses(EpochLinks epoch, IEnumerable<int> witnesses)
    {
        var beaconsOf = witnesses.Distinct().ToDictionary(w => w, _ => new List<int>());
        for (var b = 0; b < epoch.Beacons.Count; b++)
        {
            foreach (var link in epoch.Beacons[b].Links)
            {
                if (beaconsOf.TryGetValue(link.WitnessIndex, out var list) && (list.Count == 0 || list[^1] != b))
                {
                    list.Add(b);
                }
            }
        }

        return beaconsOf;
    }

    private static int SortedIntersectionCount(List<int> a, List<int> b)
    {
        int i = 0, j = 0, common = 0;
        while (i < a.Count && j < b.Count)
        {
            if (a[i] < b[j])
            {
                i++;
            }
            else if (a[i] > b[j])
            {
                j++;
            }
            else
            {
                common++;
                i++;
                j++;
            }
        }

        return common;
    }

    private IEnumerable<SpoofingVerdict> CopiedSignals(EpochLinks epoch)
    {
        var flagged = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (a, b, same, shared) in IdenticalSignalPairs(epoch))
        {
            if (same < options.MinIdenticalSignals || same < options.MinIdenticalSignalShare * shared)
            {
                continue;
            }

            foreach (var (id, other) in new[] { (a, b), (b, a) })
            {
                flagged.TryAdd(id, string.Create(CultureInfo.InvariantCulture, $"witness_graph_copied_signal: identical RSSI and SNR to {other} for {same} of {shared} shared beacons"));
            }
        }

        return flagged.Select(kv => new SpoofingVerdict(kv.Key, SpoofingCheck.WitnessGraph, EvidenceStrength.Strong, 1, 1, kv.Value));
    }

    private IEnumerable<SpoofingVerdict> Islands(WitnessGraph graph, EpochLinks epoch)
    {
        var components = graph.Components();
        var largest = components.Count == 0 ? 0 : components.Max(c => c.Count);
        if (largest < options.MinMeshSize)
        {
            yield break;
        }

        // Isolation is only suspicious among neighbours: a small town beyond radio range of the rest of the network is
        // an island by geography. The island is judged against the epoch's own link distances: if no member is asserted
        // within the distance that covers most valid links of the epoch from some hotspot outside the island, nothing
        // outside could have been expected to hear it.
        var reach = LinkDistanceQuantile(epoch, options.IslandReachQuantile);
        var mesh = components.Where(c => c.Count > options.MaxIslandSize).SelectMany(c => c).Where(epoch.Positions.ContainsKey).Select(id => epoch.Positions[id]).ToList();
        var nearMesh = reach is { } radius && radius > 0 ? new GeoProximityIndex(mesh, radius) : null;
        foreach (var component in components.Where(c => c.Count <= options.MaxIslandSize))
        {
            var members = component.Where(epoch.Positions.ContainsKey).Select(id => epoch.Positions[id]).ToList();
            if (reach is { } r && !members.Any(m => nearMesh is not null ? nearMesh.AnyWithin(m) : mesh.Any(o => GreatCircle.DistanceMeters(m, o) <= r)))
            {
                continue;
            }

            foreach (var id in component)
            {
                yield return new SpoofingVerdict(id, SpoofingCheck.WitnessGraph, EvidenceStrength.Strong, 1, 1,
                    string.Create(CultureInfo.InvariantCulture, $"witness_graph_island: component of {component.Count} hotspots apart from a mesh of {largest}"));
            }
        }
    }

    /// <summary>The <paramref name="quantile"/> of the epoch's valid link distances (asserted), or null without links.</summary>
    private static double? LinkDistanceQuantile(EpochLinks epoch, double quantile)
    {
        // Selection puts at k the value a full sort (same total order) would: the quantile without sorting every link.
        var distances = epoch.LinkArray.Select(l => l.AssertedDistanceMeters).ToArray();
        if (distances.Length == 0)
        {
            return null;
        }

        var k = Math.Min(distances.Length - 1, (int)Math.Floor(quantile * distances.Length));
        Selection.Select(distances, k);
        return distances[k];
    }

    private IEnumerable<SpoofingVerdict> DenseClusters(WitnessGraph graph)
    {
        // Every node's neighbourhood is measured independently (the graph is only read): in parallel, reported in node order.
        // The closed neighbourhood's size is the degree + 1 (no self-loops): most hotspots of a busy epoch have far more
        // peers than a cluster may, and their O(degree²) shape is not worth computing.
        var nodes = graph.Nodes.Where(id => graph.DegreeOf(id) + 1 is var size && size >= options.MinClusterSize && size <= options.MaxClusterSize).ToArray();
        var shapes = new (int Size, double Density, double ExternalEdgeRatio)[nodes.Length];
        Parallel.For(0, nodes.Length, i => shapes[i] = graph.NeighbourhoodShape(nodes[i]));
        for (var i = 0; i < nodes.Length; i++)
        {
            var id = nodes[i];
            var (size, density, externalRatio) = shapes[i];
            if (size >= options.MinClusterSize && size <= options.MaxClusterSize && density >= options.MinClusterDensity && externalRatio <= options.MaxExternalEdgeRatio)
            {
                yield return new SpoofingVerdict(id, SpoofingCheck.WitnessGraph, EvidenceStrength.Strong, 1, 1,
                    string.Create(CultureInfo.InvariantCulture, $"witness_graph_dense_cluster: {size} hotspots, density {density:0.00}, external edge ratio {externalRatio:0.00}"));
            }
        }
    }

    /// <summary>
    /// Near-identical RSSI to every peer, over links that are not censored only: heard comfortably above sensitivity, and
    /// predicted above it by the epoch's path-loss model. A link the model puts below sensitivity is heard only with lucky
    /// shadowing, so its RSSI is squeezed between the sensitivity floor and the top of the shadowing distribution: on the devnet,
    /// hotspots of a satellite town 20 km from the core heard dozens of core hotspots all within ±1 dB of −125 dBm. That is
    /// censoring, not a room.
    /// </summary>
    private IEnumerable<SpoofingVerdict> UniformRssi(EpochLinks epoch, Func<PocLink, double>? predictedMarginDb)
    {
        var links = epoch.LinkArray;
        var judged = new bool[links.Length];
        ParallelChunks.For(links.Length, (start, end) =>
        {
            for (var i = start; i < end; i++)
            {
                var link = links[i];
                judged[i] = link.Rate is { } rate
                    && !(link.Report.SignalDeciDbm / 10.0 < LinkBudget.Sensitivity(rate, options.NoiseFigureDb).Value + options.UniformityMinMarginDb)
                    && !(predictedMarginDb is not null && predictedMarginDb(link) < options.UniformityMinPredictedMarginDb);
            }
        });

        // Each judged link counts for both ends: entries per hotspot (counting sort by index, link order kept within).
        var ids = epoch.HotspotIds;
        var starts = new int[ids.Count + 1];
        for (var i = 0; i < links.Length; i++)
        {
            if (judged[i])
            {
                starts[links[i].BeaconerIndex + 1]++;
                starts[links[i].WitnessIndex + 1]++;
            }
        }

        for (var h = 0; h < ids.Count; h++)
        {
            starts[h + 1] += starts[h];
        }

        var peers = new int[starts[ids.Count]];
        var rssis = new double[peers.Length];
        var fill = starts[..^1];
        for (var i = 0; i < links.Length; i++)
        {
            if (judged[i])
            {
                var rssi = links[i].Report.SignalDeciDbm / 10.0;
                var (b, w) = (links[i].BeaconerIndex, links[i].WitnessIndex);
                (peers[fill[b]], rssis[fill[b]++]) = (w, rssi);
                (peers[fill[w]], rssis[fill[w]++]) = (b, rssi);
            }
        }

        var verdicts = new SpoofingVerdict?[ids.Count];
        ParallelChunks.For(ids.Count, HotspotsPerChunk, (start, end) =>
        {
            for (var h = start; h < end; h++)
            {
                verdicts[h] = JudgeUniformity(ids[h], peers.AsSpan(starts[h], starts[h + 1] - starts[h]), rssis.AsSpan(starts[h], starts[h + 1] - starts[h]));
            }
        });

        return verdicts.OfType<SpoofingVerdict>();
    }

    private const int HotspotsPerChunk = 1 << 10;

    /// <summary>
    /// One hotspot's uniformity: its peers in order of their first judged link, each peer's mean RSSI over its links in link
    /// order (the order the sums run in), then mean and sample standard deviation of those means.
    /// </summary>
    private SpoofingVerdict? JudgeUniformity(string id, ReadOnlySpan<int> peers, ReadOnlySpan<double> rssis)
    {
        if (peers.Length == 0)
        {
            return null;
        }

        // Sorting (peer, position) groups each peer's entries in link order; groups are then put in first-appearance order.
        var order = new (int Peer, int Position)[peers.Length];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = (peers[i], i);
        }

        Array.Sort(order);
        var groups = new List<(int First, int Start, int Length)>();
        for (var start = 0; start < order.Length;)
        {
            var end = start + 1;
            while (end < order.Length && order[end].Peer == order[start].Peer)
            {
                end++;
            }

            groups.Add((order[start].Position, start, end - start));
            start = end;
        }

        if (groups.Count < options.MinPeersForUniformity)
        {
            return null;
        }

        groups.Sort((a, b) => a.First.CompareTo(b.First));
        var means = new double[groups.Count];
        for (var g = 0; g < groups.Count; g++)
        {
            var values = new double[groups[g].Length];
            for (var j = 0; j < values.Length; j++)
            {
                values[j] = rssis[order[groups[g].Start + j].Position];
            }

            means[g] = values.Average();
        }

        var mean = means.Average();
        var std = Math.Sqrt(means.Sum(m => (m - mean) * (m - mean)) / (means.Length - 1));
        if (!(std < options.MaxUniformRssiStdDb))
        {
            return null;
        }

        // Weak: even above the censoring cut, links heard only at the top of a clipped shadowing distribution pile up
        // (devnet: honest hotspots with 4–16 peers within 2 dB of −122 dBm, 15 dB above sensitivity). A room cluster is
        // caught strongly by being an island or a cut-off clique, or by TDoA when it is audible.
        return new SpoofingVerdict(id, SpoofingCheck.WitnessGraph, EvidenceStrength.Weak, 1, 1,
            string.Create(CultureInfo.InvariantCulture, $"witness_graph_uniform_rssi: {groups.Count} peers within std {std:0.0} dB of {mean:0.0} dBm"));
    }
}

/// <summary>
/// An undirected simple graph of hotspot ids with deterministic (ordinal) iteration. Built once, then read only (safe to
/// query from several threads): nodes are numbered in ordinal id order and each adjacency is a sorted array of numbers, so
/// neighbourhood measures cost integer comparisons rather than string hashing and tree walks.
/// </summary>
public sealed class WitnessGraph
{
    private readonly string[] _ids;
    private readonly Dictionary<string, int> _index;
    private readonly int[][] _adjacency;

    private WitnessGraph(string[] ids, Dictionary<string, int> index, int[][] adjacency)
    {
        _ids = ids;
        _index = index;
        _adjacency = adjacency;
    }

    /// <summary>Every hotspot with at least one edge, in ordinal order.</summary>
    public IEnumerable<string> Nodes => _ids;

    public static WitnessGraph From(IEnumerable<(string A, string B)> edges)
    {
        ArgumentNullException.ThrowIfNull(edges);
        var neighbours = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var (a, b) in edges)
        {
            if (!string.Equals(a, b, StringComparison.Ordinal))
            {
                Set(neighbours, a).Add(b);
                Set(neighbours, b).Add(a);
            }
        }

        var ids = neighbours.Keys.ToArray();
        Array.Sort(ids, StringComparer.Ordinal);
        var index = new Dictionary<string, int>(ids.Length, StringComparer.Ordinal);
        for (var i = 0; i < ids.Length; i++)
        {
            index[ids[i]] = i;
        }

        var adjacency = new int[ids.Length][];
        for (var i = 0; i < ids.Length; i++)
        {
            var row = neighbours[ids[i]].Select(n => index[n]).ToArray();
            Array.Sort(row);
            adjacency[i] = row;
        }

        return new WitnessGraph(ids, index, adjacency);
    }

    /// <summary>
    /// The graph of an epoch's links, built on its hotspot numbering: both directions of every link bucketed per hotspot
    /// (counting sort), each bucket sorted and deduplicated in parallel, then hotspots without edges dropped from the numbering.
    /// The same graph <see cref="From(IEnumerable{ValueTuple{string, string}})"/> builds from the links' id pairs.
    /// </summary>
    public static WitnessGraph From(EpochLinks epoch)
    {
        ArgumentNullException.ThrowIfNull(epoch);
        var hotspots = epoch.HotspotIds.Count;
        var starts = new int[hotspots + 1];
        foreach (var beacon in epoch.Beacons)
        {
            foreach (var link in beacon.Links)
            {
                starts[link.BeaconerIndex + 1]++;
                starts[link.WitnessIndex + 1]++;
            }
        }

        for (var h = 0; h < hotspots; h++)
        {
            starts[h + 1] += starts[h];
        }

        var ends = new int[starts[hotspots]];
        var fill = starts[..^1];
        foreach (var beacon in epoch.Beacons)
        {
            foreach (var link in beacon.Links)
            {
                ends[fill[link.BeaconerIndex]++] = link.WitnessIndex;
                ends[fill[link.WitnessIndex]++] = link.BeaconerIndex;
            }
        }

        // Links never join a hotspot to itself (EpochLinks drops them), so every bucket entry is an edge.
        var distinct = new int[hotspots][];
        Parallel.For(0, (hotspots + 1023) / 1024, c =>
        {
            for (var h = c * 1024; h < Math.Min(hotspots, (c + 1) * 1024); h++)
            {
                var bucket = ends.AsSpan(starts[h], starts[h + 1] - starts[h]);
                bucket.Sort();
                var count = 0;
                for (var i = 0; i < bucket.Length; i++)
                {
                    if (i == 0 || bucket[i] != bucket[i - 1])
                    {
                        bucket[count++] = bucket[i];
                    }
                }

                distinct[h] = bucket[..count].ToArray();
            }
        });

        var node = new int[hotspots];
        var ids = new List<string>();
        for (var h = 0; h < hotspots; h++)
        {
            node[h] = distinct[h].Length > 0 ? ids.Count : -1;
            if (node[h] >= 0)
            {
                ids.Add(epoch.HotspotIds[h]);
            }
        }

        var adjacency = new int[ids.Count][];
        var index = new Dictionary<string, int>(ids.Count, StringComparer.Ordinal);
        for (var h = 0; h < hotspots; h++)
        {
            if (node[h] >= 0)
            {
                // Renumbering keeps the order (it skips hotspots without edges only), so each row stays sorted.
                adjacency[node[h]] = Array.ConvertAll(distinct[h], n => node[n]);
                index[epoch.HotspotIds[h]] = node[h];
            }
        }

        return new WitnessGraph([.. ids], index, adjacency);
    }

    /// <summary>Number of neighbours (0 for an id not in the graph).</summary>
    public int DegreeOf(string id) => _index.TryGetValue(id, out var node) ? _adjacency[node].Length : 0;

    public IReadOnlySet<string> NeighboursOf(string id)
    {
        var set = new SortedSet<string>(StringComparer.Ordinal);
        if (_index.TryGetValue(id, out var node))
        {
            foreach (var n in _adjacency[node])
            {
                set.Add(_ids[n]);
            }
        }

        return set;
    }

    /// <summary>Connected components (breadth-first), each sorted, in order of their smallest id.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Components()
    {
        var seen = new bool[_ids.Length];
        var result = new List<IReadOnlyList<string>>();
        var queue = new Queue<int>();
        for (var start = 0; start < _ids.Length; start++)
        {
            if (seen[start])
            {
                continue;
            }

            seen[start] = true;
            var members = new List<int> { start };
            queue.Enqueue(start);
            while (queue.TryDequeue(out var node))
            {
                foreach (var next in _adjacency[node])
                {
                    if (!seen[next])
                    {
                        seen[next] = true;
                        members.Add(next);
                        queue.Enqueue(next);
                    }
                }
            }

            // Numbers follow ordinal id order, so sorting the numbers sorts the ids.
            members.Sort();
            result.Add(members.Select(m => _ids[m]).ToList());
        }

        return result;
    }

    /// <summary>Size, edge density and external edge ratio of the closed neighbourhood {id} ∪ neighbours(id).</summary>
    public (int Size, double Density, double ExternalEdgeRatio) NeighbourhoodShape(string id)
    {
        if (!_index.TryGetValue(id, out var node))
        {
            return (1, 0, 0);
        }

        // The closed neighbourhood as a sorted array: membership by binary search.
        var open = _adjacency[node];
        var members = new int[open.Length + 1];
        var insertAt = ~Array.BinarySearch(open, node);
        open.AsSpan(0, insertAt).CopyTo(members);
        members[insertAt] = node;
        open.AsSpan(insertAt).CopyTo(members.AsSpan(insertAt + 1));

        var internalEndpoints = 0;
        var external = 0;
        foreach (var m in members)
        {
            foreach (var n in _adjacency[m])
            {
                if (Array.BinarySearch(members, n) >= 0)
                {
                    internalEndpoints++;
                }
                else
                {
                    external++;
                }
            }
        }

        var internalEdges = internalEndpoints / 2;
        var possible = members.Length * (members.Length - 1) / 2;
        var density = possible == 0 ? 0 : (double)internalEdges / possible;
        var touching = internalEdges + external;
        return (members.Length, density, touching == 0 ? 0 : (double)external / touching);
    }

    private static HashSet<string> Set(Dictionary<string, HashSet<string>> map, string id)
    {
        if (!map.TryGetValue(id, out var set))
        {
            map[id] = set = new HashSet<string>(StringComparer.Ordinal);
        }

        return set;
    }
}
