using System.IO.Compression;
using System.Text;
using System.Text.Json;
using DePin.Wireless.CoverageOracle.H3Tool;
using DePin.Wireless.TestSupport;

namespace DePin.Wireless.CoverageOracle.Tests.H3;

public sealed class H3CommandTests
{
    private static async Task<List<JsonElement>> RunAsync(string input)
    {
        var output = new StringWriter();
        await new H3JsonLineProcessor().ProcessAsync(new StringReader(input), output, CancellationToken.None);
        return output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
    }

    [Fact]
    public async Task Answers_match_h3js_reference_fixtures()
    {
        using var file = File.OpenRead(RepoPaths.Combine("tests", "fixtures", "h3", "h3-cases.json.gz"));
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var doc = await JsonDocument.ParseAsync(gzip);
        var cases = doc.RootElement.GetProperty("cases").EnumerateArray().Where((_, i) => i % 40 == 0).Select(c => c.Clone()).ToList();
        var input = new StringBuilder();
        foreach (var c in cases)
        {
            input.Append(JsonSerializer.Serialize(new { lat = c.GetProperty("lat").GetDouble(), lng = c.GetProperty("lng").GetDouble(), res = c.GetProperty("res").GetInt32(), other = c.GetProperty("other").GetString() })).Append('\n');
        }

        var answers = await RunAsync(input.ToString());
        Assert.Equal(cases.Count, answers.Count);
        for (var i = 0; i < cases.Count; i++)
        {
            var expected = cases[i];
            var actual = answers[i];
            var res = expected.GetProperty("res").GetInt32();
            Assert.Equal(expected.GetProperty("cell").GetString(), actual.GetProperty("cell").GetString());
            Assert.Equal(expected.GetProperty("isPentagon").GetBoolean(), actual.GetProperty("isPentagon").GetBoolean());
            Assert.Equal(Cells(expected, "disk1"), Cells(actual, "disk1"));
            Assert.Equal(expected.GetProperty("disk2").GetArrayLength(), actual.GetProperty("disk2Count").GetInt32());
            Assert.Equal(expected.GetProperty("boundary").GetArrayLength(), actual.GetProperty("boundary").GetArrayLength());
            Assert.Equal(expected.GetProperty("center")[0].GetDouble(), actual.GetProperty("center")[0].GetDouble(), 1e-9);
            Assert.Equal(res > 0, actual.TryGetProperty("parent", out var parent));
            if (res > 0)
            {
                Assert.Equal(expected.GetProperty("parent").GetString(), parent.GetString());
            }

            Assert.Equal(res <= 13, actual.TryGetProperty("children", out var children));
            if (res <= 13)
            {
                Assert.Equal(Cells(expected, "children"), children.EnumerateArray().Select(x => x.GetString()!));
            }

            var distance = expected.GetProperty("distance");
            if (distance.ValueKind == JsonValueKind.Null)
            {
                Assert.Equal(JsonValueKind.Null, actual.GetProperty("distance").ValueKind);
                Assert.Contains("other", actual.GetProperty("distanceError").GetString());
            }
            else
            {
                Assert.Equal(distance.GetInt64(), actual.GetProperty("distance").GetInt64());
            }
        }
    }

    [Theory]
    [InlineData("{\"lat\":95,\"lng\":0,\"res\":3}", "field 'lat': 95 is outside -90..90")]
    [InlineData("{\"lat\":-90.5,\"lng\":0,\"res\":3}", "field 'lat'")]
    [InlineData("{\"lat\":\"NaN\",\"lng\":0,\"res\":3}", "field 'lat': missing or not a number")]
    [InlineData("{\"lat\":NaN,\"lng\":0,\"res\":3}", "bad JSON")]
    [InlineData("{\"lat\":1,\"lng\":0,\"res\":16}", "field 'res': 16 is outside 0..15")]
    [InlineData("{\"lat\":1,\"lng\":0,\"res\":-1}", "field 'res': -1 is outside 0..15")]
    [InlineData("{\"lat\":1,\"lng\":0,\"res\":2.5}", "field 'res': missing or not an integer")]
    [InlineData("{\"lat\":1,\"res\":2}", "field 'lng': missing")]
    [InlineData("{\"lat\":1,\"lng\":0,\"res\":2,\"other\":\"xyz\"}", "field 'other': H3 cell text contains non-hexadecimal character 'x'")]
    [InlineData("{\"lat\":1,\"lng\":0,\"res\":2,\"other\":\"85283477fff\"}", "field 'other'")]
    [InlineData("{\"lat\":1,\"lng\":0,\"res\":2,\"other\":42}", "field 'other': must be an H3 cell string")]
    [InlineData("[1,2,3]", "bad JSON: expected an object")]
    [InlineData("{\"lat\":1,", "bad JSON")]
    [InlineData("", "empty line")]
    public async Task Bad_line_yields_error_and_processing_continues(string bad, string expectedError)
    {
        var answers = await RunAsync($"{{\"lat\":1,\"lng\":2,\"res\":5}}\n{bad}\n{{\"lat\":1,\"lng\":2,\"res\":5}}\n");
        Assert.Equal(3, answers.Count);
        Assert.Contains(expectedError, answers[1].GetProperty("error").GetString());
        Assert.Equal(answers[0].GetProperty("cell").GetString(), answers[2].GetProperty("cell").GetString());
        Assert.False(answers[0].TryGetProperty("error", out _));
    }

    [Fact]
    public async Task Known_reference_values_for_san_francisco_and_a_pentagon()
    {
        var answers = await RunAsync("{\"lat\":37.7749,\"lng\":-122.4194,\"res\":9,\"other\":\"8928308280bffff\"}\n{\"lat\":64.7,\"lng\":10.5,\"res\":0}\n{\"lat\":1,\"lng\":2,\"res\":5,\"other\":\"8928308280bffff\"}\n");
        // Values from h3-js 4.5.0.
        Assert.Equal("89283082803ffff", answers[0].GetProperty("cell").GetString());
        Assert.Equal(1, answers[0].GetProperty("distance").GetInt64());
        Assert.Equal(19, answers[0].GetProperty("disk2Count").GetInt32());
        Assert.Equal("8009fffffffffff", answers[1].GetProperty("cell").GetString());
        Assert.True(answers[1].GetProperty("isPentagon").GetBoolean());
        Assert.Equal(5, answers[1].GetProperty("boundary").GetArrayLength());
        Assert.Equal(6, answers[1].GetProperty("children").GetArrayLength());
        Assert.Equal(16, answers[1].GetProperty("disk2Count").GetInt32());
        Assert.False(answers[1].TryGetProperty("parent", out _));
        Assert.Equal(JsonValueKind.Null, answers[2].GetProperty("distance").ValueKind);
        Assert.Contains("resolution 9 differs from res 5", answers[2].GetProperty("distanceError").GetString());
    }

    [Fact]
    public async Task Runs_as_a_process_over_stdin_and_stdout()
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "DePin.Wireless.CoverageOracle.dll");
        var result = await ExternalProcess.RunAsync("dotnet", [dll, "h3", "--jsonl"], stdin: "{\"lat\":37.7749,\"lng\":-122.4194,\"res\":9}\nnope\n", timeout: TimeSpan.FromSeconds(60));
        Assert.Equal(0, result.ExitCode);
        var lines = result.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Contains("\"cell\":\"89283082803ffff\"", lines[0]);
        Assert.StartsWith("{\"error\":\"bad JSON", lines[1]);
    }

    private static IEnumerable<string> Cells(JsonElement e, string name) => e.GetProperty(name).EnumerateArray().Select(x => x.GetString()!);
}
