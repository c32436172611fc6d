using DePin.Wireless.TestSupport;

namespace DePin.Wireless.DataCredits.Tests.Evm;

public sealed class ContractArtifactTests
{
    [Fact]
    public async Task Committed_artifact_matches_a_fresh_compile_of_the_source()
    {
        var contracts = RepoPaths.Combine("src", "DataCredits", "contracts");
        var fresh = await ExternalProcess.RunCheckedAsync("node", [Path.Combine(contracts, "compile.mjs"), "--stdout"], contracts, TimeSpan.FromMinutes(2));
        var committed = await File.ReadAllTextAsync(Path.Combine(contracts, "DataCreditsToken.json"));
        Assert.True(
            fresh.StdOut.ReplaceLineEndings("\n") == committed.ReplaceLineEndings("\n"),
            "DataCreditsToken.json is stale: run 'node src/DataCredits/contracts/compile.mjs' and commit the result");
    }

    [Fact]
    public void Embedded_bytecode_is_the_committed_one()
    {
        var bytecode = DePin.Wireless.DataCredits.Evm.DataCreditsTokenContract.CreationBytecode();
        Assert.True(bytecode.Length > 500);
        var committed = File.ReadAllText(RepoPaths.Combine("src", "DataCredits", "contracts", "DataCreditsToken.json"));
        Assert.Contains(DePin.Wireless.DataCredits.Evm.Hex.Encode(bytecode), committed, StringComparison.Ordinal);
    }
}
