using DePin.Wireless.DataCredits.Evm;

namespace DePin.Wireless.DataCredits.Ledger;

/// <summary>An organisation (OUI) and the payer whose DC balance pays for its packets (iot_config.proto "org").</summary>
public sealed record Organisation(ulong Oui, PayerKey Payer, int MaxCopies, bool Locked)
{
    public void Validate()
    {
        if (MaxCopies < 1)
        {
            throw new ArgumentException($"max_copies must be at least 1, got {MaxCopies}", nameof(MaxCopies));
        }
    }
}

/// <summary>An organisation with its payer's balance and whether packets are routed (not locked and balance ≥ minimum).</summary>
public sealed record OrganisationStatus(Organisation Organisation, long BalanceDc, bool Enabled);

/// <summary>One confirmed DataCreditsBurned log converted to DC, identified by (transaction hash, log index).</summary>
public sealed record BurnCredit(Hash32 TransactionHash, ulong LogIndex, ulong BlockNumber, Hash32 BlockHash, PayerKey Payer, System.Numerics.BigInteger TokenAmount, long Dc);

/// <summary>Where the burn sync has got to for one token contract, plus recent block hashes for re-org detection.</summary>
public sealed record SyncCheckpoint(ulong BlockNumber, Hash32 BlockHash);

/// <summary>Everything one sync step writes, applied atomically.</summary>
public sealed record SyncBatch(string Source, IReadOnlyList<BurnCredit> Credits, SyncCheckpoint Checkpoint, IReadOnlyList<SyncCheckpoint> Blocks);

/// <summary>A request to pay for one copy of a packet heard by one hotspot.</summary>
public sealed record PacketCharge(Hash32 PacketHash, ulong Oui, string Hotspot, long Dc, long Epoch);

public enum ChargeOutcome
{
    /// <summary>The copy was bought; the hotspot earns a data-transfer share.</summary>
    Charged,

    /// <summary>max_copies copies of this packet were already bought for this organisation.</summary>
    CopyLimitReached,

    /// <summary>This hotspot's copy of the packet was already charged (a retry); nothing charged again.</summary>
    DuplicateCopy,

    /// <summary>The payer cannot cover the packet.</summary>
    InsufficientBalance,

    /// <summary>The organisation is locked or its payer is below the minimum balance; HPR stops routing it.</summary>
    OrganisationDisabled,

    UnknownOrganisation,
}

public sealed record ChargeResult(ChargeOutcome Outcome, long BalanceDc, bool OrganisationEnabled);

/// <summary>DC earned by one hotspot for bought packet copies in one epoch (iot_verifier GatewayDCShare).</summary>
public sealed record HotspotDataTransferShare(string Hotspot, long Epoch, long Dc, long Packets);

public sealed class LedgerOptions
{
    /// <summary>iot_packet_verifier minimum_allowed_balance default: 3,500,000 DC ($35). Reference section 4.</summary>
    public long MinimumBalanceDc { get; set; } = 3_500_000;

    /// <summary>How many recent block hashes the sync keeps to find the fork point after a re-org.</summary>
    public int RecentBlocksKept { get; set; } = 256;
}
