using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using DePin.Wireless.DataCredits.Evm;
using DePin.Wireless.DataCredits.Ledger;
using DePin.Wireless.NetworkServer.Integration;
using DePin.Wireless.NetworkServer.Storage;

namespace DePin.Wireless.Devnet.Run.Traffic;

/// <summary>
/// One organisation of the run (a Helium OUI): its payer key, the DevAddr range the network server allocates its
/// devices' addresses from, the JoinEUI range its devices join through, max_copies, and its application.
/// </summary>
public sealed record OrganisationPlan(int Index, uint Oui, PayerKey Payer, InclusiveRange DevAddrRange, InclusiveRange JoinEuiRange, int MaxCopies, bool UnderFunded, AppId Application)
{
    /// <summary>Base of the JoinEUI ranges; each organisation gets a block of 2^16 JoinEUIs above it.</summary>
    public const ulong JoinEuiBase = 0x70B3_D57E_D000_0000;

    /// <summary>Base of the DevEUIs the devnet gives its devices (one per device index).</summary>
    public const ulong DevEuiBase = 0x0004_A30B_0000_0000;

    /// <summary>The run's organisations: OUI i+1 owns DevAddrs (i+1)·2^20 .. +2^20−1 (NetID 0, NwkID 0) and JoinEUIs base + i·2^16 ...; the last <see cref="TrafficOptions.UnderFundedOrganisations"/> are under-funded.</summary>
    public static IReadOnlyList<OrganisationPlan> Plan(TrafficOptions options, int seed)
    {
        var plans = new OrganisationPlan[options.Organisations];
        for (var i = 0; i < plans.Length; i++)
        {
            var oui = (uint)(i + 1);
            var devAddrStart = (ulong)oui << 20;
            var joinStart = JoinEuiBase + ((ulong)i << 16);
            plans[i] = new OrganisationPlan(
                i,
                oui,
                new PayerKey(SeededHash($"devnet/{seed}/payer/{oui}")),
                new InclusiveRange(devAddrStart, devAddrStart + 0xF_FFFF),
                new InclusiveRange(joinStart, joinStart + 0xFFFF),
                options.MaxCopies[i % options.MaxCopies.Count],
                i >= options.Organisations - options.UnderFundedOrganisations,
                AppId.Parse(FormattableString.Invariant($"org-{oui}-sensors")));
        }

        return plans;
    }

    /// <summary>The JoinEUI a device of this organisation uses (one per device inside the organisation's block).</summary>
    public Core.Primitives.Eui64 JoinEuiFor(int deviceIndex) => new(JoinEuiRange.Start + (ulong)(deviceIndex & 0xFFFF));

    /// <summary>A 32-byte value derived from a label, for payer keys and simulated burn transactions.</summary>
    public static Hash32 SeededHash(string label) => new(SHA256.HashData(Encoding.UTF8.GetBytes(label)));
}

/// <summary>What happened to one organisation's account over the run.</summary>
public sealed class OrganisationAccount(OrganisationPlan plan)
{
    public OrganisationPlan Plan { get; } = plan;

    public int Devices { get; set; }

    /// <summary>Token base units burned by the payer.</summary>
    public BigInteger BurnedTokens { get; set; }

    /// <summary>DC credited by those burns.</summary>
    public long CreditedDc { get; set; }

    public int Burns { get; set; }

    public long ChargedDc { get; set; }

    public long BoughtCopies { get; set; }

    /// <summary>Device frames not processed because every copy was refused for the payer's balance.</summary>
    public long DroppedNoBalance { get; set; }

    public long BalanceDc { get; set; }

    public bool Enabled { get; set; }

    /// <summary>When the balance first fell below the minimum (the organisation stopped being routed).</summary>
    public DateTimeOffset? DisabledAt { get; set; }

    /// <summary>When a top-up burn first brought it back above the minimum after it had been disabled.</summary>
    public DateTimeOffset? ReenabledAt { get; set; }

    /// <summary>Frames its application had received when it was re-enabled.</summary>
    public long DeliveredAtReenable { get; set; }

    /// <summary>Frames delivered to the organisation's application after it was re-enabled.</summary>
    public long DeliveredAfterReenable { get; set; }
}
