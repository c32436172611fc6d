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
}

/// <summary>An application payload waiting for the device's next receive window.</summary>
public sealed record QueuedDownlink(Guid Id, Eui64 DevEui, byte FPort, byte[] Data, bool Confirmed);

/// <summary>Bad input to the store (or a conflict), naming the field.</summary>
public sealed class NetworkStoreException(string field, string problem) : Exception($"{field}: {problem}")
{
    public string Field { get; } = field;

    public string Problem { get; } = problem;
}

internal static class EuiConversions
{
    public static DevEui ToDevEui(this Eui64 eui) => new(eui.Value);
}
