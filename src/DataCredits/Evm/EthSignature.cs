using System.Numerics;

namespace DePin.Wireless.DataCredits.Evm;

/// <summary>A secp256k1 signature with its recovery id (0 or 1, the parity of R.y).</summary>
public readonly record struct EthSignature(BigInteger R, BigInteger S, int RecoveryId);
