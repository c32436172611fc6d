namespace DePin.Wireless.DataCredits.Ledger;

/// <summary>
/// The decision for one packet copy, shared by every ledger so they agree exactly
/// (reference section 4: Multi-Buy counter, insufficient balance, minimum_allowed_balance).
/// </summary>
public static class ChargingRules
{
    public static ChargeOutcome Decide(Organisation organisation, long balance, int copiesAlreadyBought, long cost, long minimumBalance)
    {
        if (copiesAlreadyBought >= organisation.MaxCopies)
        {
            return ChargeOutcome.CopyLimitReached;
        }

        if (organisation.Locked || balance < minimumBalance)
        {
            return ChargeOutcome.OrganisationDisabled;
        }

        return balance < cost ? ChargeOutcome.InsufficientBalance : ChargeOutcome.Charged;
    }
}
