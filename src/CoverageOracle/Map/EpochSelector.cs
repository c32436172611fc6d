using System.Globalization;

namespace DePin.Wireless.CoverageOracle.Map;

/// <summary>The outcome of resolving an "epoch" query value: a snapshot, or an HTTP status and the reason.</summary>
public sealed record EpochSelection(EpochSnapshot? Snapshot, int StatusCode, string? Error)
{
    public static EpochSelection Found(EpochSnapshot snapshot) => new(snapshot, 200, null);

    public static EpochSelection Failed(int statusCode, string error) => new(null, statusCode, error);
}

/// <summary>Resolves the "epoch" query parameter: an integer, "latest", or absent (= latest).</summary>
public static class EpochSelector
{
    public const string Latest = "latest";

    public static EpochSelection Select(ICoverageSource source, string? epochText)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (string.IsNullOrEmpty(epochText) || string.Equals(epochText, Latest, StringComparison.OrdinalIgnoreCase))
        {
            var epochs = source.Epochs();
            if (epochs.Count == 0)
            {
                return EpochSelection.Failed(404, "no epochs have been published yet");
            }

            return Resolve(source, epochs[^1].Epoch);
        }

        if (!long.TryParse(epochText, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var epoch))
        {
            return EpochSelection.Failed(400, $"epoch: '{epochText}' is not an integer or '{Latest}'");
        }

        return Resolve(source, epoch);
    }

    private static EpochSelection Resolve(ICoverageSource source, long epoch) =>
        source.Get(epoch) is { } snapshot
            ? EpochSelection.Found(snapshot)
            : EpochSelection.Failed(404, $"epoch {epoch} has not been published");
}
