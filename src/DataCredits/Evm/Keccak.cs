using Org.BouncyCastle.Crypto.Digests;

namespace DePin.Wireless.DataCredits.Evm;

/// <summary>Keccak-256 as used by Ethereum (the original Keccak padding, not NIST SHA3-256).</summary>
public static class Keccak
{
    public static byte[] Hash256(ReadOnlySpan<byte> data)
    {
        var digest = new KeccakDigest(256);
        var input = data.ToArray();
        digest.BlockUpdate(input, 0, input.Length);
        var output = new byte[32];
        digest.DoFinal(output, 0);
        return output;
    }

    public static byte[] Hash256(string utf8) => Hash256(System.Text.Encoding.UTF8.GetBytes(utf8));
}
