using System.Numerics;
using DePin.Wireless.Core.Physics;
using DePin.Wireless.Core.Regions;

namespace DePin.Wireless.Devnet.Run;

/// <summary>What one devnet run simulates and where it writes. Every field is checked by <see cref="Validate"/>.</summary>
public sealed record RunOptions
{
    public int Hotspots { get; init; } = 500;

    public int Devices { get; init; } = 200;

    /// <summary>Simulated hours (whole hours, ≥ 1).</summary>
    public int Hours { get; init; } = 24;

    public int Seed { get; init; } = 1;

    public string OutputDirectory { get; init; } = "devnet-out";

    /// <summary>How many of the hotspots are adversarial (taken from the end of the hotspot list).</summary>
    public int Adversaries { get; init; }

    public string Region { get; init; } = "EU868";

    /// <summary>Centre of the generated city (default: Utrecht, NL — an EU868 region).</summary>
    public GeoPoint Centre { get; init; } = new(52.0907, 5.1214);

    /// <summary>Hotspot token emission of the (single) reward epoch the run is paid as, in base units.</summary>
    public BigInteger EpochEmission { get; init; } = 1_000_000_000_000;

    /// <summary>Mean time between a device's uplinks (each period is jittered ±20 %).</summary>
    public TimeSpan UplinkInterval { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>Simulated network latency from a hotspot to the ingest server, drawn uniformly per report.</summary>
    public (TimeSpan Min, TimeSpan Max) IngestLatency { get; init; } = (TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(800));

    /// <summary>Threads used to sign and verify report envelopes (results do not depend on it).</summary>
    public int MaxParallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>How hotspots authenticate PoC and packet reports: session v1 (default) or one signed envelope per report.</summary>
    public ReportAuthentication ReportAuthentication { get; init; } = ReportAuthentication.Session;

    /// <summary>Organisations, their funding and the devices' confirmed/unconfirmed mix.</summary>
    public Traffic.TrafficOptions Traffic { get; init; } = new();

    public void Validate()
    {
        RequireAtLeast(Hotspots, 0, "--hotspots");
        RequireAtLeast(Devices, 0, "--devices");
        RequireAtLeast(Hours, 1, "--hours");
        RequireAtLeast(Adversaries, 0, "--adversaries");
        if (Adversaries > Hotspots)
        {
            throw new ArgumentException($"--adversaries: {Adversaries} is more than --hotspots {Hotspots}; adversaries are some of the hotspots");
        }

        if (Hours > 24 * 365)
        {
            throw new ArgumentException($"--hours: {Hours} is more than a year of simulated time");
        }

        if (!RegionPlans.IsKnown(Region))
        {
            throw new ArgumentException($"--region: unknown region '{Region}', expected one of {string.Join(", ", RegionPlans.Names)}");
        }

        if (string.IsNullOrWhiteSpace(OutputDirectory))
        {
            throw new ArgumentException("--out: the output directory must not be empty");
        }

        if (EpochEmission.Sign < 0)
        {
            throw new ArgumentException($"epoch emission {EpochEmission} must not be negative");
        }

        if (UplinkInterval < TimeSpan.FromSeconds(10))
        {
            throw new ArgumentException($"uplink interval {UplinkInterval} is below 10 s");
        }

        if (IngestLatency.Min < TimeSpan.Zero || IngestLatency.Max < IngestLatency.Min || IngestLatency.Max > TimeSpan.FromSeconds(2))
        {
            throw new ArgumentException($"ingest latency {IngestLatency} must be 0 ≤ min ≤ max ≤ 2 s");
        }

        RequireAtLeast(MaxParallelism, 1, "parallelism");
        Traffic.Validate();
    }

    private static void RequireAtLeast(int value, int minimum, string name)
    {
        if (value < minimum)
        {
            throw new ArgumentException($"{name}: {value} is not allowed, expected a whole number ≥ {minimum}");
        }
    }
}
