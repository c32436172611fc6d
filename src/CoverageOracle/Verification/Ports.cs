namespace DePin.Wireless.CoverageOracle.Verification;

/// <summary>Geometry the checks need from the hex grid (implemented over H3).</summary>
public interface IPocGeometry
{
    /// <summary>Grid distance between the parents of two cells at a resolution; null when H3 cannot tell (e.g. across a pentagon or very far).</summary>
    int? GridDistance(ulong cellA, ulong cellB, int resolution);

    /// <summary>Great-circle distance in metres between two cells' centres.</summary>
    double CenterDistanceMeters(ulong cellA, ulong cellB);
}

/// <summary>The beacon a hotspot should have sent for given entropy: regenerated with the function hotspots use.</summary>
public interface IBeaconRegenerator
{
    ExpectedBeacon Regenerate(HotspotInfo beaconer, EntropyRecord remoteEntropy, ReadOnlySpan<byte> localEntropy);
}

public sealed record ExpectedBeacon(byte[] Data, long FrequencyHz, string DataRate);

/// <summary>Read-only view of what the verifier needs to know beyond the reports themselves.</summary>
public interface IVerifierLookups
{
    HotspotInfo? FindHotspot(string id);

    bool IsDenied(string id);

    bool IsEdgeDenied(string a, string b);

    EntropyRecord? FindEntropy(ReadOnlySpan<byte> data);
}
