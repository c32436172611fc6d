using System.Net;
using System.Text.Json;
using DePin.Wireless.CoverageOracle.Map;
using DePin.Wireless.Core.H3;

namespace DePin.Wireless.CoverageOracle.Tests.Map;

/// <summary>Drives the real Kestrel host over HTTP with two epochs of real H3 cells.</summary>
public sealed class CoverageMapApiTests : IAsyncLifetime
{
    private readonly InMemoryCoverageSource source = MapTestData.Source(withPentagon: true);
    private readonly string staticRoot = Directory.CreateTempSubdirectory("map-static-").FullName;
    private CoverageMapServer server = null!;
    private HttpClient http = null!;

    public async Task InitializeAsync()
    {
        server = await CoverageMapServer.StartAsync(source, new CoverageMapServerOptions { Port = 0, StaticRoot = staticRoot }, CancellationToken.None);
        http = new HttpClient { BaseAddress = server.Url };
    }

    public async Task DisposeAsync()
    {
        http.Dispose();
        await server.DisposeAsync();
        Directory.Delete(staticRoot, recursive: true);
    }

    [Fact]
    public void Server_binds_loopback_on_a_kernel_chosen_port()
    {
        Assert.Equal("127.0.0.1", server.Url.Host);
        Assert.NotEqual(0, server.Url.Port);
    }

    [Fact]
    public async Task Epochs_lists_both_epochs_in_order_with_iso_times()
    {
        using var doc = await GetJsonAsync("api/epochs", HttpStatusCode.OK);
        var epochs = doc.RootElement.EnumerateArray().ToArray();
        Assert.Equal([1L, 2L], epochs.Select(e => e.GetProperty("epoch").GetInt64()));
        Assert.Equal(MapTestData.Epoch1Start, DateTimeOffset.Parse(epochs[0].GetProperty("start").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("2026-11-22T00:00:00.0000000+00:00", epochs[1].GetProperty("end").GetString());
    }

    [Fact]
    public async Task Coverage_writes_one_closed_polygon_per_cell_matching_H3_boundaries()
    {
        using var response = await http.GetAsync("api/coverage?epoch=1");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/geo+json", response.Content.Headers.ContentType!.MediaType);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var expected = MapTestData.Epoch1().Cells;
        var features = FeaturesOf(doc);
        Assert.Equal(expected.Count, features.Length);
        foreach (var (feature, cell) in features.Zip(expected))
        {
            AssertCellPolygon(feature, cell);
        }
    }

    [Fact]
    public async Task Coverage_of_a_pentagon_has_five_vertices_plus_any_distortion_vertices()
    {
        using var doc = await GetJsonAsync("api/coverage?epoch=2", HttpStatusCode.OK);
        var pentagon = FeaturesOf(doc).Single(f => f.GetProperty("properties").GetProperty("h3").GetString() == MapTestData.Pentagon.ToString());
        Assert.True(MapTestData.Pentagon.IsPentagon);
        AssertCellPolygon(pentagon, new CellCoverage(MapTestData.Pentagon, 0.1, 0));
    }

    [Theory]
    [InlineData("api/coverage")]
    [InlineData("api/coverage?epoch=latest")]
    [InlineData("api/coverage?epoch=LATEST")]
    public async Task Missing_or_latest_epoch_selects_the_newest(string url)
    {
        using var response = await http.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("2", response.Headers.GetValues("X-Epoch").Single());
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(MapTestData.Epoch2(withPentagon: true).Cells.Select(c => c.Cell.ToString()), FeaturesOf(doc).Select(H3Of));
    }

    [Fact]
    public async Task Hotspots_are_points_at_their_cell_centres_with_reward_status_and_reasons()
    {
        using var doc = await GetJsonAsync("api/hotspots?epoch=1", HttpStatusCode.OK);
        var features = FeaturesOf(doc);
        var expected = MapTestData.Epoch1().Hotspots;
        Assert.Equal(expected.Count, features.Length);
        foreach (var (feature, hotspot) in features.Zip(expected))
        {
            var geometry = feature.GetProperty("geometry");
            Assert.Equal("Point", geometry.GetProperty("type").GetString());
            AssertPositionIsCentre(geometry.GetProperty("coordinates"), hotspot.Cell);
            var p = feature.GetProperty("properties");
            Assert.Equal(hotspot.Address, p.GetProperty("address").GetString());
            Assert.Equal(hotspot.Cell.ToString(), p.GetProperty("cell").GetString());
            Assert.Equal(JsonValueKind.String, p.GetProperty("reward").ValueKind);
            Assert.Equal(hotspot.Reward.ToString(), p.GetProperty("reward").GetString());
            Assert.Equal(hotspot.Penalised ? "penalised" : "valid", p.GetProperty("status").GetString());
            Assert.Equal(hotspot.Reasons, p.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()!));
        }

        Assert.Equal("123456789012345678901235", features[0].GetProperty("properties").GetProperty("reward").GetString());
        Assert.Equal(["witness too close", "rssi above free-space limit"], features[1].GetProperty("properties").GetProperty("reasons").EnumerateArray().Select(r => r.GetString()!));
    }

    [Fact]
    public async Task Witness_links_are_lines_from_beaconer_to_witness_cell_centres()
    {
        using var doc = await GetJsonAsync("api/witness-links?epoch=2", HttpStatusCode.OK);
        var link = Assert.Single(FeaturesOf(doc));
        var expected = MapTestData.Epoch2().Links[0];
        var geometry = link.GetProperty("geometry");
        Assert.Equal("LineString", geometry.GetProperty("type").GetString());
        var ends = geometry.GetProperty("coordinates").EnumerateArray().ToArray();
        Assert.Equal(2, ends.Length);
        AssertPositionIsCentre(ends[0], expected.BeaconerCell);
        AssertPositionIsCentre(ends[1], expected.WitnessCell);
        var p = link.GetProperty("properties");
        Assert.Equal("lx-hotspot-alpha", p.GetProperty("beaconer").GetString());
        Assert.Equal("lx-hotspot-beta", p.GetProperty("witness").GetString());
        Assert.Equal(-97.5, p.GetProperty("rssi").GetDouble());
        Assert.Equal(6.25, p.GetProperty("snr").GetDouble());
    }

    [Theory]
    [InlineData("api/coverage?epoch=abc", "epoch: 'abc' is not an integer or 'latest'")]
    [InlineData("api/hotspots?epoch=1.5", "epoch: '1.5' is not an integer or 'latest'")]
    [InlineData("api/witness-links?epoch=%20", "epoch: ' ' is not an integer or 'latest'")]
    [InlineData("api/coverage?epoch=99999999999999999999", "epoch: '99999999999999999999' is not an integer or 'latest'")]
    [InlineData("api/coverage?epoch=1&epoch=2", "epoch: given more than once")]
    public async Task Bad_epoch_text_is_rejected_with_400_and_the_reason(string url, string reason)
    {
        using var doc = await GetJsonAsync(url, HttpStatusCode.BadRequest);
        Assert.Equal(reason, doc.RootElement.GetProperty("error").GetString());
    }

    [Theory]
    [InlineData("api/coverage?epoch=3")]
    [InlineData("api/hotspots?epoch=0")]
    [InlineData("api/witness-links?epoch=-1")]
    public async Task Unknown_epoch_is_404_with_the_reason(string url)
    {
        using var doc = await GetJsonAsync(url, HttpStatusCode.NotFound);
        var epoch = url[(url.IndexOf('=') + 1)..];
        Assert.Equal($"epoch {epoch} has not been published", doc.RootElement.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Unknown_api_route_is_404_json_not_a_page()
    {
        using var doc = await GetJsonAsync("api/cells", HttpStatusCode.NotFound);
        Assert.StartsWith("no API route 'api/cells'", doc.RootElement.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Publishing_an_epoch_again_replaces_it()
    {
        var only = new CellCoverage(H3Grid.LatLngToCell(51.5, -0.12, MapTestData.Resolution), 0.75, 3);
        source.Publish(MapTestData.Epoch1() with { Cells = [only] });
        using var doc = await GetJsonAsync("api/coverage?epoch=1", HttpStatusCode.OK);
        var feature = Assert.Single(FeaturesOf(doc));
        AssertCellPolygon(feature, only);
    }

    [Fact]
    public async Task Healthz_answers_ok()
    {
        using var response = await http.GetAsync("healthz");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok", (await response.Content.ReadAsStringAsync()).Trim());
    }

    [Fact]
    public async Task Root_without_a_built_page_is_503_telling_to_run_build_web()
    {
        using var response = await http.GetAsync("");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("scripts/build-web.sh", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Static_files_are_served_with_their_content_types_and_missing_ones_are_404()
    {
        Directory.CreateDirectory(Path.Combine(staticRoot, "assets"));
        await File.WriteAllTextAsync(Path.Combine(staticRoot, "index.html"), "<!doctype html><title>map</title>");
        await File.WriteAllTextAsync(Path.Combine(staticRoot, "assets", "index-abc.js"), "console.log(1);");
        await File.WriteAllTextAsync(Path.Combine(staticRoot, "assets", "index-abc.css"), "body{}");

        await AssertFileAsync("", "text/html", "<!doctype html><title>map</title>", "no-cache");
        await AssertFileAsync("assets/index-abc.js", "text/javascript", "console.log(1);", "public, max-age=31536000, immutable");
        await AssertFileAsync("assets/index-abc.css", "text/css", "body{}", "public, max-age=31536000, immutable");
        using var missing = await http.GetAsync("assets/nope.js");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Contains("/assets/nope.js", await missing.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_empty_source_lists_no_epochs_and_404s_every_data_route()
    {
        await using var empty = await CoverageMapServer.StartAsync(new InMemoryCoverageSource(), new CoverageMapServerOptions { StaticRoot = staticRoot }, CancellationToken.None);
        using var client = new HttpClient { BaseAddress = empty.Url };
        Assert.Equal("[]", await client.GetStringAsync("api/epochs"));
        foreach (var route in new[] { "api/coverage", "api/hotspots?epoch=latest", "api/witness-links" })
        {
            using var response = await client.GetAsync(route);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.Equal("no epochs have been published yet", doc.RootElement.GetProperty("error").GetString());
        }
    }

    private async Task AssertFileAsync(string url, string mediaType, string body, string cacheControl)
    {
        using var response = await http.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(body, await response.Content.ReadAsStringAsync());
        Assert.Equal(cacheControl, response.Headers.CacheControl!.ToString());
    }

    private async Task<JsonDocument> GetJsonAsync(string url, HttpStatusCode expected)
    {
        using var response = await http.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"{url}: expected {expected}, got {response.StatusCode}: {body}");
        return JsonDocument.Parse(body);
    }

    private static JsonElement[] FeaturesOf(JsonDocument doc)
    {
        Assert.Equal("FeatureCollection", doc.RootElement.GetProperty("type").GetString());
        return doc.RootElement.GetProperty("features").EnumerateArray().ToArray();
    }

    private static string H3Of(JsonElement feature) => feature.GetProperty("properties").GetProperty("h3").GetString()!;

    private static void AssertCellPolygon(JsonElement feature, CellCoverage cell)
    {
        Assert.Equal("Feature", feature.GetProperty("type").GetString());
        var geometry = feature.GetProperty("geometry");
        Assert.Equal("Polygon", geometry.GetProperty("type").GetString());
        var ring = Assert.Single(geometry.GetProperty("coordinates").EnumerateArray().ToArray()).EnumerateArray().ToArray();
        var boundary = H3Grid.CellToBoundary(cell.Cell);
        if (cell.Cell.IsPentagon)
        {
            Assert.InRange(boundary.Length, 5, 10);
        }
        else
        {
            Assert.InRange(boundary.Length, 6, 10);
        }

        Assert.Equal(boundary.Length + 1, ring.Length);
        Assert.Equal(ring[0].GetRawText(), ring[^1].GetRawText());
        for (var i = 0; i < boundary.Length; i++)
        {
            var position = ring[i].EnumerateArray().Select(v => v.GetDouble()).ToArray();
            Assert.Equal([boundary[i].Lng, boundary[i].Lat], position);
        }

        var p = feature.GetProperty("properties");
        Assert.Equal(cell.Cell.ToString(), p.GetProperty("h3").GetString());
        Assert.Equal(cell.Score, p.GetProperty("score").GetDouble());
        Assert.Equal(cell.Hotspots, p.GetProperty("hotspots").GetInt32());
    }

    private static void AssertPositionIsCentre(JsonElement position, H3Cell cell)
    {
        var centre = H3Grid.CellToLatLng(cell);
        Assert.Equal([centre.Lng, centre.Lat], position.EnumerateArray().Select(v => v.GetDouble()));
    }
}
