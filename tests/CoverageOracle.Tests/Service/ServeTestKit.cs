using System.Text.Json;
using DePin.Wireless.Core.H3;
using DePin.Wireless.Core.Identity;
using DePin.Wireless.Core.Physics;
using DePin.Wireless.Core.Poc;
using DePin.Wireless.CoverageOracle.Adapters;
using DePin.Wireless.CoverageOracle.Rewards;
using DePin.Wireless.CoverageOracle.Service;
using DePin.Wireless.Proto;
using Google.Protobuf;

namespace DePin.Wireless.CoverageOracle.Tests.Service;

/// <summary>
/// What the serve tests share: a registry file of US915 hotspots, starting a server until it listens, the beacon a
/// hotspot must send for the oracle's entropy and a witness of it, and waiting for an epoch on the map API.
/// </summary>
internal static class ServeTestKit
{
    /// <summary>Writes a registry file onboarding each hotspot (full capability, 3 dBi, 5 m) at its position.</summary>
    public static Task WriteRegistryAsync(string path, params (KeyPair Key, GeoPoint At)[] hotspots)
    {
        static string Entry(KeyPair key, GeoPoint at) =>
            $$"""{"public_key":"{{Convert.ToHexString(key.PublicKey.Bytes)}}","owner":"o","region":"US915","capability":"full","location":"{{H3Grid.LatLngToCell(at.LatitudeDegrees, at.LongitudeDegrees, 12)}}","gain_deci_dbi":30,"elevation_m":5}""";
        return File.WriteAllTextAsync(path, $$"""{"hotspots":[{{string.Join(",", hotspots.Select(h => Entry(h.Key, h.At)))}}]}""");
    }

    /// <summary>Runs the server until <paramref name="cancellationToken"/>; returns once it listens.</summary>
    public static async Task<Task> StartAsync(OracleServer server, Action<Exception> errors, CancellationToken cancellationToken)
    {
        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var run = server.RunAsync(errors, () => listening.SetResult(), cancellationToken);
        await listening.Task.WaitAsync(TimeSpan.FromSeconds(30));
        return run;
    }

    /// <summary>The oracle's current entropy, from GET /v1/entropy.</summary>
    public static async Task<Entropy> EntropyAsync(HttpClient http) =>
        Entropy.Parser.ParseFrom(SignedEnvelope.Parser.ParseFrom(await http.GetByteArrayAsync("/v1/entropy")).Payload);

    /// <summary>The beacon <paramref name="beaconer"/> must send for <paramref name="entropy"/> (US915 plan, fixed local entropy), with its report.</summary>
    public static (Beacon Beacon, string DataRate, BeaconReport Report) Beacon(KeyPair beaconer, Entropy entropy)
    {
        var (radio, dataRate) = new BeaconRegenerator().PlanFor("US915");
        var local = new byte[] { 4, 3, 2, 1 };
        var beacon = BeaconPayload.Generate(entropy.Data.ToByteArray(), entropy.TimestampS, local, radio);
        return (beacon, dataRate, new BeaconReport
        {
            HotspotKey = ByteString.CopyFrom(beaconer.PublicKey.Bytes),
            LocalEntropy = ByteString.CopyFrom(local),
            RemoteEntropy = entropy.Data,
            RemoteEntropyTimestampS = entropy.TimestampS,
            Data = ByteString.CopyFrom(beacon.Data),
            FrequencyHz = (ulong)beacon.Frequency.Value,
            Datarate = dataRate,
            TxPowerDdbm = 270,
        });
    }

    /// <summary><paramref name="witness"/>'s report of hearing <paramref name="beacon"/> at −100 dBm, 7 dB SNR, at <paramref name="heardAt"/>.</summary>
    public static WitnessReport Witness(KeyPair witness, Beacon beacon, string dataRate, DateTimeOffset heardAt) => new()
    {
        HotspotKey = ByteString.CopyFrom(witness.PublicKey.Bytes),
        Data = ByteString.CopyFrom(beacon.Data),
        SignalDdbm = -1000,
        SnrCdb = 700,
        FrequencyHz = (ulong)beacon.Frequency.Value,
        Datarate = dataRate,
        TimestampNs = (ulong)heardAt.ToUnixTimeMilliseconds() * 1_000_000,
    };

    /// <summary>Polls /api/epochs until <paramref name="epoch"/> is published (60 s at most).</summary>
    public static async Task WaitForEpochAsync(HttpClient http, RewardEpoch epoch)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            using var epochs = JsonDocument.Parse(await http.GetStringAsync("/api/epochs"));
            if (epochs.RootElement.EnumerateArray().Any(e => e.GetProperty("epoch").GetInt64() == epoch.Number))
            {
                return;
            }

            await Task.Delay(100);
        }

        Assert.Fail($"epoch {epoch.Number} was not published within 60 s");
    }

    /// <summary>The properties of each hotspot of /api/hotspots for <paramref name="epoch"/>, by address.</summary>
    public static async Task<Dictionary<string, JsonElement>> HotspotsAsync(HttpClient http, RewardEpoch epoch)
    {
        using var hotspots = JsonDocument.Parse(await http.GetStringAsync($"/api/hotspots?epoch={epoch.Number}"));
        return hotspots.RootElement.GetProperty("features").EnumerateArray()
            .ToDictionary(f => f.GetProperty("properties").GetProperty("address").GetString()!, f => f.GetProperty("properties").Clone());
    }
}
