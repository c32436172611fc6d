using System.Numerics;
using System.Text;

namespace DePin.Wireless.DataCredits.Evm;

/// <summary>One argument value of the Solidity contract ABI, for the types this service uses.</summary>
public abstract record AbiValue
{
    public abstract string TypeName { get; }

    public virtual bool IsDynamic => false;

    public sealed record Uint256(BigInteger Value) : AbiValue
    {
        public override string TypeName => "uint256";
    }

    public sealed record Bytes32(Hash32 Value) : AbiValue
    {
        public override string TypeName => "bytes32";
    }

    public sealed record Address(EthAddress Value) : AbiValue
    {
        public override string TypeName => "address";
    }

    public sealed record Bool(bool Value) : AbiValue
    {
        public override string TypeName => "bool";
    }

    public sealed record String(string Value) : AbiValue
    {
        public override string TypeName => "string";

        public override bool IsDynamic => true;
    }

    public sealed record DynamicBytes(byte[] Value) : AbiValue
    {
        public override string TypeName => "bytes";

        public override bool IsDynamic => true;

        public bool Equals(DynamicBytes? other) => other is not null && Value.AsSpan().SequenceEqual(other.Value);

        public override int GetHashCode() => Value.Length;
    }
}

/// <summary>Contract ABI head/tail encoding (Solidity docs, "Contract ABI Specification", "Formal Specification of the Encoding").</summary>
public static class Abi
{
    private const int Word = 32;
    private static readonly BigInteger TwoTo256 = BigInteger.One << 256;

    /// <summary>First 4 bytes of Keccak-256 of the canonical signature, e.g. "transfer(address,uint256)".</summary>
    public static byte[] Selector(string signature) => Keccak.Hash256(signature)[..4];

    /// <summary>topic[0] of a non-anonymous event: Keccak-256 of its canonical signature.</summary>
    public static Hash32 EventTopic(string signature) => new(Keccak.Hash256(signature));

    public static byte[] EncodeCall(string signature, params AbiValue[] arguments) => [.. Selector(signature), .. Encode(arguments)];

    public static byte[] Encode(IReadOnlyList<AbiValue> values)
    {
        var head = new List<byte>();
        var tail = new List<byte>();
        var headSize = values.Count * Word;
        foreach (var value in values)
        {
            if (value.IsDynamic)
            {
                head.AddRange(EncodeUint(headSize + tail.Count));
                tail.AddRange(EncodeDynamic(value));
            }
            else
            {
                head.AddRange(EncodeStatic(value));
            }
        }

        return [.. head, .. tail];
    }

    /// <summary>Decodes return data or log data for the given type names (uint256, bytes32, address, bool, string, bytes).</summary>
    public static IReadOnlyList<AbiValue> Decode(IReadOnlyList<string> types, ReadOnlySpan<byte> data)
    {
        var result = new List<AbiValue>(types.Count);
        for (var i = 0; i < types.Count; i++)
        {
            var word = ReadWord(data, i * Word, types[i]);
            result.Add(types[i] switch
            {
                "string" => new AbiValue.String(Encoding.UTF8.GetString(ReadDynamic(data, word, types[i]))),
                "bytes" => new AbiValue.DynamicBytes(ReadDynamic(data, word, types[i])),
                _ => DecodeStatic(types[i], word),
            });
        }

        return result;
    }

    /// <summary>Decodes one 32-byte word (an indexed event topic or a static value).</summary>
    public static AbiValue DecodeStatic(string type, ReadOnlySpan<byte> word)
    {
        if (word.Length != Word)
        {
            throw new FormatException($"ABI {type}: a word is 32 bytes, got {word.Length}");
        }

        return type switch
        {
            "uint256" => new AbiValue.Uint256(new BigInteger(word, isUnsigned: true, isBigEndian: true)),
            "bytes32" => new AbiValue.Bytes32(new Hash32(word)),
            "address" when word[..12].IndexOfAnyExcept((byte)0) < 0 => new AbiValue.Address(new EthAddress(word[12..])),
            "address" => throw new FormatException("ABI address: upper 12 bytes must be zero"),
            "bool" when word[..31].IndexOfAnyExcept((byte)0) < 0 && word[31] <= 1 => new AbiValue.Bool(word[31] == 1),
            "bool" => throw new FormatException("ABI bool: word is neither 0 nor 1"),
            _ => throw new NotSupportedException($"ABI type '{type}' is not supported by this decoder"),
        };
    }

    private static byte[] EncodeStatic(AbiValue value) => value switch
    {
        AbiValue.Uint256 u => EncodeUint(u.Value),
        AbiValue.Bytes32 b => b.Value.Bytes.ToArray(),
        AbiValue.Address a => [.. new byte[12], .. a.Value.Bytes],
        AbiValue.Bool b => EncodeUint(b.Value ? 1 : 0),
        _ => throw new ArgumentException($"{value.TypeName} is not static", nameof(value)),
    };

    private static byte[] EncodeDynamic(AbiValue value)
    {
        var bytes = value switch
        {
            AbiValue.String s => Encoding.UTF8.GetBytes(s.Value),
            AbiValue.DynamicBytes b => b.Value,
            _ => throw new ArgumentException($"{value.TypeName} is not dynamic", nameof(value)),
        };
        var padded = new byte[(bytes.Length + Word - 1) / Word * Word];
        bytes.CopyTo(padded, 0);
        return [.. EncodeUint(bytes.Length), .. padded];
    }

    private static byte[] EncodeUint(BigInteger value)
    {
        if (value.Sign < 0 || value >= TwoTo256)
        {
            throw new ArgumentOutOfRangeException(nameof(value), "uint256 must be in [0, 2^256)");
        }

        var word = new byte[Word];
        var bytes = value.ToByteArray(isUnsigned: true, isBigEndian: true);
        if (!value.IsZero)
        {
            bytes.CopyTo(word, Word - bytes.Length);
        }

        return word;
    }

    private static ReadOnlySpan<byte> ReadWord(ReadOnlySpan<byte> data, int offset, string type)
    {
        if (offset < 0 || offset + Word > data.Length)
        {
            throw new FormatException($"ABI {type}: data ends at byte {data.Length}, word needed at {offset}");
        }

        return data.Slice(offset, Word);
    }

    private static byte[] ReadDynamic(ReadOnlySpan<byte> data, ReadOnlySpan<byte> offsetWord, string type)
    {
        var offset = ToInt(offsetWord, type);
        var length = ToInt(ReadWord(data, offset, type), type);
        if (offset + Word + length > data.Length)
        {
            throw new FormatException($"ABI {type}: declared length {length} runs past the end of the data");
        }

        return data.Slice(offset + Word, length).ToArray();
    }

    private static int ToInt(ReadOnlySpan<byte> word, string type)
    {
        var value = new BigInteger(word, isUnsigned: true, isBigEndian: true);
        if (value > int.MaxValue)
        {
            throw new FormatException($"ABI {type}: offset or length {value} is too large");
        }

        return (int)value;
    }
}
