using DePin.Wireless.Core.Primitives;
using DePin.Wireless.NetworkServer.Integration;
using DePin.Wireless.NetworkServer.LoRaWan;

namespace DePin.Wireless.NetworkServer.Storage;

/// <summary>An inclusive range of values, e.g. the DevAddrs or JoinEUIs an organisation owns.</summary>
public readonly record struct InclusiveRange(ulong Start, ulong End)
{
    public bool Contains(ulong value) => value >= Start && value <= End;

    /// <summary>Parses "START-END" (hex, no prefix needed); <paramref name="digits"/> is 8 for DevAddrs, 16 for EUIs.</summary>
    public static InclusiveRange Parse(string text, int digits, string field)
    {
        var dash = text.IndexOf('-', StringComparison.Ordinal);
        if (dash <= 0 || dash == text.Length - 1)
        {
            throw new NetworkStoreException(field, $"expected START-END with {digits} hex digits each, got '{text}'");
        }

        var start = ParseHex(text[..dash], digits, field);
        var end = ParseHex(text[(dash + 1)..], digits, field);
        return start <= end ? new InclusiveRange(start, end) : throw new NetworkStoreException(field, "START must not exceed END");
    }

    private static ulong ParseHex(string text, int digits, string field)
    {
        var trimmed = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? text[2..] : text;
        return trimmed.Length == digits && ulong.TryParse(trimmed, System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new NetworkStoreException(field, $"'{text}' is not {digits} hex digits");
    }

    public string Format(int digits) => $"{Start.ToString("x" + digits, System.Globalization.CultureInfo.InvariantCulture)}-{End.ToString("x" + digits, System.Globalization.CultureInfo.InvariantCulture)}";
}

/// <summary>A routing organisation (Helium: OUI) that pays for its devices' packets.</summary>
public sealed record Organization(uint Oui, string Payer, InclusiveRange DevAddrRange, InclusiveRange JoinEuiRange, int MaxCopies)
{
    public bool Disabled { get; init; }
}

public sealed record Application(AppId Id, string Name);

/// <summary>A provisioned device: OTAA (AppKey) or ABP (session keys given at provisioning).</summary>
public sealed record Device(Eui64 DevEui, AppId ApplicationId, Eui64 JoinEui, AesKey AppKey, string Region)
{
    public string Name { get; init; } = "";

    public bool IsAbp { get; init; }
}

/// <summary>
/// The network-side state of an activated device. <see cref="FCntUp"/> is the last accepted 32-bit uplink counter
/// (null before the first uplink); <see cref="NextFCntDown"/> is the counter the next downlink will use.
/// </summary>
public sealed record DeviceSession(Eui64 DevEui, DevAddr DevAddr, AesKey NwkSKey, AesKey AppSKey)
{
    public uint? FCntUp { get; init; }

    public uint NextFCntDown { get; init; }

    public int Rx1DrOffset { get; init; }

    public int Rx2DataRate { get; init; }

    /// <summary>RX1 delay in seconds (1..15).</summary>
    public int RxDelaySeconds { get; init; } = 1;

    public int TxPowerIndex { get; init; }

    public int NbTrans { get; init; } = 1;

    /// <summary>The last (at most 20) ADR uplinks: the input of the SNR-margin algorithm, kept with the session so a restart keeps ADR stable.</summary>
    public IReadOnlyList<AdrUplink> AdrHistory { get; init; } = [];

    /// <summary>The ADR settings sent in a LinkADRReq and not yet acknowledged by a LinkADRAns.</summary>
    public AdrDecision? PendingAdr { get; init; }

    /// <summary>The confirmed downlink whose acknowledgement the device's next uplink carries (or not).</summary>
    public PendingAck? PendingAck { get; init; }

    /// <summary>
    /// False only when the store saw an empty downlink queue while reading the session, so the uplink need not ask
    /// for one; true means "look" (an item queued meanwhile is sent with the next uplink).
    /// </summary>
    public bool MayHaveQueuedDownlinks { get; init; } = true;

    /// <summary>DR index of the last accepted uplink; decides the RX1 DR a queued downlink must fit.</summary>
    public int? LastUplinkDataRate { get; init; }

    /// <summary>The ADR part of the session, as <see cref="INetworkStore.SaveAdrStateAsync"/> stores it.</summary>
    public AdrSessionState Adr => new(TxPowerIndex, NbTrans, AdrHistory, PendingAdr);
}

/// <summary>A confirmed downlink sent to a device and waiting for the ACK bit of its next uplink (LoRaWAN 1.0.4 §4.3.1.2).</summary>
public sealed record PendingAck(Guid QueueItemId, uint FCntDown, DateTimeOffset SentAt);

/// <summary>A pending acknowledgement that timed out, with its device.</summary>
public sealed record ExpiredAck(Eui64 DevEui, PendingAck Pending);

/// <summary>ADR state of a session: current TX power index and NbTrans, the uplink history and an unacknowledged LinkADRReq.</summary>
public sealed record AdrSessionState(int TxPowerIndex, int NbTrans, IReadOnlyList<AdrUplink> History, AdrDecision? Pending)
{
    /// <summary>Bytes per history entry: FCnt (4, big endian), SNR in centi-dB (2, signed), TX power index (1).</summary>
    private const int EntrySize = 7;

    /// <summary>Compact binary form of <see cref="History"/> (the PostgreSQL column adr_history).</summary>
    public static byte[] EncodeHistory(IReadOnlyList<AdrUplink> history)
    {
        var bytes = new byte[history.Count * EntrySize];
        for (var i = 0; i < history.Count; i++)
        {
            var entry = bytes.AsSpan(i * EntrySize, EntrySize);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(entry, history[i].FCnt);
            System.Buffers.Binary.BinaryPrimitives.WriteInt16BigEndian(entry[4..], (short)Math.Clamp(Math.Round(history[i].MaxSnr * 100), short.MinValue, short.MaxValue));
            entry[6] = (byte)history[i].TxPowerIndex;
        }

        return bytes;
    }

    public static IReadOnlyList<AdrUplink> DecodeHistory(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length % EntrySize != 0)
        {
            throw new NetworkStoreException("adr_history", $"{bytes.Length} bytes is not a multiple of {EntrySize}");
        }

        var history = new AdrUplink[bytes.Length / EntrySize];
        for (var i = 0; i < history.Length; i++)
        {
            var entry = bytes.Slice(i * EntrySize, EntrySize);
            history[i] = new AdrUplink(System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(entry), System.Buffers.Binary.BinaryPrimitives.ReadInt16BigEndian(entry[4..]) / 100.0, entry[6]);
        }

        return history;
    }

    /// <summary>DR, TX power index and NbTrans of a pending LinkADRReq as three bytes (the column adr_pending).</summary>
    public static byte[]? EncodePending(AdrDecision? pending) =>
        pending is { } p ? [(byte)p.DataRate, (byte)p.TxPowerIndex, (byte)p.NbTrans] : null;

    public static AdrDecision? DecodePending(byte[]? bytes) => bytes switch
    {
        null => null,
        [var dr, var power, var nbTrans] => new AdrDecision(dr, power, nbTrans),
        _ => throw new NetworkStoreException("adr_pending", $"expected 3 bytes, got {bytes.Length}"),
    };
}

/// <summary>An application payload waiting for the device's next receive window.</summary>
public sealed record QueuedDownlink(Guid Id, Eui64 DevEui, byte FPort, byte[] Data, bool Confirmed);

/// <summary>Bad input to the store (or a conflict), naming the field.</summary>
public sealed class NetworkStoreException(string field, string problem) : Exception($"{field}: {problem}")
{
    public string Field { get; } = field;

    public string Problem { get; } = problem;
}
