using System.CommandLine;
using System.Globalization;
using System.Numerics;
using DePin.Wireless.CoverageOracle.Adapters;
using DePin.Wireless.CoverageOracle.Density;
using DePin.Wireless.CoverageOracle.Rewards;
using DePin.Wireless.CoverageOracle.Spoofing;
using DePin.Wireless.CoverageOracle.Service;
using DePin.Wireless.CoverageOracle.VerifyRunner;
using DePin.Wireless.Proto;

namespace DePin.Wireless.CoverageOracle.Cli;

/// <summary>`rewards --epoch E`: hex density, HIP-15 shares and the epoch's emission split, as JSON (and CSV).</summary>
public static class RewardsCommand
{
    /// <summary>Default emission per epoch: 100,000 tokens of 10^8 base units.</summary>
    public const string DefaultEmission = "10000000000000";

    public static Command Create()
    {
        var epoch = new Option<long>("--epoch") { Description = "Epoch number: 24 h starting at Unix time epoch × 86400 s.", Required = true };
        var reports = new Option<string>("--reports") { Description = "Directory with the verify outputs (poc.*).", Required = true };
        var csv = new Option<string?>("--csv") { Description = "Also write hotspot,beacon_shares,witness_shares,dc_shares,reward to this file." };
        var emission = new Option<string>("--emission") { Description = "Base units emitted to hotspots this epoch.", DefaultValueFactory = _ => DefaultEmission };
        var registry = new Option<string?>("--registry") { Description = "Registry snapshot JSON (hotspot locations)." };
        var db = new Option<string?>("--db") { Description = "PostgreSQL registry connection string (instead of --registry)." };
        var dataCredits = new Option<string?>("--data-credits") { Description = "DataCredits base URL serving GET /v1/shares?epoch=E; without it data transfer shares are zero." };
        var command = new Command("rewards", "Compute an epoch's rewards from verified PoCs (HIP-17/104 hex density, HIP-15 units, data-transfer shares).");
        foreach (var o in new Option[] { epoch, reports, csv, emission, registry, db, dataCredits })
        {
            command.Options.Add(o);
        }

        command.SetAction((parseResult, cancellationToken) => CliSupport.RunAsync(async () =>
        {
            var e = new RewardEpoch(parseResult.GetValue(epoch));
            if (e.Number < 0)
            {
                throw new ArgumentException($"--epoch: {e.Number} must not be negative");
            }

            if (!BigInteger.TryParse(parseResult.GetValue(emission), NumberStyles.None, CultureInfo.InvariantCulture, out var amount))
            {
                throw new ArgumentException($"--emission: \"{parseResult.GetValue(emission)}\" is not a whole number of base units");
            }

            var view = await CliSupport.LoadRegistryAsync(parseResult.GetValue(registry), parseResult.GetValue(db), cancellationToken);
            var locations = view.Hotspots.Where(h => h.Location is not null).ToDictionary(h => h.Id, h => h.Location!.Value, StringComparer.Ordinal);
            var pocs = StoredReports.ReadMessages(parseResult.GetValue(reports)!, ReportPrefixes.Poc, e.End - EpochShareCalculator.ActiveWindow, e.End, TimeSpan.FromDays(1), VerifiedPoc.Parser);
            var dc = await DataTransferAsync(parseResult.GetValue(dataCredits), e, cancellationToken);
            var unadjusted = new EpochShareCalculator(new HexDensityCalculator(new H3HexHierarchy(), new HexDensityOptions())).Compute(e, pocs, locations, dc);

            // As serve's epoch close: the spoofing analysis scales penalised hotspots' PoC shares by their trust.
            var spoofing = SpoofingRewardAdjustment.AnalyzeEpoch(pocs, e, view.Hotspots, new SpoofingOptions());
            var shares = SpoofingRewardAdjustment.Apply(unadjusted, spoofing);
            var result = EpochRewardCalculator.Compute(amount, shares, new RewardPoolOptions());
            var rows = EpochRewardReport.Rows(shares, result);
            if (parseResult.GetValue(csv) is { } csvPath)
            {
                await File.WriteAllTextAsync(csvPath, EpochRewardReport.Csv(rows), cancellationToken);
            }

            return new
            {
                Epoch = e.Number,
                Start = e.Start,
                End = e.End,
                Emission = amount.ToString(CultureInfo.InvariantCulture),
                BeaconPool = result.BeaconPool.ToString(CultureInfo.InvariantCulture),
                WitnessPool = result.WitnessPool.ToString(CultureInfo.InvariantCulture),
                DataPool = result.DataPool.ToString(CultureInfo.InvariantCulture),
                Distributed = result.Distributed.ToString(CultureInfo.InvariantCulture),
                SpoofingPenalised = spoofing.Hotspots.Where(h => h.Penalised).Select(h => new { Hotspot = h.HotspotId, Trust = h.Trust.Score, h.Reasons }).ToList(),
                Rewards = rows,
            };
        }));
        return command;
    }

    private static async Task<IReadOnlyDictionary<string, ulong>> DataTransferAsync(string? url, RewardEpoch epoch, CancellationToken cancellationToken)
    {
        if (url is null)
        {
            return new Dictionary<string, ulong>();
        }

        if (!Uri.TryCreate(url.EndsWith('/') ? url : url + "/", UriKind.Absolute, out var baseUri))
        {
            throw new ArgumentException($"--data-credits: \"{url}\" is not an absolute URL");
        }

        using var http = new HttpClient { BaseAddress = baseUri, Timeout = TimeSpan.FromSeconds(30) };
        try
        {
            return await new HttpDataTransferShares(http).ForEpochAsync(epoch, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw new IOException($"--data-credits: {ex.Message}", ex);
        }
    }
}
