namespace DePin.Wireless.DataCredits.Charging;

/// <summary>
/// Packet price in Data Credits: DC = ceil(max(payload_size, 24) / 24), i.e. 24 bytes per DC, minimum 1
/// (reference section 4, "Packet verifier", after iot_packet_verifier/src/verifier.rs).
/// </summary>
public static class DcPricing
{
    public const int BytesPerDc = 24;

    public static long PacketCost(int payloadSize)
    {
        if (payloadSize < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(payloadSize), payloadSize, "payload size must not be negative");
        }

        var billable = Math.Max(payloadSize, BytesPerDc);
        return (billable + BytesPerDc - 1) / BytesPerDc;
    }
}
