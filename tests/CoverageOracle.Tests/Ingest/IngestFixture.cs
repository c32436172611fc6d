using DePin.Wireless.Core.Identity;
using DePin.Wireless.Proto;
using Google.Protobuf;

namespace DePin.Wireless.CoverageOracle.Tests.Ingest;

/// <summary>Signed reports by a test hotspot, and the registry file that onboards it.</summary>
internal static class SignedReports
{
    public static KeyPair HotspotKey(string label = "hotspot-1") => KeyPair.Generate(KeyType.Ed25519, SeededRandomSource.FromLabel(label));

    public static BeaconReport Beacon(KeyPair key) => new()
    {
        HotspotKey = ByteString.CopyFrom(key.PublicKey.Bytes),
        LocalEntropy = ByteString.CopyFrom(1, 2, 3, 4),
        RemoteEntropy = ByteString.CopyFrom(new byte[32]),
        RemoteEntropyTimestampS = 1_700_000_000,
        Data = ByteString.CopyFrom(Enumerable.Range(0, 51).Select(i => (byte)i).ToArray()),
        FrequencyHz = 903_900_000,
        Datarate = "SF9BW125",
        TxPowerDdbm = 270,
    };

    public static WitnessReport Witness(KeyPair key) => new()
    {
        HotspotKey = ByteString.CopyFrom(key.PublicKey.Bytes),
        Data = ByteString.CopyFrom(Enumerable.Range(0, 51).Select(i => (byte)i).ToArray()),
        SignalDdbm = -900,
        SnrCdb = 550,
        FrequencyHz = 903_900_000,
        Datarate = "SF9BW125",
    };

    /// <summary>A registry file onboarding <paramref name="keys"/> (US915, asserted in Amsterdam).</summary>
    public static string RegistryJson(params KeyPair[] keys)
    {
        var entries = keys.Select(k =>
            $$"""{"public_key":"{{Convert.ToHexString(k.PublicKey.Bytes)}}","owner":"o","region":"US915","capability":"full","location":"8c1969053e2d9ff","gain_deci_dbi":30,"elevation_m":5}""");
        return $$"""{"hotspots":[{{string.Join(',', entries)}}]}""";
    }
}
