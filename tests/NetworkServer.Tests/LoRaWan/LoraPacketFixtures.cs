using System.Text.Json;
using System.Text.Json.Serialization;
using DePin.Wireless.TestSupport;

namespace DePin.Wireless.NetworkServer.Tests.LoRaWan;

/// <summary>The committed oracle output of tests/fixtures/lorawan/generate.mjs (lora-packet 0.9.3); no Node at test time.</summary>
public sealed class LoraPacketFixtures
{
    private static readonly Lazy<LoraPacketFixtures> Loaded = new(Load);

    public static LoraPacketFixtures Instance => Loaded.Value;

    public required IReadOnlyList<DataCase> Data { get; init; }

    public required IReadOnlyList<JoinRequestCase> JoinRequests { get; init; }

    public required IReadOnlyList<JoinAcceptCase> JoinAccepts { get; init; }

    public required IReadOnlyList<FOpts11Case> FOpts11 { get; init; }

    public static TheoryData<int> Indexes(Func<LoraPacketFixtures, int> count)
    {
        var data = new TheoryData<int>();
        for (var i = 0; i < count(Instance); i++)
        {
            data.Add(i);
        }

        return data;
    }

    private static LoraPacketFixtures Load()
    {
        var path = RepoPaths.Combine("tests", "fixtures", "lorawan", "lorawan-fixtures.json");
        var options = new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };
        return JsonSerializer.Deserialize<LoraPacketFixtures>(File.ReadAllText(path), options) ?? throw new InvalidOperationException($"{path} is empty");
    }

    public sealed record DataCase(
        string Mtype, string DevAddr, string NwkSKey, string AppSKey, uint FCnt32, bool Adr, bool AdrAckReq, bool Ack,
        bool FPendingOrClassB, string FOpts, byte? FPort, string Plaintext, string Mic, string Phy);

    public sealed record JoinRequestCase(string AppKey, string JoinEui, string DevEui, ushort DevNonce, string Mic, string Phy);

    public sealed record JoinAcceptCase(
        string AppKey, string NwkKey, uint JoinNonce, string NetId, string DevAddr, byte DlSettings, byte RxDelay, string CfList,
        string PlainPhy, string Phy, string Mic, ushort DevNonce, string JoinEui, string NwkSKey, string AppSKey,
        string FNwkSIntKey, string SNwkSIntKey, string NwkSEncKey, [property: JsonPropertyName("appSKey11")] string AppSKey11);

    public sealed record FOpts11Case(string Direction, string DevAddr, string NwkSEncKey, uint FCnt32, [property: JsonPropertyName("aFCntDown")] bool AFCntDown, string FOpts, string Encrypted);
}
