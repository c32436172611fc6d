using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using DePin.Wireless.Core.Primitives;
using DePin.Wireless.NetworkServer.LoRaWan;

namespace DePin.Wireless.Benchmarks.LoRaWan;

/// <summary>
/// The per-uplink cost of the LoRaWAN MAC layer: parse a data frame with a 20-byte FRMPayload (33-byte PHYPayload),
/// verify its MIC with the 32-bit counter and decrypt the payload. The raw AES-128 single-block rate of the same
/// machine is measured alongside as the baseline (a MIC over B0 + 29 bytes is 3 AES blocks, the payload 2), plus the
/// .NET one-shot EncryptEcb for comparison.
/// Run: dotnet run -c Release --project bench/Benchmarks -- --filter '*UplinkCrypto*' --job short --inProcess
/// </summary>
[MemoryDiagnoser]
public class UplinkCryptoBenchmarks
{
    private readonly byte[] plain = new byte[20];
    private readonly byte[] block = new byte[16];
    private readonly byte[] blockOut = new byte[16];
    private byte[] frame = [];
    private LoRaCipher nwkSKey = null!;
    private LoRaCipher appSKey = null!;
    private Aes rawAes = null!;

    [GlobalSetup]
    public void Setup()
    {
        nwkSKey = new LoRaCipher(AesKey.Parse("44024241ed4ce9a68c6a8bc055233fd3"));
        appSKey = new LoRaCipher(AesKey.Parse("ec925802ae430ca77fd3dd73cb2cc588"));
        rawAes = Aes.Create();
        rawAes.Key = Convert.FromHexString("44024241ed4ce9a68c6a8bc055233fd3");
        var payload = Enumerable.Range(0, 20).Select(i => (byte)i).ToArray();
        frame = FrameBuilder.BuildDataFrame(new DataFrameFields(MType.UnconfirmedDataUp, new DevAddr(0x260b1234), 70_001) { FPort = 2, Payload = payload }, nwkSKey, appSKey);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        nwkSKey.Dispose();
        appSKey.Dispose();
        rawAes.Dispose();
    }

    [Benchmark(Baseline = true, Description = "AES-128 one block (LoRaCipher, AES-NI)")]
    public byte AesBlock()
    {
        nwkSKey.EncryptBlocks(block, blockOut);
        return blockOut[0];
    }

    [Benchmark(Description = "AES-128 one block (.NET one-shot EncryptEcb)")]
    public byte DotNetOneShotAesBlock()
    {
        rawAes.EncryptEcb(block, blockOut, PaddingMode.None);
        return blockOut[0];
    }

    [Benchmark(Description = "MIC only (B0 + 29 bytes)")]
    public Mic MicOnly() => LoRaWanCrypto.ComputeDataMic(nwkSKey, frame.AsSpan(0, frame.Length - 4), Direction.Uplink, new DevAddr(0x260b1234), 70_001);

    [Benchmark(Description = "parse only")]
    public int Parse()
    {
        var data = PhyFrame.Parse(frame).AsDataFrame();
        return data.FrmPayload.Length + data.FCnt16;
    }

    [Benchmark(Description = "parse + MIC + decrypt (20-byte payload)")]
    public bool ParseVerifyDecrypt()
    {
        var data = PhyFrame.Parse(frame).AsDataFrame();
        var fCnt = FrameCounter.Reconstruct(data.FCnt16, 70_000);
        var ok = LoRaWanCrypto.ComputeDataMic(nwkSKey, data.Signed, data.Direction, data.DevAddr, fCnt.FCnt32) == data.Mic;
        LoRaWanCrypto.CryptFrmPayload(appSKey, data.Direction, data.DevAddr, fCnt.FCnt32, data.FrmPayload, plain);
        return ok;
    }
}
