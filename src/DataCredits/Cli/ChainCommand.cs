using System.CommandLine;
using System.Globalization;
using System.Numerics;
using DePin.Wireless.DataCredits.Evm;
using DePin.Wireless.DataCredits.Ledger;

namespace DePin.Wireless.DataCredits.Cli;

/// <summary>`chain deploy` and `chain burn`: talk to the token contract on an EVM node.</summary>
public static class ChainCommand
{
    public static Command Build()
    {
        var chain = new Command("chain", "Deploy the DataCreditsToken contract or burn tokens for Data Credits.");
        chain.Subcommands.Add(BuildDeploy());
        chain.Subcommands.Add(BuildBurn());
        return chain;
    }

    private static Option<string> Rpc() => new("--rpc") { Description = "EVM JSON-RPC URL, e.g. http://127.0.0.1:8545", Required = true };

    private static Option<string> Key() => new("--key") { Description = "sender private key, 0x + 64 hex digits", Required = true };

    private static Command BuildDeploy()
    {
        var rpc = Rpc();
        var key = Key();
        var supply = new Option<string>("--supply") { Description = "initial supply in base units (8 decimals), minted to the deployer", DefaultValueFactory = _ => "100000000000000000" };
        var command = new Command("deploy", "Deploy DataCreditsToken; prints {\"token\":\"0x...\"}.") { rpc, key, supply };
        command.SetAction((parse, ct) => CommandRunner.RunAsync(async () =>
        {
            var initialSupply = ParseAmount(parse.GetValue(supply), "--supply", allowZero: true);
            using var http = new HttpClient();
            var client = new JsonRpcEvmClient(http, CommandRunner.ParseRpc(parse.GetValue(rpc)));
            var sender = new TransactionSender(client, EthKey.Parse(parse.GetValue(key)!, "--key"), new TransactionSenderOptions(), TimeProvider.System);
            var token = await DataCreditsTokenContract.DeployAsync(client, sender, initialSupply, ct);
            return new { token = token.Address.ToString() };
        }));
        return command;
    }

    private static Command BuildBurn()
    {
        var rpc = Rpc();
        var key = Key();
        var token = new Option<string>("--token") { Description = "token contract address", Required = true };
        var payer = new Option<string>("--payer") { Description = "payer key to credit, 0x + 64 hex digits", Required = true };
        var amount = new Option<string>("--amount") { Description = "tokens to burn in base units (8 decimals)", Required = true };
        var command = new Command("burn", "Burn tokens for a payer's Data Credits; prints {\"tx\":\"0x...\"} once mined.") { rpc, key, token, payer, amount };
        command.SetAction((parse, ct) => CommandRunner.RunAsync(async () =>
        {
            var tokenAddress = EthAddress.Parse(parse.GetValue(token), "--token");
            var payerKey = PayerKey.Parse(parse.GetValue(payer), "--payer");
            var value = ParseAmount(parse.GetValue(amount), "--amount", allowZero: false);
            using var http = new HttpClient();
            var client = new JsonRpcEvmClient(http, CommandRunner.ParseRpc(parse.GetValue(rpc)));
            var sender = new TransactionSender(client, EthKey.Parse(parse.GetValue(key)!, "--key"), new TransactionSenderOptions(), TimeProvider.System);
            var receipt = await new DataCreditsTokenContract(client, tokenAddress).BurnAsync(sender, payerKey.Value, value, ct);
            return new { tx = receipt.TransactionHash.ToString() };
        }));
        return command;
    }

    private static BigInteger ParseAmount(string? text, string field, bool allowZero)
    {
        if (!BigInteger.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            throw new FormatException($"{field}: expected a whole number of base units (digits only), got '{text}'");
        }

        if (value >= BigInteger.One << 256 || (!allowZero && value.IsZero))
        {
            throw new FormatException($"{field}: must be {(allowZero ? "at least 0" : "positive")} and below 2^256, got {text}");
        }

        return value;
    }
}
