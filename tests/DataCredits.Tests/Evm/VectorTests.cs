using System.Numerics;
using System.Text;
using DePin.Wireless.DataCredits.Evm;

namespace DePin.Wireless.DataCredits.Tests.Evm;

public sealed class KeccakAndKeyTests
{
    [Fact]
    public void Keccak256_of_empty_input_matches_published_value()
    {
        // Ethereum's KECCAK_EMPTY constant (Yellow Paper; go-ethereum types.EmptyCodeHash).
        Assert.Equal("0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470", Hex.Encode(Keccak.Hash256(ReadOnlySpan<byte>.Empty)));
    }

    [Fact]
    public void Selector_and_event_topic_match_erc20_constants()
    {
        // ERC-20 transfer selector and Transfer topic, as listed in EIP-20 tooling everywhere.
        Assert.Equal("0xa9059cbb", Hex.Encode(Abi.Selector("transfer(address,uint256)")));
        Assert.Equal("0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef", Abi.EventTopic("Transfer(address,address,uint256)").ToString());
    }

    [Fact]
    public void Eip155_example_key_gives_its_address()
    {
        var key = EthKey.Parse("0x4646464646464646464646464646464646464646464646464646464646464646");
        Assert.Equal("0x9d8A62f656a8d1615C1294fd71e9CFb3E4855A4F", key.Address.ToString());
    }

    [Fact]
    public void Ganache_deterministic_first_key_gives_its_address()
    {
        var key = EthKey.Parse("0x4f3edf983ac636a65a842ce7c78d9aa706d3b113bce9c46f30d7d21715b23b1d");
        Assert.Equal("0x90F8bf6A479f320ead074411a4B0e7944Ea8c9C1", key.Address.ToString());
    }

    [Theory]
    // EIP-55 specification test cases.
    [InlineData("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed")]
    [InlineData("0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359")]
    [InlineData("0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB")]
    [InlineData("0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb")]
    public void Eip55_checksums_round_trip(string address)
    {
        Assert.Equal(address, EthAddress.Parse(address.ToLowerInvariant()).ToString());
        Assert.Equal(address, EthAddress.Parse(address).ToString());
    }

    [Fact]
    public void Eip55_rejects_a_wrong_checksum()
    {
        var e = Assert.Throws<FormatException>(() => EthAddress.Parse("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD", "token"));
        Assert.Contains("token", e.Message);
        Assert.Contains("checksum", e.Message);
    }

    [Fact]
    public void Signature_recovers_to_the_signer()
    {
        var key = EthKey.Parse("0x4646464646464646464646464646464646464646464646464646464646464646");
        for (var i = 0; i < 20; i++)
        {
            var hash = Keccak.Hash256("message " + i);
            var signature = key.Sign(hash);
            Assert.Equal(key.PublicKey, EthKey.RecoverPublicKey(hash, signature));
        }
    }

    [Fact]
    public void Private_key_errors_name_the_field()
    {
        Assert.Contains("key", Assert.Throws<FormatException>(() => EthKey.Parse("0x1234", "key")).Message);
        Assert.Contains("outside", Assert.Throws<FormatException>(() => EthKey.Parse("0x" + new string('0', 64))).Message);
    }
}

public sealed class TransactionVectorTests
{
    private static LegacyTransaction Eip155Example() => new(
        ChainId: 1,
        Nonce: 9,
        GasPrice: 20_000_000_000,
        GasLimit: 21000,
        To: EthAddress.Parse("0x3535353535353535353535353535353535353535"),
        Value: BigInteger.Parse("1000000000000000000"),
        Data: []);

    [Fact]
    public void Eip155_example_signing_hash_matches_spec()
    {
        // EIP-155, "Example": signing data and signing hash.
        Assert.Equal("0xdaf5a779ae972f972197303d7b574746c7ef83eadac0f2791ad23db92e4c8e53", Hex.Encode(Eip155Example().SigningHash()));
    }

    [Fact]
    public void Eip155_example_signed_transaction_matches_spec()
    {
        var key = EthKey.Parse("0x4646464646464646464646464646464646464646464646464646464646464646");
        var signed = Eip155Example().Sign(key);
        Assert.Equal(
            "0xf86c098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a76400008025a028ef61340bd939bc2195fe537567866003e1a15d3c71ff63e1590620aa636276a067cbe9d8997f761aecb703304b3800ccf555c9f3dc64214b297fb1966a3b6d83",
            Hex.Encode(signed));
    }

    [Fact]
    public void Eip1559_transaction_is_type_2_and_signature_recovers()
    {
        var key = EthKey.Parse("0x4646464646464646464646464646464646464646464646464646464646464646");
        var tx = new Eip1559Transaction(1337, 0, 1_000_000_000, 3_000_000_000, 21000, key.Address, 5, []);
        var signed = tx.Sign(key);
        Assert.Equal(0x02, signed[0]);
        var fields = Rlp.AsList(Rlp.Decode(signed.AsSpan(1)));
        Assert.Equal(12, fields.Count);
        var signature = new EthSignature(Rlp.ToInteger(fields[10]), Rlp.ToInteger(fields[11]), (int)Rlp.ToInteger(fields[9]));
        Assert.Equal(key.PublicKey, EthKey.RecoverPublicKey(tx.SigningHash(), signature));
    }
}

public sealed class RlpTests
{
    // Vectors from the Ethereum RLP specification page (ethereum.org/developers/docs/data-structures-and-encoding/rlp).
    [Fact]
    public void Encodes_published_examples()
    {
        Assert.Equal("0x83646f67", Hex.Encode(Rlp.Encode(RlpItem.Of("dog"))));
        Assert.Equal("0xc88363617483646f67", Hex.Encode(Rlp.Encode(RlpItem.Of(RlpItem.Of("cat"), RlpItem.Of("dog")))));
        Assert.Equal("0x80", Hex.Encode(Rlp.Encode(RlpItem.Of(string.Empty))));
        Assert.Equal("0xc0", Hex.Encode(Rlp.Encode(RlpItem.Of(Array.Empty<RlpItem>()))));
        Assert.Equal("0x80", Hex.Encode(Rlp.Encode(RlpItem.Of(BigInteger.Zero))));
        Assert.Equal("0x00", Hex.Encode(Rlp.Encode(RlpItem.Of([(byte)0]))));
        Assert.Equal("0x0f", Hex.Encode(Rlp.Encode(RlpItem.Of(new BigInteger(15)))));
        Assert.Equal("0x820400", Hex.Encode(Rlp.Encode(RlpItem.Of(new BigInteger(1024)))));
        var empty = RlpItem.Of(Array.Empty<RlpItem>());
        var setTheoretic = RlpItem.Of(empty, RlpItem.Of(empty), RlpItem.Of(empty, RlpItem.Of(empty)));
        Assert.Equal("0xc7c0c1c0c3c0c1c0", Hex.Encode(Rlp.Encode(setTheoretic)));
        var lorem = "Lorem ipsum dolor sit amet, consectetur adipisicing elit";
        Assert.Equal("0xb838" + Convert.ToHexStringLower(Encoding.ASCII.GetBytes(lorem)), Hex.Encode(Rlp.Encode(RlpItem.Of(lorem))));
    }

    [Theory]
    [InlineData("0xc88363617483646f67")]
    [InlineData("0xc7c0c1c0c3c0c1c0")]
    [InlineData("0x820400")]
    [InlineData("0x80")]
    public void Decode_then_encode_round_trips(string hex)
    {
        Assert.Equal(hex, Hex.Encode(Rlp.Encode(Rlp.Decode(Hex.Decode(hex)))));
    }

    [Theory]
    [InlineData("0x8100")] // single byte < 0x80 with a prefix
    [InlineData("0x83646f")] // truncated
    [InlineData("0x83646f6700")] // trailing byte
    [InlineData("0xb801ff")] // long form for a short string
    public void Rejects_non_canonical_or_truncated_input(string hex)
    {
        Assert.Throws<FormatException>(() => Rlp.Decode(Hex.Decode(hex)));
    }
}

public sealed class AbiTests
{
    [Fact]
    public void Encodes_static_and_dynamic_arguments_like_the_solidity_spec_example()
    {
        // Solidity ABI spec example: f(uint256,uint32[],bytes10,bytes) is beyond our types, so use the
        // spec's "sam(bytes,bool,uint256[])" head/tail rule with our subset: (bytes, bool, uint256).
        var encoded = Abi.Encode([new AbiValue.DynamicBytes(Encoding.ASCII.GetBytes("dave")), new AbiValue.Bool(true), new AbiValue.Uint256(3)]);
        var expected =
            "0000000000000000000000000000000000000000000000000000000000000060" +
            "0000000000000000000000000000000000000000000000000000000000000001" +
            "0000000000000000000000000000000000000000000000000000000000000003" +
            "0000000000000000000000000000000000000000000000000000000000000004" +
            "6461766500000000000000000000000000000000000000000000000000000000";
        Assert.Equal(expected, Convert.ToHexStringLower(encoded));
    }

    [Fact]
    public void Round_trips_every_supported_type()
    {
        var address = EthAddress.Parse("0x90F8bf6A479f320ead074411a4B0e7944Ea8c9C1");
        var hash = new Hash32(Keccak.Hash256("payer"));
        AbiValue[] values =
        [
            new AbiValue.Uint256(BigInteger.Pow(2, 255) + 7),
            new AbiValue.Bytes32(hash),
            new AbiValue.Address(address),
            new AbiValue.Bool(false),
            new AbiValue.String("héllo, data credits that take more than one word of thirty-two bytes"),
            new AbiValue.DynamicBytes([1, 2, 3]),
        ];
        var decoded = Abi.Decode(values.Select(v => v.TypeName).ToList(), Abi.Encode(values));
        Assert.Equal(values, decoded);
    }

    [Fact]
    public void Rejects_truncated_data()
    {
        Assert.Throws<FormatException>(() => Abi.Decode(["uint256", "uint256"], new byte[40]));
    }
}
