using System.Text.Json;
using DePin.Wireless.Core.Identity;
using DePin.Wireless.Proto;
using Google.Protobuf;

namespace DePin.Wireless.Benchmarks.Identity;

/// <summary>
/// Process-CPU-time per report of the two ways a hotspot report is authenticated, in one run on the same payload (a
/// witness report, ~110 B): signed envelope (Ed25519 sign at the hotspot + verify with replay guard at the service)
/// and session v1 (HMAC-SHA256 seal + verify with the counter window), plus the session handshake (open request
/// signed, verified and accepted by the service, completed by the hotspot: 2 X25519 key generations, 2 X25519
/// agreements, 2 HKDF, 1 Ed25519 sign + verify). session_tag_keyed_once is the tag alone as sealers and verifiers
/// compute it (canonical bytes + HMAC-SHA256 keyed once per session), done twice per report; session_tag_one_shot_hmac
/// the same with a one-shot HMAC (key schedule redone per tag), the reason sessions keep a keyed HMAC. The rest of a
/// session report is protobuf framing both paths share. Prints one JSON object. Medians of 15 rounds (<see cref="CpuTimeSampler"/>).
/// Run: dotnet run -c Release --project bench/Benchmarks -- report-auth-cputime
/// </summary>
public static class ReportAuthCpuTime
{
    private const int OpsPerCall = 20;

    public static void Run(TextWriter output)
    {
        var time = TimeProvider.System;
        using var hotspot = KeyPair.Generate(KeyType.Ed25519, SystemRandomSource.Instance);
        var report = Witness(hotspot);
        var signer = new EnvelopeSigner(hotspot, time, SystemRandomSource.Instance);
        using var verifier = new EnvelopeVerifier(new EnvelopeVerifierOptions(), time, new InMemoryReplayGuard(time));
        var registry = new SessionRegistry(SessionProtocol.CoverageOracle, new SessionRegistryOptions(), time, SystemRandomSource.Instance);
        var frames = new SessionFrameVerifier(registry, new EnvelopeVerifierOptions(), time);
        var sealer = Open(signer, verifier, registry, time);

        var envelopeSign = Measure(() => Repeat(() => signer.SignToBytes(report).Length));
        var envelopeWire = signer.SignToBytes(report);
        var envelopeBoth = Measure(() => Repeat(() => verifier.Verify<WitnessReport>(signer.SignToBytes(report)).IsValid ? 1 : Fail("envelope")));
        var sessionSeal = Measure(() => Repeat(() => sealer.SealToBytes(report).Length));
        var frameWire = sealer.SealToBytes(report);
        var sessionBoth = Measure(() => Repeat(() => frames.Verify<WitnessReport>(sealer.SealToBytes(report)).IsValid ? 1 : Fail("session")));
        var macKey = new byte[SessionProtocol.MacKeyLength];
        var frame = sealer.Seal(report);
        var tag = new byte[SessionProtocol.TagLength];
        var tagOnly = Measure(() => Repeat(() =>
        {
            CanonicalSessionFrame.ComputeTag(macKey, frame, tag);
            return tag[0];
        }));
        using var keyed = new SessionMac(macKey);
        var keyedTag = Measure(() => Repeat(() =>
        {
            CanonicalSessionFrame.ComputeTag(keyed, frame, tag);
            return tag[0];
        }));
        var handshake = Measure(() => Repeat(() => Open(signer, verifier, registry, time).Audience.Length));

        var result = new
        {
            benchmark = "report-auth-cputime",
            date = DateTimeOffset.UtcNow.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            machine = Environment.ProcessorCount + " logical CPUs, shared",
            ed25519_backend = Ed25519Backend.Default.Name,
            payload_bytes = report.CalculateSize(),
            envelope_bytes = envelopeWire.Length,
            frame_bytes = frameWire.Length,
            cpu_us_per_report = new
            {
                envelope_sign = Round(envelopeSign),
                envelope_sign_plus_verify = Round(envelopeBoth),
                session_seal = Round(sessionSeal),
                session_seal_plus_verify = Round(sessionBoth),
                session_tag_keyed_once = Round(keyedTag),
                session_tag_one_shot_hmac = Round(tagOnly),
                ratio = Math.Round(envelopeBoth.CpuMedian / sessionBoth.CpuMedian, 1),
            },
            cpu_us_per_handshake = Round(handshake),
            wall_us_per_report = new { envelope_sign_plus_verify = Math.Round(envelopeBoth.WallMedian / 1000, 2), session_seal_plus_verify = Math.Round(sessionBoth.WallMedian / 1000, 2) },
        };
        output.WriteLine(JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true }));
    }

    private static double Round(CpuTimeSample sample) => Math.Round(sample.CpuMedian / 1000, 2);

    private static int Fail(string path) => throw new InvalidOperationException($"{path}: a report was refused during the benchmark");

    private static SessionSealer Open(EnvelopeSigner signer, EnvelopeVerifier verifier, SessionRegistry registry, TimeProvider time)
    {
        var request = SessionOpenRequest.Create(signer, SessionProtocol.CoverageOracle, SystemRandomSource.Instance, time);
        var open = verifier.Verify<SessionOpen>(request.Body);
        var outcome = registry.Open(open, request.Body);
        return request.Complete(outcome.Accepted ?? throw new InvalidOperationException($"session open refused: {open} {outcome.Problem}"));
    }

    private static CpuTimeSample Measure(Func<int> body) => CpuTimeSampler.Measure(body, warmupCalls: 50, roundMilliseconds: 200, OpsPerCall, out _);

    private static int Repeat(Func<int> body)
    {
        var total = 0;
        for (var i = 0; i < OpsPerCall; i++)
        {
            total += body();
        }

        return total;
    }

    private static WitnessReport Witness(KeyPair hotspot) => new()
    {
        HotspotKey = ByteString.CopyFrom(hotspot.PublicKey.Bytes),
        Data = ByteString.CopyFrom(Enumerable.Range(0, 51).Select(i => (byte)i).ToArray()),
        TimestampNs = 1_763_719_260_000_000_000,
        Tmst = 123_456_789,
        SignalDdbm = -1080,
        SnrCdb = 550,
        FrequencyHz = 868_100_000,
        Datarate = "SF12BW125",
        FineTimestampNs = 123_456_789,
        HasFineTimestamp = true,
    };
}
