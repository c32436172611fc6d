using System.Net;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using BenchmarkDotNet.Attributes;
using DePin.Wireless.Core.Identity;
using DePin.Wireless.FirmwareBridge.Radio;
using DePin.Wireless.HotspotHost.Configuration;
using DePin.Wireless.HotspotHost.Forwarding;
using DePin.Wireless.HotspotHost.Identity;
using DePin.Wireless.HotspotHost.Runtime;
using DePin.Wireless.Proto;
using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DePin.Wireless.Benchmarks.HotspotHost;

/// <summary>
/// Packet forwarding throughput of the hotspot daemon: frames from a radio through the forwarder (report, sign,
/// queue, HTTP POST over loopback) to a network-server endpoint that verifies every envelope. Baseline: signing the
/// report alone. Target (issue 8): ≥ 2,000 packets/s.
/// Run: dotnet run -c Release --project bench/Benchmarks -- --filter '*ForwardingBenchmarks*' --job short --inProcess
/// </summary>
[MemoryDiagnoser]
public class ForwardingBenchmarks
{
    private const int Packets = 2_000;

    private WebApplication _networkServer = null!;
    private HotspotRuntime _runtime = null!;
    private BenchRadio _radio = null!;
    private EnvelopeSigner _signer = null!;
    private RxFrame _frame = null!;
    private EnvelopeVerifier _verifier = null!;

    [Params(true, false)]
    public bool VerifyAtServer { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _verifier = new EnvelopeVerifier(new EnvelopeVerifierOptions(), TimeProvider.System, new InMemoryReplayGuard(TimeProvider.System));
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        _networkServer = builder.Build();
        var accepted = new PacketReportResponse { Accepted = true }.ToByteArray();
        _networkServer.MapPost("/v1/packet-reports", async (HttpContext context) =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            // With VerifyAtServer the NS's signature check runs on the same cores as the hotspot, as in the devnet;
            // without it the NS only parses the envelope, isolating the hotspot's own cost.
            var ok = VerifyAtServer
                ? _verifier.Verify<PacketReport>(body.ToArray()).IsValid
                : SignedEnvelope.Parser.ParseFrom(body.ToArray()).Signature.Length == 64;
            context.Response.StatusCode = ok ? 200 : 400;
            await context.Response.Body.WriteAsync(accepted);
        });
        _networkServer.StartAsync().GetAwaiter().GetResult();
        var url = _networkServer.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

        var random = SeededRandomSource.FromLabel("bench-hotspot");
        var key = new FileKeySecureElement(KeyPair.Generate(KeyType.Ed25519, random.Derive("key")));
        _radio = new BenchRadio();
        _runtime = new HotspotRuntime(new HotspotRuntimeSettings
        {
            // This benchmark measures the signed-envelope path; session v1 is measured by `report-auth-cputime`.
            Options = new HotspotOptions { NetworkServerUrl = url, Beaconing = new BeaconingOptions { Enabled = false }, Services = new ServicesOptions { Authentication = "envelope" } },
            Key = key,
            Radio = _radio,
            Random = SystemRandomSource.Instance,
        });
        _runtime.StartAsync(CancellationToken.None).GetAwaiter().GetResult();
        _signer = new EnvelopeSigner(KeyPair.Generate(KeyType.Ed25519, random.Derive("k2")), TimeProvider.System, SystemRandomSource.Instance);
        _frame = new RxFrame(Convert.FromHexString("40010203040001000102030405060708090A0B0C0D"), 868_100_000, new LoRaModulation(7, 125_000), LoRaCodingRate.Cr4_5, -80, 8, 1000, RxCrcStatus.Ok);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _runtime.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _networkServer.StopAsync().GetAwaiter().GetResult();
        _verifier.Dispose();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Packets, Description = "sign packet report only")]
    public int SignOnly()
    {
        var total = 0;
        for (var i = 0; i < Packets; i++)
        {
            total += _signer.SignToBytes(ReportFields.PacketReport(_frame, _signer.SignerKey, "EU868", DateTimeOffset.UtcNow)).Length;
        }

        return total;
    }

    [Benchmark(OperationsPerInvoke = Packets, Description = "radio -> forwarder -> HTTP -> verifying NS")]
    public long ForwardToNetworkServer()
    {
        var target = _runtime.Forwarder.Queue.Counters.Delivered + Packets;
        for (var i = 0; i < Packets; i++)
        {
            _radio.Hear(_frame);
        }

        var spins = new SpinWait();
        while (_runtime.Forwarder.Queue.Counters.Delivered < target)
        {
            spins.SpinOnce(sleep1Threshold: 20);
        }

        return target;
    }

    /// <summary>A radio whose air is a channel: frames handed in are received in order.</summary>
    private sealed class BenchRadio : IRadio
    {
        private readonly Channel<RxFrame> _air = Channel.CreateUnbounded<RxFrame>();

        public void Hear(RxFrame frame) => _air.Writer.TryWrite(frame);

        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public async IAsyncEnumerable<RxFrame> ReceiveAllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await foreach (var frame in _air.Reader.ReadAllAsync(cancellationToken))
            {
                yield return frame;
            }
        }

        public Task<TxResult> TransmitAsync(TxRequest request, CancellationToken cancellationToken) => Task.FromResult(TxResult.Ok);

        public ValueTask DisposeAsync()
        {
            _air.Writer.TryComplete();
            return ValueTask.CompletedTask;
        }
    }
}
