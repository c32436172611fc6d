namespace DePin.Wireless.Devnet.Run;

/// <summary>One organisation's account over the run (organisations.csv). Times are hours since the run started.</summary>
public sealed record OrganisationLine(
    uint Oui,
    string Payer,
    int Devices,
    int MaxCopies,
    bool UnderFunded,
    int Burns,
    long CreditedDc,
    long ChargedDc,
    long BoughtCopies,
    long DroppedNoBalance,
    long BalanceDc,
    bool EnabledAtEnd,
    double? DisabledAtHours,
    double? ReenabledAtHours,
    long Delivered,
    long DeliveredAfterReenable);

/// <summary>What the LoRaWAN side of the run did beyond the uplink counters (summary.json "traffic").</summary>
public sealed record TrafficOutcome
{
    public long JoinRequestsSent { get; init; }

    /// <summary>JoinRequests the network server accepted (join events); a device may miss the accept and try again.</summary>
    public long JoinsAccepted { get; init; }

    /// <summary>Devices that received and verified a JoinAccept, i.e. derived session keys.</summary>
    public int DevicesJoined { get; init; }

    public long ConfirmedSent { get; init; }

    /// <summary>Confirmed uplinks whose ACK the device demodulated.</summary>
    public long AcksReceived { get; init; }

    /// <summary>LinkADRReq commands that changed a device's data rate or power.</summary>
    public long AdrChanges { get; init; }

    public long DownlinksPlanned { get; init; }

    public long DownlinksTransmitted { get; init; }

    public long DownlinksInRx2 { get; init; }

    /// <summary>Downlinks whose answer reached the hotspot after both receive windows had begun.</summary>
    public long DownlinksTooLate { get; init; }

    /// <summary>Downlinks the hotspot's radio could not send in any window (duty cycle, busy).</summary>
    public long DownlinksNotTransmitted { get; init; }

    /// <summary>Downlinks a device demodulated and accepted (its own JoinAccept or data downlink).</summary>
    public long DownlinksReceived { get; init; }

    public long BoughtCopies { get; init; }

    public long FramesAtMaxCopies { get; init; }

    public long FramesOverMaxCopies { get; init; }

    public required IReadOnlyList<OrganisationLine> Organisations { get; init; }
}
