using DePin.Wireless.Core.Identity;
using DePin.Wireless.Proto;
using Google.Protobuf;

namespace DePin.Wireless.HotspotHost.Services;

/// <summary>Entropy could not be fetched or was not trustworthy.</summary>
public sealed class EntropyException(string message) : Exception(message)
{
    public EntropyException()
        : this("entropy unavailable")
    {
    }

    public EntropyException(string message, Exception innerException)
        : this($"{message}: {innerException.Message}")
    {
    }
}

/// <summary>Entropy from the oracle, verified.</summary>
public sealed record VerifiedEntropy(byte[] Data, ulong TimestampS);

/// <summary>
/// The coverage oracle's hotspot API (proto/service.proto): GET /v1/entropy returns a SignedEnvelope(Entropy) that must
/// be signed by the configured oracle key; beacon and witness reports go through a <see cref="ReportChannel"/>
/// (session frames by default, or signed envelopes).
/// </summary>
public sealed class CoverageOracleClient : IDisposable
{
    public const string EntropyPath = "v1/entropy";
    public const string BeaconReportsPath = "v1/beacon-reports";
    public const string WitnessReportsPath = "v1/witness-reports";

    private readonly ServiceClient _http;
    private readonly PublicKey _oracleKey;
    private readonly TimeProvider _time;
    private readonly TimeSpan _entropyMaxAge;
    private readonly EnvelopeVerifier _verifier;
    private readonly ReportChannel _reports;

    public CoverageOracleClient(ServiceClient http, PublicKey oracleKey, TimeProvider time, TimeSpan entropyMaxAge, ReportChannel reports)
    {
        _http = http;
        _reports = reports;
        _oracleKey = oracleKey;
        _time = time;
        _entropyMaxAge = entropyMaxAge;
        _verifier = new EnvelopeVerifier(new EnvelopeVerifierOptions(), time, new InMemoryReplayGuard(time, 1024));
    }

    public ServiceClient Http => _http;

    /// <summary>How beacon and witness reports are authenticated and delivered.</summary>
    public ReportChannel Reports => _reports;

    /// <summary>A report made now, ready for <see cref="PostBeaconReportAsync"/> or <see cref="PostWitnessReportAsync"/>.</summary>
    public PendingReport Prepare(IMessage report) => _reports.Prepare(report);

    /// <summary>Fetches entropy and checks signer, signature, payload and age; throws <see cref="EntropyException"/> naming the problem.</summary>
    public async Task<VerifiedEntropy> GetEntropyAsync(CancellationToken cancellationToken)
    {
        var response = await _http.GetAsync(EntropyPath, cancellationToken);
        if (!response.IsSuccess)
        {
            throw new EntropyException($"GET {EntropyPath}: {response.ErrorText()}");
        }

        SignedEnvelope envelope;
        try
        {
            envelope = SignedEnvelope.Parser.ParseFrom(response.Body);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new EntropyException("entropy: body is not a SignedEnvelope", e);
        }

        var verified = _verifier.Authenticate<Entropy>(envelope);
        if (!verified.IsValid)
        {
            throw new EntropyException($"entropy envelope refused: {verified.Failure}: {verified.Detail}");
        }

        if (verified.Signer != _oracleKey)
        {
            throw new EntropyException($"entropy signed by {verified.Signer}, not the configured oracle key {_oracleKey}");
        }

        var entropy = verified.ValidPayload;
        if (entropy.Data.Length != Core.Poc.BeaconPayload.RemoteEntropyLength)
        {
            throw new EntropyException($"entropy data is {entropy.Data.Length} bytes, expected {Core.Poc.BeaconPayload.RemoteEntropyLength}");
        }

        var age = _time.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds((long)entropy.TimestampS);
        if (age > _entropyMaxAge)
        {
            throw new EntropyException($"entropy is {age.TotalSeconds:0} s old, more than {_entropyMaxAge.TotalSeconds:0} s");
        }

        return new VerifiedEntropy(entropy.Data.ToByteArray(), entropy.TimestampS);
    }

    public Task<ServiceResponse> PostBeaconReportAsync(PendingReport report, CancellationToken cancellationToken) =>
        _reports.SendAsync(BeaconReportsPath, report, cancellationToken);

    public Task<ServiceResponse> PostWitnessReportAsync(PendingReport report, CancellationToken cancellationToken) =>
        _reports.SendAsync(WitnessReportsPath, report, cancellationToken);

    public void Dispose()
    {
        _verifier.Dispose();
        _reports.Dispose();
    }
}
