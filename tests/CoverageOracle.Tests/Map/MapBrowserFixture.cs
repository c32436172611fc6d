using DePin.Wireless.CoverageOracle.Map;
using DePin.Wireless.TestSupport;
using Microsoft.Playwright;

namespace DePin.Wireless.CoverageOracle.Tests.Map;

/// <summary>
/// The real built page (web/dist, built with npm when missing) served by <see cref="CoverageMapServer"/>
/// over two epochs of test data, and Debian's Chromium driven by Playwright (never a downloaded browser).
/// </summary>
public sealed class MapBrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    /// <summary>
    /// Headless and quiet (no background networking, updates, sync or first-run UI); MapLibre needs WebGL,
    /// which with no GPU comes from ANGLE's SwiftShader software renderer, now opt-in in Chromium.
    /// </summary>
    public static readonly string[] ChromiumArgs =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run", "--disable-sync", "--use-angle=swiftshader", "--enable-unsafe-swiftshader",
    ];

    private readonly List<string> consoleErrors = [];
    private IPlaywright? playwright;

    public InMemoryCoverageSource Source { get; } = MapTestData.Source();

    public CoverageMapServer Server { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>One page for the whole class: loading the page costs seconds under software WebGL, so tests share it and reset it.</summary>
    public IPage Page { get; private set; } = null!;

    /// <summary>Console errors and uncaught exceptions seen since the page was opened.</summary>
    public IReadOnlyList<string> ConsoleErrors
    {
        get
        {
            lock (consoleErrors)
            {
                return consoleErrors.ToArray();
            }
        }
    }

    public static string WebDirectory => RepoPaths.Combine("src", "CoverageOracle", "web");

    public static string ArtifactDirectory => RepoPaths.Combine("TestResults", "coverage-map");

    public async Task InitializeAsync()
    {
        var dist = await EnsurePageBuiltAsync();
        Server = await CoverageMapServer.StartAsync(Source, new CoverageMapServerOptions { Port = 0, StaticRoot = dist }, CancellationToken.None);
        try
        {
            playwright = await Playwright.CreateAsync();
            Browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = ChromiumPath,
                Headless = true,
                Args = ChromiumArgs,
                Timeout = 30_000,
            });
            Page = await Browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1000, Height = 700 } });
            Page.SetDefaultTimeout(20_000);
            Page.Console += (_, message) =>
            {
                if (message.Type == "error")
                {
                    AddError($"console: {message.Text}");
                }
            };
            Page.PageError += (_, error) => AddError($"page error: {error}");
            await Page.GotoAsync(Server.Url.ToString());
            await Page.WaitForFunctionAsync("() => document.body.dataset.loaded === '2'");
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Back to the state after loading: details closed, links hidden, search empty, and epoch 2 reloaded
    /// through the selector's own change handler (which also re-fits the view).
    /// </summary>
    public async Task ResetAsync()
    {
        await Page.EvaluateAsync("""
            () => {
              document.getElementById('panel').hidden = true;
              const links = document.getElementById('links');
              if (links.checked) links.click();
              document.getElementById('search').value = '';
              document.body.dataset.loaded = '';
              const epoch = document.getElementById('epoch');
              epoch.value = '2';
              epoch.dispatchEvent(new Event('change'));
            }
            """);
        await Page.WaitForFunctionAsync("() => document.body.dataset.loaded === '2'");
    }

    public async Task DisposeAsync()
    {
        // Closing the browser closes the page; the browser goes first so Chromium never outlives the run.
        if (Browser is not null)
        {
            await Browser.CloseAsync();
            Browser = null!;
        }

        playwright?.Dispose();
        playwright = null;
        if (Server is not null)
        {
            await Server.DisposeAsync();
            Server = null!;
        }
    }

    private void AddError(string text)
    {
        lock (consoleErrors)
        {
            consoleErrors.Add(text);
        }
    }

    /// <summary>Builds the page with its own npm scripts when web/dist is missing (a fresh checkout).</summary>
    private static async Task<string> EnsurePageBuiltAsync()
    {
        var dist = Path.Combine(WebDirectory, "dist");
        if (File.Exists(Path.Combine(dist, "index.html")))
        {
            return dist;
        }

        if (!Directory.Exists(Path.Combine(WebDirectory, "node_modules")))
        {
            await ExternalProcess.RunCheckedAsync("npm", ["ci", "--no-audit", "--no-fund"], WebDirectory, TimeSpan.FromMinutes(3));
        }

        await ExternalProcess.RunCheckedAsync("npm", ["run", "build"], WebDirectory, TimeSpan.FromMinutes(3));
        return dist;
    }
}
