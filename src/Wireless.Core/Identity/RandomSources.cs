using System.Buffers.Binary;
using System.Security.Cryptography;

namespace DePin.Wireless.Core.Identity;

/// <summary>
/// Where key material and nonces come from. Production passes <see cref="SystemRandomSource"/>; the devnet passes a
/// <see cref="SeededRandomSource"/> so a whole simulated network (its keys included) is reproducible from one seed.
/// </summary>
public interface IRandomSource
{
    void Fill(Span<byte> destination);
}

/// <summary>The operating system's cryptographic random number generator.</summary>
public sealed class SystemRandomSource : IRandomSource
{
    public static SystemRandomSource Instance { get; } = new();

    public void Fill(Span<byte> destination) => RandomNumberGenerator.Fill(destination);
}

/// <summary>
/// A deterministic byte stream for simulations and tests: block i = SHA-256(seed ‖ u64_le(i)). Two sources made from
/// the same seed produce the same bytes. Never use it for real keys: anyone who knows the seed knows the keys.
/// Not thread-safe (it is a sequence); give each simulated actor its own, e.g. via <see cref="Derive"/>.
/// </summary>
public sealed class SeededRandomSource : IRandomSource
{
    private readonly byte[] _seed;
    private readonly byte[] _block = new byte[SHA256.HashSizeInBytes];
    private ulong _counter;
    private int _available;

    public SeededRandomSource(ReadOnlySpan<byte> seed)
    {
        if (seed.IsEmpty)
        {
            throw new ArgumentException("seed: must not be empty", nameof(seed));
        }

        // Long seeds are hashed so each block input stays small enough for the stack.
        _seed = seed.Length <= 64 ? seed.ToArray() : SHA256.HashData(seed);
    }

    /// <summary>A seed from text, e.g. "devnet-42/hotspot-7".</summary>
    public static SeededRandomSource FromLabel(string label) => new(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(label)));

    /// <summary>An independent stream for a named sub-actor: seed' = SHA-256(seed ‖ 0xFF ‖ UTF-8(label)).</summary>
    public SeededRandomSource Derive(string label)
    {
        var labelBytes = System.Text.Encoding.UTF8.GetBytes(label);
        var input = new byte[_seed.Length + 1 + labelBytes.Length];
        _seed.CopyTo(input, 0);
        input[_seed.Length] = 0xFF;
        labelBytes.CopyTo(input, _seed.Length + 1);
        return new SeededRandomSource(SHA256.HashData(input));
    }

    public void Fill(Span<byte> destination)
    {
        while (!destination.IsEmpty)
        {
            if (_available == 0)
            {
                NextBlock();
            }

            var take = Math.Min(_available, destination.Length);
            _block.AsSpan(_block.Length - _available, take).CopyTo(destination);
            _available -= take;
            destination = destination[take..];
        }
    }

    private void NextBlock()
    {
        Span<byte> input = stackalloc byte[_seed.Length + sizeof(ulong)];
        _seed.CopyTo(input);
        BinaryPrimitives.WriteUInt64LittleEndian(input[_seed.Length..], _counter++);
        SHA256.HashData(input, _block);
        _available = _block.Length;
    }
}
