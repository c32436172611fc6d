using DePin.Wireless.Core.Physics;
using DePin.Wireless.Core.Primitives;

namespace DePin.Wireless.Devnet.Medium;

/// <summary>Handle of a radio registered with a <see cref="RadioMedium"/> (its registration index).</summary>
public readonly record struct RadioId(int Value)
{
    public override string ToString() => $"radio#{Value}";
}

public enum RadioKind
{
    /// <summary>A gateway with a multi-channel, multi-SF concentrator (SX1301/SX1302): hears every listened channel and SF at once.</summary>
    Hotspot,

    /// <summary>A single-channel end node (SX1262/SX1276): hears only the one frequency and data rate it is tuned to.</summary>
    Device,
}

/// <summary>A frequency and bandwidth a receiver listens on.</summary>
public readonly record struct ListenChannel(Hz Frequency, int BandwidthKhz)
{
    public bool Matches(Hz frequency, DataRate dataRate) =>
        frequency == Frequency && dataRate.BandwidthKhz == BandwidthKhz;
}

/// <summary>What a caller tells the medium about a radio when registering it.</summary>
public sealed record RadioRegistration
{
    /// <summary>Unique, stable name (e.g. the hotspot's public key or the device's DevEUI). Link shadowing and clock offsets derive from it, so they survive re-registration in another order.</summary>
    public required string Name { get; init; }

    public required RadioKind Kind { get; init; }

    public required GeoPoint Position { get; init; }

    /// <summary>Antenna gain in dBi, applied to both transmit and receive.</summary>
    public double AntennaGainDbi { get; init; }

    /// <summary>Antenna height above ground in metres.</summary>
    public double HeightMeters { get; init; } = 1.5;

    /// <summary>Indoor radios pay the building penetration loss on every link.</summary>
    public bool Indoor { get; init; }

    /// <summary>GPS-disciplined concentrators (SX1302 with PPS) report a fine timestamp of arrival in nanoseconds.</summary>
    public bool HasGps { get; init; }

    /// <summary>Whether this radio's transmissions are held to the region's duty cycle.</summary>
    public bool EnforceDutyCycle { get; init; } = true;

    /// <summary>Channels a hotspot's concentrator listens on; null means every frequency. Ignored for devices (see <see cref="RadioMedium.Tune"/>).</summary>
    public IReadOnlyList<ListenChannel>? HotspotChannels { get; init; }

    /// <summary>Offset of the free-running 32-bit microsecond counter; null derives one from the name and the medium seed.</summary>
    public uint? CounterOffsetMicroseconds { get; init; }
}

/// <summary>A registered radio as the medium holds it.</summary>
public sealed class RegisteredRadio
{
    internal RegisteredRadio(RadioId id, RadioRegistration registration, ulong key, uint counterOffset)
    {
        Id = id;
        Registration = registration;
        Key = key;
        CounterOffsetMicroseconds = counterOffset;
    }

    public RadioId Id { get; }

    public RadioRegistration Registration { get; }

    public string Name => Registration.Name;

    public RadioKind Kind => Registration.Kind;

    public GeoPoint Position => Registration.Position;

    /// <summary>Stable 64-bit key from the name.</summary>
    public ulong Key { get; }

    public uint CounterOffsetMicroseconds { get; }

    /// <summary>For a device: the single channel and data rate it currently listens on (null: receiver off).</summary>
    public (Hz Frequency, DataRate DataRate)? DeviceTuning { get; internal set; }

    /// <summary>The free-running microsecond counter of this radio at a simulated instant (wraps every 2^32 µs ≈ 71.6 min).</summary>
    public uint CounterAt(SimTime time) => unchecked((uint)time.Microseconds + CounterOffsetMicroseconds);

    /// <summary>
    /// The I/Q polarity this radio demodulates: a hotspot's concentrator listens for normal-I/Q uplinks (and PoC
    /// beacons), a device in its receive windows for inverted-I/Q downlinks (LoRaWAN; GWMP <c>txpk.ipol</c>).
    /// </summary>
    public bool ListensToInvertedIq => ListensToInvertedIqAs(Kind);

    internal static bool ListensToInvertedIqAs(RadioKind kind) => kind == RadioKind.Device;

    public bool Listens(Hz frequency, DataRate dataRate)
    {
        if (Kind == RadioKind.Device)
        {
            return DeviceTuning is { } tuning && tuning.Frequency == frequency && tuning.DataRate == dataRate;
        }

        var channels = Registration.HotspotChannels;
        if (channels is null)
        {
            return true;
        }

        foreach (var channel in channels)
        {
            if (channel.Matches(frequency, dataRate))
            {
                return true;
            }
        }

        return false;
    }
}
