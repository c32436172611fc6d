using DePin.Wireless.DataCredits.Evm;
using DePin.Wireless.DataCredits.Ledger;

namespace DePin.Wireless.DataCredits.Charging;

/// <summary>One copy of an uplink heard by one hotspot, to be paid by the organisation that owns the route.</summary>
public sealed record ChargeRequest(Hash32 PacketHash, ulong Oui, int PayloadSize, string Hotspot)
{
    public const int MaxHotspotLength = 128;

    /// <summary>Throws an ArgumentException naming the bad field.</summary>
    public void Validate()
    {
        if (PayloadSize is < 0 or > 65535)
        {
            throw new ArgumentException($"payloadSize must be in [0, 65535], got {PayloadSize}", nameof(PayloadSize));
        }

        if (string.IsNullOrWhiteSpace(Hotspot) || Hotspot.Length > MaxHotspotLength)
        {
            throw new ArgumentException($"hotspot must be a non-empty key of at most {MaxHotspotLength} characters", nameof(Hotspot));
        }
    }
}

/// <summary>The outcome returned to the router: whether to buy the copy and the payer's state afterwards.</summary>
public sealed record ChargeResponse(ChargeOutcome Outcome, long Dc, long BalanceDc, bool OrganisationEnabled, long Epoch)
{
    public bool Bought => Outcome == ChargeOutcome.Charged;
}

/// <summary>Charges organisations for packet copies. The network server calls this over HTTP (POST /v1/charge).</summary>
public interface IPacketCharger
{
    Task<ChargeResponse> ChargeAsync(ChargeRequest request, CancellationToken ct);
}
