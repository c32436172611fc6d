using DePin.Wireless.DataCredits.Ledger;

namespace DePin.Wireless.DataCredits.Charging;

public sealed class ChargingOptions
{
    /// <summary>Reward epoch length; each bought copy is a data-transfer share of its hotspot in the epoch it was charged (ARCHITECTURE: 24 h).</summary>
    public TimeSpan EpochLength { get; set; } = TimeSpan.FromHours(24);
}

/// <summary>Prices a copy, assigns it to the current reward epoch and lets the ledger decide atomically.</summary>
public sealed class PacketCharger : IPacketCharger
{
    private readonly IDcLedger _ledger;
    private readonly ChargingOptions _options;
    private readonly TimeProvider _time;

    public PacketCharger(IDcLedger ledger, ChargingOptions options, TimeProvider time)
    {
        if (options.EpochLength <= TimeSpan.Zero)
        {
            throw new ArgumentException("EpochLength must be positive", nameof(options));
        }

        _ledger = ledger;
        _options = options;
        _time = time;
    }

    public long CurrentEpoch() => _time.GetUtcNow().ToUnixTimeMilliseconds() / (long)_options.EpochLength.TotalMilliseconds;

    public async Task<ChargeResponse> ChargeAsync(ChargeRequest request, CancellationToken ct)
    {
        request.Validate();
        var cost = DcPricing.PacketCost(request.PayloadSize);
        var epoch = CurrentEpoch();
        var result = await _ledger.ChargeAsync(new PacketCharge(request.PacketHash, request.Oui, request.Hotspot, cost, epoch), ct);
        return new ChargeResponse(result.Outcome, result.Outcome == ChargeOutcome.Charged ? cost : 0, result.BalanceDc, result.OrganisationEnabled, epoch);
    }
}
