using DePin.Wireless.Core.Identity;
using DePin.Wireless.NetworkServer.Pipeline;

namespace DePin.Wireless.NetworkServer.Tests.Server;

public class HttpUplinkChargerTests
{
    [Fact]
    public async Task Charges_over_http_with_the_datacredits_contract_and_maps_refusals()
    {
        await using var stub = await DataCreditsStub.StartAsync();
        using var http = new HttpClient { BaseAddress = stub.Url };
        var charger = new HttpUplinkCharger(http);
        using var hotspot = KeyPair.Generate(KeyType.Ed25519, new SeededRandomSource([4]));
        var request = new ChargeRequest(PacketHash.Of([1, 2, 3]), 7, 23, hotspot.PublicKey);

        Assert.Equal(ChargeResult.BoughtFor(1), await charger.ChargeAsync(request, CancellationToken.None));
        var sent = Assert.Single(stub.Requests);
        Assert.Equal(PacketHash.Of([1, 2, 3]).ToString(), sent.GetProperty("packetHash").GetString());
        Assert.Equal((7, 23, hotspot.PublicKey.ToAddress()), (sent.GetProperty("oui").GetInt32(), sent.GetProperty("payloadSize").GetInt32(), sent.GetProperty("hotspot").GetString()));

        foreach (var (text, reason) in new[] { ("max_copies", NotBoughtReason.MaxCopies), ("no_balance", NotBoughtReason.NoBalance), ("org_disabled", NotBoughtReason.OrgDisabled) })
        {
            stub.Refuse = text;
            Assert.Equal(ChargeResult.NotBought(reason), await charger.ChargeAsync(request, CancellationToken.None));
        }

        stub.Refuse = "because";
        Assert.Contains("because", (await Assert.ThrowsAsync<FormatException>(() => charger.ChargeAsync(request, CancellationToken.None))).Message);
        stub.StatusCode = 503;
        Assert.Contains("503", (await Assert.ThrowsAsync<HttpRequestException>(() => charger.ChargeAsync(request, CancellationToken.None))).Message);
    }
}
