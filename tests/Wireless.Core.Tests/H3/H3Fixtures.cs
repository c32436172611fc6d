using System.IO.Compression;
using System.Text.Json;
using DePin.Wireless.TestSupport;

namespace DePin.Wireless.Core.Tests.H3;

/// <summary>One reference case produced by tests/fixtures/h3/generate.mjs from h3-js 4.5.0.</summary>
public sealed record H3Case(
    string Kind,
    double Lat,
    double Lng,
    int Res,
    string Cell,
    double[] Center,
    double[][] Boundary,
    bool IsPentagon,
    int Resolution,
    double Area,
    string? Parent,
    string? Parent2,
    string[]? Children,
    string[] Disk1,
    string[] Disk2,
    string Other,
    long? Distance);

public sealed record H3PolygonCase(string Kind, int Res, double[][][] Loops, string[] Cells);

public sealed record H3MultiPolygonCase(string[] Cells, double[][][][] Polygons, double Area);

/// <summary>Loads the committed, gzip-compressed reference fixtures once per test run.</summary>
public static class H3Fixtures
{
    private static readonly JsonSerializerOptions Options = new() { PropertyNameCaseInsensitive = true };
    private static readonly Lazy<IReadOnlyList<H3Case>> CasesLazy = new(() => Load<CaseFile>("h3-cases.json.gz").Cases);
    private static readonly Lazy<PolygonFile> PolygonsLazy = new(() => Load<PolygonFile>("h3-polygons.json.gz"));

    public static IReadOnlyList<H3Case> Cases => CasesLazy.Value;

    public static IReadOnlyList<H3PolygonCase> Polygons => PolygonsLazy.Value.Polygons;

    public static IReadOnlyList<H3MultiPolygonCase> MultiPolygons => PolygonsLazy.Value.MultiPolygons;

    private static T Load<T>(string name)
    {
        using var file = File.OpenRead(RepoPaths.Combine("tests", "fixtures", "h3", name));
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        return JsonSerializer.Deserialize<T>(gzip, Options) ?? throw new InvalidDataException($"{name} is empty");
    }

    private sealed record CaseFile(string H3js, List<H3Case> Cases);

    private sealed record PolygonFile(string H3js, List<H3PolygonCase> Polygons, List<H3MultiPolygonCase> MultiPolygons);
}
