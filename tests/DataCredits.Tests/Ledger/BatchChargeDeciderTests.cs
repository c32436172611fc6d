using DePin.Wireless.DataCredits.Evm;
using DePin.Wireless.DataCredits.Ledger;

namespace DePin.Wireless.DataCredits.Tests.Ledger;

/// <summary>The pure batch decision, without a database: counters and balances carried from copy to copy.</summary>
public sealed class BatchChargeDeciderTests
{
    private static readonly PayerKey PayerA = new(new Hash32(Keccak.Hash256("decider-a")));
    private static readonly PayerKey PayerB = new(new Hash32(Keccak.Hash256("decider-b")));

    private static Hash32 Packet(int i) => new(Keccak.Hash256("decider-packet:" + i));

    private static BatchChargeSnapshot Snapshot(long balanceA, long balanceB)
    {
        var snapshot = new BatchChargeSnapshot();
        snapshot.Organisations[1] = new Organisation(1, PayerA, 2, false);
        snapshot.Organisations[2] = new Organisation(2, PayerB, 1, false);
        snapshot.Organisations[3] = new Organisation(3, PayerA, 1, true);
        snapshot.Balances[PayerA] = balanceA;
        snapshot.Balances[PayerB] = balanceB;
        return snapshot;
    }

    [Fact]
    public void Copies_already_bought_count_towards_max_copies_and_retries_are_duplicates()
    {
        var snapshot = Snapshot(100, 100);
        snapshot.AddBoughtCopy(Packet(0), 1, "h1");
        var decision = BatchChargeDecider.Decide(
        [
            new PacketCharge(Packet(0), 1, "h1", 3, 7), // bought in an earlier batch
            new PacketCharge(Packet(0), 1, "h2", 3, 7), // second and last copy
            new PacketCharge(Packet(0), 1, "h3", 3, 7), // over max_copies = 2
            new PacketCharge(Packet(0), 1, "h2", 3, 7), // retry inside the batch
            new PacketCharge(Packet(0), 2, "h3", 3, 7), // same packet, other organisation: its own counter
        ], snapshot, minimumBalance: 0);

        Assert.Equal(
            [ChargeOutcome.DuplicateCopy, ChargeOutcome.Charged, ChargeOutcome.CopyLimitReached, ChargeOutcome.DuplicateCopy, ChargeOutcome.Charged],
            decision.Results.Select(r => r.Outcome));
        Assert.Equal([100L, 97, 97, 97, 97], decision.Results.Select(r => r.BalanceDc));
        Assert.Equal(["h2", "h3"], decision.BoughtCopies.Select(c => c.Hotspot));
        Assert.Equal(97, decision.NewBalances[PayerA]);
        Assert.Equal(97, decision.NewBalances[PayerB]);
        Assert.Equal(["h1"], snapshot.BoughtCopies[(Packet(0), 1)]); // the snapshot is not modified
    }

    [Fact]
    public void Balance_runs_down_in_order_never_overdraws_and_disables_below_the_minimum()
    {
        var decision = BatchChargeDecider.Decide(
        [
            new PacketCharge(Packet(1), 1, "h1", 4, 0), // 10 -> 6, still enabled (minimum 5)
            new PacketCharge(Packet(2), 1, "h1", 4, 0), // 6 -> 2, now disabled
            new PacketCharge(Packet(3), 1, "h1", 1, 0), // disabled
            new PacketCharge(Packet(4), 3, "h1", 1, 0), // locked organisation of the same payer
            new PacketCharge(Packet(5), 9, "h1", 1, 0), // unknown organisation
        ], Snapshot(10, 0), minimumBalance: 5);

        Assert.Equal(
            [
                new ChargeResult(ChargeOutcome.Charged, 6, true),
                new ChargeResult(ChargeOutcome.Charged, 2, false),
                new ChargeResult(ChargeOutcome.OrganisationDisabled, 2, false),
                new ChargeResult(ChargeOutcome.OrganisationDisabled, 2, false),
                new ChargeResult(ChargeOutcome.UnknownOrganisation, 0, false),
            ],
            decision.Results);
        Assert.Equal(2, Assert.Single(decision.NewBalances).Value);
    }

    [Fact]
    public void Insufficient_balance_is_refused_and_nothing_is_recorded()
    {
        var decision = BatchChargeDecider.Decide([new PacketCharge(Packet(1), 2, "h1", 5, 0)], Snapshot(0, 4), minimumBalance: 0);

        Assert.Equal(new ChargeResult(ChargeOutcome.InsufficientBalance, 4, true), Assert.Single(decision.Results));
        Assert.Empty(decision.BoughtCopies);
        Assert.Empty(decision.NewBalances);
        Assert.Empty(decision.Shares);
    }

    [Fact]
    public void Shares_are_aggregated_per_epoch_and_hotspot_in_ordinal_order()
    {
        var decision = BatchChargeDecider.Decide(
        [
            new PacketCharge(Packet(1), 1, "b", 2, 5),
            new PacketCharge(Packet(2), 1, "a", 3, 5),
            new PacketCharge(Packet(3), 1, "b", 4, 5),
            new PacketCharge(Packet(4), 1, "B", 1, 5),
            new PacketCharge(Packet(5), 1, "a", 1, 4),
        ], Snapshot(100, 0), minimumBalance: 0);

        Assert.Equal(
            [new ShareIncrement(4, "a", 1, 1), new ShareIncrement(5, "B", 1, 1), new ShareIncrement(5, "a", 3, 1), new ShareIncrement(5, "b", 6, 2)],
            decision.Shares);
    }
}
