using DePin.Wireless.Core.Identity;
using DePin.Wireless.Core.Poc;
using DePin.Wireless.Core.Regions;
using DePin.Wireless.FirmwareBridge.Radio;
using DePin.Wireless.HotspotHost.Forwarding;
using DePin.Wireless.HotspotHost.Identity;
using DePin.Wireless.HotspotHost.Runtime;
using DePin.Wireless.HotspotHost.Services;
using DePin.Wireless.HotspotHost.Witnessing;
using DePin.Wireless.Proto;
using Google.Protobuf;
using Microsoft.Extensions.Logging;

namespace DePin.Wireless.HotspotHost.Beaconing;

/// <summary>The radio parameters of this hotspot's beacons, fixed by region and antenna.</summary>
public sealed record BeaconRadio(PocBeaconPlan Plan, BeaconRadioParameters Parameters, int PowerDbm)
{
    /// <summary>
    /// From the region's beacon plan: channels in plan order and the max payload N at the beacon data rate (the
    /// inputs <see cref="BeaconPayload.Generate"/> takes on both sides), and conducted power = max EIRP − antenna gain,
    /// rounded down so the EIRP limit is never exceeded.
    /// </summary>
    public static BeaconRadio For(RegionPlan region, double antennaGainDbi)
    {
        var plan = region.PocBeacon();
        var maxPayload = region.MaxPayload(plan.DataRateIndex).N;
        var power = (int)Math.Floor(plan.MaxEirp.Value - antennaGainDbi);
        return new BeaconRadio(plan, new BeaconRadioParameters(plan.Channels, maxPayload), power);
    }

    /// <summary>Bytes of beacon data after the proprietary MHDR (what witnesses match on).</summary>
    public int PayloadLength => Math.Min(BeaconPayload.PreferredSize, Parameters.MaxPayloadSize);
}

/// <summary>
/// Proof-of-coverage beaconing: once per <see cref="BeaconSchedule"/> window, at a random moment, fetch verified entropy,
/// derive the beacon with <see cref="BeaconPayload.Generate"/>, transmit it as a LoRaWAN Proprietary frame
/// (MHDR 0xE0, LoRaWAN 1.0.4 §4.2.1) immediately, and report it with the parameters actually used.
/// </summary>
public sealed class Beaconer
{
    /// <summary>Attempts to deliver a beacon report before giving up.</summary>
    public const int ReportAttempts = 3;

    private readonly IRadio _radio;
    private readonly CoverageOracleClient _oracle;
    private readonly EnvelopeSigner _signer;
    private readonly Witnesser _witnesser;
    private readonly BeaconSchedule _schedule;
    private readonly BeaconRadio _beaconRadio;
    private readonly ConcentratorClock _clock;
    private readonly IRandomSource _random;
    private readonly HotspotState _state;
    private readonly TimeProvider _time;
    private readonly TimeSpan _retryDelay;
    private readonly ILogger _logger;
    private DateTimeOffset? _lastWindow;

    public Beaconer(IRadio radio, CoverageOracleClient oracle, EnvelopeSigner signer, Witnesser witnesser, BeaconSchedule schedule, BeaconRadio beaconRadio, ConcentratorClock clock, IRandomSource random, HotspotState state, TimeProvider time, TimeSpan retryDelay, ILogger logger)
    {
        _radio = radio;
        _oracle = oracle;
        _signer = signer;
        _witnesser = witnesser;
        _schedule = schedule;
        _beaconRadio = beaconRadio;
        _clock = clock;
        _random = random;
        _state = state;
        _time = time;
        _retryDelay = retryDelay;
        _logger = logger;
    }

    /// <summary>When the next beacon is planned (for /status).</summary>
    public DateTimeOffset? NextBeaconAt { get; private set; }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var now = _time.GetUtcNow();
            var next = _schedule.NextBeaconTime(now, _lastWindow);
            NextBeaconAt = next;
            _logger.LogInformation("next beacon at {NextBeacon:o}", next);
            try
            {
                await Task.Delay(next - now, _time, cancellationToken);
                var window = _schedule.WindowStart(_time.GetUtcNow());
                if (await BeaconOnceAsync(cancellationToken))
                {
                    _lastWindow = window;
                }
                else
                {
                    await Task.Delay(_retryDelay, _time, cancellationToken);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>One beacon: entropy, payload, transmit, report. False (logged and counted) when any step fails.</summary>
    public async Task<bool> BeaconOnceAsync(CancellationToken cancellationToken)
    {
        VerifiedEntropy entropy;
        try
        {
            entropy = await _oracle.GetEntropyAsync(cancellationToken);
        }
        catch (EntropyException e)
        {
            return Fail($"no usable entropy: {e.Message}");
        }

        var local = BeaconPayload.NewLocalEntropy(_random);
        var beacon = BeaconPayload.Generate(entropy.Data, entropy.TimestampS, local, _beaconRadio.Parameters);
        var phy = new byte[beacon.Data.Length + 1];
        phy[0] = BeaconRecognizer.ProprietaryMhdr;
        beacon.Data.CopyTo(phy, 1);

        // Remember before transmitting: a co-located concentrator may hear our own beacon back at once.
        _witnesser.RememberOwn(beacon.Data);
        var dataRate = _beaconRadio.Plan.DataRate;
        var modulation = new LoRaModulation(dataRate.SpreadingFactor, dataRate.BandwidthHz);
        var request = new TxRequest(phy, beacon.Frequency.Value, modulation, LoRaCodingRate.Cr4_5, _beaconRadio.PowerDbm, CounterTimeUs: null, InvertIq: false, CrcEnabled: true);
        // An immediate transmission starts when the radio takes the request: its counter now is the beacon's tmst.
        var counterAtTransmit = _clock.NowUs();
        var result = await _radio.TransmitAsync(request, cancellationToken);
        var sentAt = _time.GetUtcNow();
        if (!result.IsOk)
        {
            return Fail($"beacon not transmitted: {result.Status} {result.Detail}");
        }

        var power = result.ActualPowerDbm ?? _beaconRadio.PowerDbm;
        var report = new BeaconReport
        {
            HotspotKey = _signer.SignerKey,
            LocalEntropy = ByteString.CopyFrom(local),
            RemoteEntropy = ByteString.CopyFrom(entropy.Data),
            RemoteEntropyTimestampS = entropy.TimestampS,
            Data = ByteString.CopyFrom(beacon.Data),
            FrequencyHz = (ulong)beacon.Frequency.Value,
            Channel = beacon.ChannelIndex,
            Datarate = modulation.ToString(),
            TxPowerDdbm = power * 10,
            TimestampNs = ReportFields.UnixNanoseconds(sentAt),
            Tmst = counterAtTransmit ?? 0,
        };
        var response = await ReportAsync(_oracle.Prepare(report), cancellationToken);
        _state.BeaconSent(new BeaconSummary(sentAt, beacon.Frequency.Value, beacon.ChannelIndex, modulation.ToString(), power, Convert.ToHexString(beacon.Data), response.IsSuccess));
        if (!response.IsSuccess)
        {
            // The beacon is on air and the window is spent; a second beacon in it would break the one-per-window rule.
            _state.BeaconFailures.Increment();
            _logger.LogWarning("beacon sent but its report was not accepted: {Error}", response.ErrorText());
            return true;
        }

        _logger.LogInformation("beacon sent on {Frequency} Hz channel {Channel} at {Power} dBm", beacon.Frequency.Value, beacon.ChannelIndex, power);
        return true;
    }

    /// <summary>
    /// Posts the signed report, retrying transient failures (no answer, 5xx) after 2 s and 4 s with the same
    /// envelope: the beacon is already on air, and without its report the oracle cannot credit its witnesses.
    /// </summary>
    private async Task<ServiceResponse> ReportAsync(PendingReport report, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var response = await _oracle.PostBeaconReportAsync(report, cancellationToken);
            if (response.IsSuccess || !response.IsTransient || attempt == ReportAttempts)
            {
                return response;
            }

            _logger.LogInformation("beacon report attempt {Attempt} failed ({Error}); retrying", attempt, response.ErrorText());
            await Task.Delay(TimeSpan.FromSeconds(2 << (attempt - 1)), _time, cancellationToken);
        }
    }

    private bool Fail(string reason)
    {
        _state.BeaconFailures.Increment();
        _logger.LogWarning("beacon attempt failed: {Reason}", reason);
        return false;
    }
}
