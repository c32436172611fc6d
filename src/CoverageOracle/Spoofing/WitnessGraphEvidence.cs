using System.Globalization;

namespace DePin.Wireless.CoverageOracle.Spoofing;

/// <summary>
/// Structure of the epoch's graph of valid witness links (undirected: beaconer — witness).
/// <list type="bullet">
/// <item>Islands: small components while a large mesh exists: hotspots that only witness each other.</item>
/// <item>Dense cut-off clusters: a hotspot's closed neighbourhood that is nearly a clique with almost no edges leaving it
/// (external edge ratio = edges leaving / all edges touching the neighbourhood).</item>
/// <item>Uniform RSSI: near-identical mean RSSI to every peer although the asserted distances differ: radios in one room
/// behind attenuators, not hotspots spread over a town with shadowing between them.</item>
/// </list>
/// </summary>
public sealed class WitnessGraphEvidence(WitnessGraphOptions options)
{
    public IReadOnlyList<SpoofingVerdict> Analyze(EpochLinks epoch)
    {
        ArgumentNullException.ThrowIfNull(epoch);
        var graph = WitnessGraph.From(epoch.AllLinks.Select(l => (l.Beaconer.Id, l.Witness.Id)));
        return Islands(graph).Concat(DenseClusters(graph)).Concat(UniformRssi(epoch)).ToList();
    }

    private IEnumerable<SpoofingVerdict> Islands(WitnessGraph graph)
    {
        var components = graph.Components();
        var largest = components.Count == 0 ? 0 : components.Max(c => c.Count);
        if (largest < options.MinMeshSize)
        {
            yield break;
        }

        foreach (var component in components.Where(c => c.Count <= options.MaxIslandSize))
        {
            foreach (var id in component)
            {
                yield return new SpoofingVerdict(id, SpoofingCheck.WitnessGraph, EvidenceStrength.Strong, 1, 1,
                    string.Create(CultureInfo.InvariantCulture, $"witness_graph_island: component of {component.Count} hotspots apart from a mesh of {largest}"));
            }
        }
    }

    private IEnumerable<SpoofingVerdict> DenseClusters(WitnessGraph graph)
    {
        foreach (var id in graph.Nodes)
        {
            var (size, density, externalRatio) = graph.NeighbourhoodShape(id);
            if (size >= options.MinClusterSize && size <= options.MaxClusterSize && density >= options.MinClusterDensity && externalRatio <= options.MaxExternalEdgeRatio)
            {
                yield return new SpoofingVerdict(id, SpoofingCheck.WitnessGraph, EvidenceStrength.Strong, 1, 1,
                    string.Create(CultureInfo.InvariantCulture, $"witness_graph_dense_cluster: {size} hotspots, density {density:0.00}, external edge ratio {externalRatio:0.00}"));
            }
        }
    }

    private IEnumerable<SpoofingVerdict> UniformRssi(EpochLinks epoch)
    {
        var perPeer = new Dictionary<string, Dictionary<string, List<double>>>(StringComparer.Ordinal);
        foreach (var link in epoch.AllLinks)
        {
            var rssi = link.Report.SignalDeciDbm / 10.0;
            Add(perPeer, link.Beaconer.Id, link.Witness.Id, rssi);
            Add(perPeer, link.Witness.Id, link.Beaconer.Id, rssi);
        }

        foreach (var (id, peers) in perPeer.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            if (peers.Count < options.MinPeersForUniformity)
            {
                continue;
            }

            var means = peers.Values.Select(v => v.Average()).ToArray();
            var mean = means.Average();
            var std = Math.Sqrt(means.Sum(m => (m - mean) * (m - mean)) / (means.Length - 1));
            if (std < options.MaxUniformRssiStdDb)
            {
                yield return new SpoofingVerdict(id, SpoofingCheck.WitnessGraph, EvidenceStrength.Strong, 1, 1,
                    string.Create(CultureInfo.InvariantCulture, $"witness_graph_uniform_rssi: {peers.Count} peers within std {std:0.0} dB of {mean:0.0} dBm"));
            }
        }
    }

    private static void Add(Dictionary<string, Dictionary<string, List<double>>> map, string id, string peer, double rssi)
    {
        if (!map.TryGetValue(id, out var peers))
        {
            map[id] = peers = new Dictionary<string, List<double>>(StringComparer.Ordinal);
        }

        if (!peers.TryGetValue(peer, out var list))
        {
            peers[peer] = list = [];
        }

        list.Add(rssi);
    }
}

/// <summary>An undirected simple graph of hotspot ids with deterministic (ordinal) iteration.</summary>
public sealed class WitnessGraph
{
    private readonly SortedDictionary<string, SortedSet<string>> _adjacency = new(StringComparer.Ordinal);

    public IEnumerable<string> Nodes => _adjacency.Keys;

    public static WitnessGraph From(IEnumerable<(string A, string B)> edges)
    {
        var g = new WitnessGraph();
        foreach (var (a, b) in edges)
        {
            if (!string.Equals(a, b, StringComparison.Ordinal))
            {
                g.Neighbours(a).Add(b);
                g.Neighbours(b).Add(a);
            }
        }

        return g;
    }

    public IReadOnlySet<string> NeighboursOf(string id) => _adjacency.TryGetValue(id, out var n) ? n : new SortedSet<string>(StringComparer.Ordinal);

    /// <summary>Connected components (breadth-first), each sorted, in order of their smallest id.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Components()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<IReadOnlyList<string>>();
        foreach (var start in _adjacency.Keys)
        {
            if (!seen.Add(start))
            {
                continue;
            }

            var component = new List<string> { start };
            var queue = new Queue<string>([start]);
            while (queue.TryDequeue(out var node))
            {
                foreach (var next in _adjacency[node].Where(seen.Add))
                {
                    component.Add(next);
                    queue.Enqueue(next);
                }
            }

            component.Sort(StringComparer.Ordinal);
            result.Add(component);
        }

        return result;
    }

    /// <summary>Size, edge density and external edge ratio of the closed neighbourhood {id} ∪ neighbours(id).</summary>
    public (int Size, double Density, double ExternalEdgeRatio) NeighbourhoodShape(string id)
    {
        var members = new HashSet<string>(NeighboursOf(id), StringComparer.Ordinal) { id };
        var internalEndpoints = 0;
        var external = 0;
        foreach (var m in members)
        {
            foreach (var n in NeighboursOf(m))
            {
                if (members.Contains(n))
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
        var possible = members.Count * (members.Count - 1) / 2;
        var density = possible == 0 ? 0 : (double)internalEdges / possible;
        var touching = internalEdges + external;
        return (members.Count, density, touching == 0 ? 0 : (double)external / touching);
    }

    private SortedSet<string> Neighbours(string id)
    {
        if (!_adjacency.TryGetValue(id, out var set))
        {
            _adjacency[id] = set = new SortedSet<string>(StringComparer.Ordinal);
        }

        return set;
    }
}
