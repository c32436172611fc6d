using System.Numerics;
using DePin.Wireless.Core.Identity;
using DePin.Wireless.CoverageOracle.Rewards;
using DePin.Wireless.CoverageOracle.Spoofing;
using DePin.Wireless.Proto;
using DePin.Wireless.TestSupport;
using Google.Protobuf;

namespace DePin.Wireless.CoverageOracle.Tests.Spoofing;

public sealed class SpoofingRewardAdjustmentTests
{
    private static HotspotSpoofingResult Result(string id, bool penalised, double multiplier) =>
        new(id, [], new TrustState(multiplier, 0), multiplier, penalised, penalised ? ["test"] : []);

    private static SpoofingReport Report(params HotspotSpoofingResult[] hotspots) =>
        new(hotspots, new SpoofingSummary(hotspots.Length, hotspots.Count(h => h.Penalised), new Dictionary<SpoofingCheck, int>(), 0, 0));

    [Fact]
    public void Penalised_hotspots_lose_poc_shares_by_their_trust_and_keep_data_transfer()
    {
        var shares = new[] { new HotspotShares("honest", 2.0, 3.0, 10), new HotspotShares("weak", 2.0, 3.0, 10), new HotspotShares("spoofer", 2.0, 3.0, 10) };
        var report = Report(Result("honest", false, 1.0), Result("weak", false, 0.7), Result("spoofer", true, 0.4));

        var adjusted = SpoofingRewardAdjustment.Apply(shares, report);

        Assert.Equal(shares[0], adjusted[0]);
        Assert.Equal(shares[1], adjusted[1]); // weak evidence above the penalty line costs nothing
        Assert.Equal(new HotspotShares("spoofer", 0.8, 1.2000000000000002, 10), adjusted[2]);

        // The withheld part goes to the others: the emission is still paid in full.
        var paid = EpochRewardCalculator.Compute(1_000_000, adjusted, new RewardPoolOptions());
        var unadjusted = EpochRewardCalculator.Compute(1_000_000, shares, new RewardPoolOptions());
        Assert.Equal(paid.Rewards.Aggregate(BigInteger.Zero, (a, r) => a + r.Total), unadjusted.Rewards.Aggregate(BigInteger.Zero, (a, r) => a + r.Total));
        Assert.True(paid.Rewards.Single(r => r.Hotspot == "spoofer").Total < unadjusted.Rewards.Single(r => r.Hotspot == "spoofer").Total);
        Assert.True(paid.Rewards.Single(r => r.Hotspot == "honest").Total > unadjusted.Rewards.Single(r => r.Hotspot == "honest").Total);
    }

    [Fact]
    public void Stored_verification_outputs_become_the_analyzers_input()
    {
        using var beaconer = KeyPair.Generate(KeyType.Ed25519, SeededRandomSource.FromLabel("adj-beaconer"));
        using var witness = KeyPair.Generate(KeyType.Ed25519, SeededRandomSource.FromLabel("adj-witness"));
        var beacon = new BeaconReport { Data = ByteString.CopyFrom(1, 2, 3), FrequencyHz = 867_100_000, Datarate = "SF12BW125", TxPowerDdbm = 160 };
        var heard = new WitnessReport { Data = ByteString.CopyFrom(1, 2, 3), SignalDdbm = -1123, SnrCdb = -550, FrequencyHz = 867_100_000, Datarate = "SF12BW125", TimestampNs = 1_700_000_000_000_000_000 };
        var poc = new VerifiedPoc
        {
            Beaconer = beaconer.PublicKey.ToAddress(),
            Beacon = new IngestRecord { ReceivedMs = 1_700_000_000_500, Envelope = new SignedEnvelope { SignerKey = ByteString.CopyFrom(beaconer.PublicKey.Bytes), Payload = beacon.ToByteString() } },
        };
        poc.Witnesses.Add(new VerifiedWitnessRecord
        {
            Hotspot = witness.PublicKey.ToAddress(),
            Selected = true,
            Report = new IngestRecord { ReceivedMs = 1_700_000_000_900, Envelope = new SignedEnvelope { SignerKey = ByteString.CopyFrom(witness.PublicKey.Bytes), Payload = heard.ToByteString() } },
        });

        var result = Assert.Single(SpoofingRewardAdjustment.ResultsFrom([poc]));

        Assert.True(result.BeaconValid);
        Assert.Equal(beaconer.PublicKey.ToAddress(), result.Beacon.HotspotId);
        var w = Assert.Single(result.Witnesses);
        Assert.True(w.IsValid);
        Assert.True(w.Selected);
        Assert.Equal((witness.PublicKey.ToAddress(), -1123, -550), (w.Report.HotspotId, w.Report.SignalDeciDbm, w.Report.SnrCentiDb));
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_900), w.Report.Received);
    }
}
