using System.Text.Json;
using DePin.Wireless.CoverageOracle.Map;
using DePin.Wireless.Core.H3;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace DePin.Wireless.CoverageOracle.Tests.Map;

/// <summary>The built map page in headless Chromium against the real server: rendering, selection, search, keyboard.</summary>
public sealed class CoverageMapBrowserTests(MapBrowserFixture fixture, ITestOutputHelper output) : IClassFixture<MapBrowserFixture>, IAsyncLifetime
{
    private const string RenderedCells =
        "() => [...new Set(window.coverageMap.queryRenderedFeatures({ layers: ['coverage-fill'] }).map(f => f.properties.h3))].sort()";

    private IPage Page => fixture.Page;

    public Task InitializeAsync() => fixture.ResetAsync();

    public Task DisposeAsync()
    {
        Assert.Empty(fixture.ConsoleErrors);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Page_loads_without_console_errors_and_draws_the_latest_epochs_cells()
    {
        await AssertRendersCellsAsync(MapTestData.Epoch2());
        Assert.Equal("Epoch 2: 7 cells, 2 hotspots, 1 links", await Page.TextContentAsync("#status"));
        Assert.Empty(fixture.ConsoleErrors);
    }

    [Fact]
    public async Task Legend_shows_the_score_scale()
    {
        Assert.True(await Page.IsVisibleAsync("#legend .bar"));
        Assert.Equal("Coverage score", await Page.TextContentAsync("#legend strong"));
        Assert.Equal(["0", "0.5", "1"], await Page.Locator("#legend .scale span").AllTextContentsAsync());
    }

    [Fact]
    public async Task Epoch_selector_lists_both_epochs_and_switching_loads_the_other_epoch()
    {
        var options = await Page.EvalOnSelectorAllAsync<string[]>("#epoch option", "os => os.map(o => o.value)");
        Assert.Equal(["1", "2"], options);
        Assert.Equal("2", await Page.InputValueAsync("#epoch"));

        await Page.SelectOptionAsync("#epoch", "1");
        await Page.WaitForFunctionAsync("() => document.body.dataset.loaded === '1'");
        await AssertRendersCellsAsync(MapTestData.Epoch1());
        await SaveScreenshotAsync("coverage-map-epoch1.png");
        Assert.Empty(fixture.ConsoleErrors);
    }

    [Fact]
    public async Task Clicking_a_hex_opens_its_details_with_h3_id_and_score()
    {
        var snapshot = MapTestData.Epoch2();
        await AssertRendersCellsAsync(snapshot);
        var cell = snapshot.Cells.First(c => c.Hotspots == 0);
        var centre = H3Grid.CellToLatLng(cell.Cell);
        var point = await Page.EvaluateAsync<JsonElement>("([lng, lat]) => window.coverageMap.project([lng, lat])", new[] { centre.Lng, centre.Lat });
        var box = (await Page.Locator("#map").BoundingBoxAsync())!;
        await Page.Mouse.ClickAsync(box.X + point.GetProperty("x").GetSingle(), box.Y + point.GetProperty("y").GetSingle());

        await Page.WaitForSelectorAsync("#panel:not([hidden])");
        Assert.Equal($"Cell {cell.Cell}", await Page.TextContentAsync("#panel h2"));
        Assert.Equal(["Score", "Hotspots"], await Page.Locator("#panel dt").AllTextContentsAsync());
        Assert.Equal([cell.Score.ToString("F3", System.Globalization.CultureInfo.InvariantCulture), "0"], await Page.Locator("#panel dd").AllTextContentsAsync());
        await SaveScreenshotAsync("coverage-map-cell-panel.png");
    }

    [Fact]
    public async Task Search_by_hotspot_address_opens_its_panel()
    {
        var hotspot = MapTestData.Epoch2().Hotspots.Single(h => h.Penalised);
        await Page.FillAsync("#search", hotspot.Address);
        await Page.PressAsync("#search", "Enter");

        await Page.WaitForSelectorAsync("#panel:not([hidden])");
        Assert.Equal($"Hotspot {hotspot.Address}", await Page.TextContentAsync("#panel h2"));
        Assert.Equal(["penalised", hotspot.Cell.ToString(), "0", string.Join(", ", hotspot.Reasons)], await Page.Locator("#panel dd").AllTextContentsAsync());
        Assert.Equal("panel", await Page.EvaluateAsync<string>("() => document.activeElement.id"));

        await Page.Keyboard.PressAsync("Escape");
        await Page.WaitForSelectorAsync("#panel", new() { State = Microsoft.Playwright.WaitForSelectorState.Hidden, Timeout = 10_000 });
        Assert.Equal("map", await Page.EvaluateAsync<string>("() => document.activeElement.id"));
    }

    [Fact]
    public async Task Controls_are_reachable_and_operable_by_keyboard()
    {
        // A click on the title sets where sequential focus navigation starts, as for a user who clicked there.
        await Page.ClickAsync("h1");
        var order = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            await Page.Keyboard.PressAsync("Tab");
            order.Add(await Page.EvaluateAsync<string>("() => document.activeElement.id"));
        }

        Assert.Equal(["epoch", "links", "search"], order);

        await Page.FocusAsync("#links");
        await Page.Keyboard.PressAsync("Space");
        Assert.True(await Page.IsCheckedAsync("#links"));
        Assert.Equal("visible", await Page.EvaluateAsync<string>("() => window.coverageMap.getLayoutProperty('links', 'visibility')"));
    }

    private async Task AssertRendersCellsAsync(EpochSnapshot snapshot)
    {
        var expected = snapshot.Cells.Select(c => c.Cell.ToString()).Order(StringComparer.Ordinal).ToArray();
        try
        {
            await Page.WaitForFunctionAsync(
                $"(expected) => {{ const got = ({RenderedCells})(); return got.length === expected.length && got.every((h, i) => h === expected[i]); }}",
                expected);
        }
        catch (TimeoutException)
        {
            // Fall through to an assertion that shows what was drawn instead.
        }

        var rendered = await Page.EvaluateAsync<string[]>(RenderedCells);
        Assert.Equal(expected, rendered.Order(StringComparer.Ordinal));
    }

    private async Task SaveScreenshotAsync(string name)
    {
        Directory.CreateDirectory(MapBrowserFixture.ArtifactDirectory);
        var path = Path.Combine(MapBrowserFixture.ArtifactDirectory, name);
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = path });
        output.WriteLine($"screenshot: {path}");
    }
}
