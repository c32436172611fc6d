using DePin.Wireless.Core.Physics;
using DePin.Wireless.Core.Primitives;
using DePin.Wireless.Devnet.Medium;

namespace DePin.Wireless.Devnet.Tests.Medium;

/// <summary>Builders shared by the medium tests.</summary>
internal static class MediumKit
{
    public static readonly GeoPoint Origin = new(52.0, 5.0);
    public static readonly Hz Ch1 = Hz.FromMegahertz(868.1);
    public static readonly Hz Ch2 = Hz.FromMegahertz(868.3);
    public static readonly DataRate Sf7 = new(7, 125);
    public static readonly DataRate Sf8 = new(8, 125);
    public static readonly DataRate Sf12 = new(12, 125);
    public static readonly LoRaPacketShape Downlink = LoRaPacketShape.LoRaWanDownlink;

    /// <summary>Propagation with no random terms, so received power follows the formula exactly.</summary>
    public static PropagationOptions Deterministic { get; } = new()
    {
        PathLoss = PropagationOptions.HataSuburban868 with { ShadowingSigmaDb = 0 },
        FadingSigmaDb = 0,
    };

    public static RadioMedium NewMedium(PropagationOptions? propagation = null, int seed = 1, double cellSize = 5_000) =>
        new(new RadioMediumOptions { Seed = seed, Propagation = propagation ?? Deterministic, GridCellSizeMeters = cellSize });

    public static GeoPoint At(double bearingDegrees, double distanceMeters) => GreatCircle.Destination(Origin, bearingDegrees, distanceMeters);

    public static RadioId Hotspot(this RadioMedium medium, string name, GeoPoint position, bool gps = false, double gain = 0, double height = 10) =>
        medium.Register(new RadioRegistration
        {
            Name = name,
            Kind = RadioKind.Hotspot,
            Position = position,
            AntennaGainDbi = gain,
            HeightMeters = height,
            HasGps = gps,
        });

    public static RadioId Device(this RadioMedium medium, string name, GeoPoint position, double gain = 0, double height = 1.5, bool dutyCycle = true) =>
        medium.Register(new RadioRegistration
        {
            Name = name,
            Kind = RadioKind.Device,
            Position = position,
            AntennaGainDbi = gain,
            HeightMeters = height,
            EnforceDutyCycle = dutyCycle,
        });

    public static Transmission Send(this RadioMedium medium, RadioId sender, SimTime start, double txPowerDbm = 14, DataRate? dataRate = null, Hz? frequency = null, int payloadBytes = 20, LoRaPacketShape? shape = null)
    {
        var result = medium.Submit(new TransmitRequest
        {
            Sender = sender,
            Start = start,
            Frequency = frequency ?? Ch1,
            DataRate = dataRate ?? Sf7,
            TxPower = new Dbm(txPowerDbm),
            Payload = Enumerable.Range(0, payloadBytes).Select(i => (byte)(i + sender.Value)).ToArray(),
            Shape = shape ?? LoRaPacketShape.LoRaWanUplink,
        });
        Assert.True(result.Accepted, $"submission refused: {result.Outcome}");
        return result.Transmission!;
    }

    /// <summary>Expected median received power from the documented formula, computed independently of the medium.</summary>
    public static double ExpectedRssi(double txPowerDbm, double txGain, double rxGain, double distanceMeters, double heightA, double heightB, Hz frequency)
    {
        var hata = 122.74 + (10 * 3.835 * Math.Log10(distanceMeters / 1000.0)) - (13.82 * Math.Log10(heightA * heightB / 15.0));
        // Free space plus the default 1 dB line-of-sight excess loss (PropagationOptions.LineOfSightExcessLossDb).
        var freeSpace = (20 * Math.Log10(distanceMeters)) + (20 * Math.Log10(frequency.Value)) - 147.55221677811664 + 1.0;
        return txPowerDbm + txGain + rxGain - Math.Max(hata, freeSpace);
    }
}
