using System.Collections.Concurrent;
using DePin.Wireless.CoverageOracle.Verification;

namespace DePin.Wireless.CoverageOracle.Registry;

/// <summary>The registry held in process, for the devnet and tools.</summary>
public sealed class InMemoryHotspotRegistry : IHotspotRegistry
{
    private readonly ConcurrentDictionary<string, (HotspotOnboarding Onboarding, HotspotInfo Info)> _hotspots = new(StringComparer.Ordinal);

    public Task<bool> OnboardAsync(HotspotOnboarding hotspot, CancellationToken cancellationToken = default)
    {
        RegistryValidation.Validate(hotspot);
        var info = new HotspotInfo(hotspot.Id, null, 0, 0, hotspot.Region, hotspot.Capability);
        return Task.FromResult(_hotspots.TryAdd(hotspot.Id, (hotspot with { PublicKey = (byte[])hotspot.PublicKey.Clone() }, info)));
    }

    public Task AssertLocationAsync(LocationAssertion assertion, CancellationToken cancellationToken = default)
    {
        RegistryValidation.Validate(assertion);
        while (true)
        {
            if (!_hotspots.TryGetValue(assertion.Id, out var current))
            {
                throw new KeyNotFoundException($"hotspot {assertion.Id} is not onboarded");
            }

            var updated = current with { Info = current.Info with { Location = assertion.Location, GainDeciDbi = assertion.GainDeciDbi, ElevationMeters = assertion.ElevationMeters } };
            if (_hotspots.TryUpdate(assertion.Id, updated, current))
            {
                return Task.CompletedTask;
            }
        }
    }

    public Task<HotspotInfo?> GetAsync(string id, CancellationToken cancellationToken = default) =>
        Task.FromResult(_hotspots.TryGetValue(id, out var h) ? h.Info : null);

    public Task<byte[]?> GetPublicKeyAsync(string id, CancellationToken cancellationToken = default) =>
        Task.FromResult(_hotspots.TryGetValue(id, out var h) ? (byte[])h.Onboarding.PublicKey.Clone() : null);

    public Task<IReadOnlyList<HotspotInfo>> ListAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<HotspotInfo>>(_hotspots.Values.Select(h => h.Info).OrderBy(h => h.Id, StringComparer.Ordinal).ToList());
}
