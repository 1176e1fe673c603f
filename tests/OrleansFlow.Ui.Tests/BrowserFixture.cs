using Microsoft.Playwright;
using OrleansFlow.Testing;

namespace OrleansFlow.Ui.Tests;

/// <summary>One real server (in-process, fresh SQLite file) and one headless Chromium shared by the browser tests.
/// Each test makes its own data (unique flow names), so tests do not depend on each other.</summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    /// <summary>Where every screenshot goes (test output).</summary>
    public static readonly string ScreenshotFolder = Path.Combine(AppContext.BaseDirectory, "screenshots");

    private IPlaywright? _playwright;

    public InProcessServer Server { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public ApiData Api { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await InProcessServer.StartAsync();
        Api = new ApiData(Server.CreateClient());
        if (!File.Exists(ChromiumPath))
        {
            return;
        }

        // Generous waits: CI runs the other test assemblies (PostgreSQL among them) on the same two cores.
        Assertions.SetDefaultExpectTimeout(15_000);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
            ],
        });
    }

    /// <summary>A new page (its own context: no shared storage) of <paramref name="width"/>×<paramref name="height"/>, in the
    /// IANA time zone <paramref name="timezoneId"/>: UTC unless given, so that a page never reloads to render itself in the
    /// machine's zone (the first page in any other zone does, once) and tests run alike everywhere.</summary>
    public async Task<IPage> NewPageAsync(int width = 1280, int height = 800, ColorScheme colorScheme = ColorScheme.Light, string? timezoneId = null)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Server.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = width, Height = height },
            ColorScheme = colorScheme,
            TimezoneId = timezoneId ?? "UTC",
        });
        context.SetDefaultTimeout(30_000);
        var page = await context.NewPageAsync();
        return page;
    }

    /// <summary>Saves a full-page screenshot to the test output, and to <c>docs/screenshots/</c> when
    /// <c>ORLEANSFLOW_UPDATE_SCREENSHOTS=1</c>.</summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(ScreenshotFolder);
        var bytes = await page.ScreenshotAsync(new PageScreenshotOptions { FullPage = true, Path = Path.Combine(ScreenshotFolder, name + ".png") });
        if (Environment.GetEnvironmentVariable("ORLEANSFLOW_UPDATE_SCREENSHOTS") == "1" && RepositoryRoot() is { } root)
        {
            var docs = Path.Combine(root, "docs", "screenshots");
            Directory.CreateDirectory(docs);
            await File.WriteAllBytesAsync(Path.Combine(docs, name + ".png"), bytes);
        }
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }
    }

    private static string? RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "OrleansFlow.sln")))
            {
                return dir.FullName;
            }
        }

        return null;
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}
