using DePin.Wireless.CoverageOracle.Verification;

namespace DePin.Wireless.CoverageOracle.Registry;

/// <summary>An onboarding request: a hotspot's key and owner.</summary>
public sealed record HotspotOnboarding(string Id, byte[] PublicKey, string Owner, string Region, HotspotCapability Capability);

/// <summary>A location assertion: H3 resolution-12 cell, antenna gain (deci-dBi) and elevation.</summary>
public sealed record LocationAssertion(string Id, ulong Location, int GainDeciDbi, int ElevationMeters);

/// <summary>The onboarded hotspots. Implementations: PostgreSQL (production) and in-process (devnet); both pass one contract test.</summary>
public interface IHotspotRegistry
{
    /// <summary>Adds a hotspot; false if one with that id already exists (nothing changes).</summary>
    Task<bool> OnboardAsync(HotspotOnboarding hotspot, CancellationToken cancellationToken = default);

    /// <summary>Sets a hotspot's location; throws <see cref="KeyNotFoundException"/> when it was never onboarded.</summary>
    Task AssertLocationAsync(LocationAssertion assertion, CancellationToken cancellationToken = default);

    Task<HotspotInfo?> GetAsync(string id, CancellationToken cancellationToken = default);

    Task<byte[]?> GetPublicKeyAsync(string id, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<HotspotInfo>> ListAsync(CancellationToken cancellationToken = default);
}

/// <summary>Validation shared by every registry implementation.</summary>
public static class RegistryValidation
{
    /// <summary>Asserted locations are H3 cells at resolution 12 (bits 52–55 of the index hold the resolution).</summary>
    public const int AssertedResolution = 12;

    public static void Validate(HotspotOnboarding h)
    {
        if (string.IsNullOrWhiteSpace(h.Id))
        {
            throw new ArgumentException("hotspot id must not be empty");
        }

        if (h.PublicKey is null || h.PublicKey.Length == 0)
        {
            throw new ArgumentException($"hotspot {h.Id}: public key must not be empty");
        }

        if (string.IsNullOrWhiteSpace(h.Region))
        {
            throw new ArgumentException($"hotspot {h.Id}: region must not be empty");
        }
    }

    public static void Validate(LocationAssertion a)
    {
        var mode = (int)((a.Location >> 59) & 0xF);
        var resolution = (int)((a.Location >> 52) & 0xF);
        if (mode != 1 || resolution != AssertedResolution)
        {
            throw new ArgumentException($"hotspot {a.Id}: location {a.Location:x} is not an H3 cell at resolution {AssertedResolution}");
        }

        if (a.GainDeciDbi is < -100 or > 300)
        {
            throw new ArgumentException($"hotspot {a.Id}: antenna gain {a.GainDeciDbi / 10.0} dBi is outside -10..30 dBi");
        }

        if (a.ElevationMeters is < -500 or > 10_000)
        {
            throw new ArgumentException($"hotspot {a.Id}: elevation {a.ElevationMeters} m is outside -500..10000 m");
        }
    }
}
