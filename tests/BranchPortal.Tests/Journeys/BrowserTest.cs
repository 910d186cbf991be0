using Microsoft.Playwright;
using NUnit.Framework;

namespace BranchPortal.Tests.Journeys;

/// <summary>
/// A test that drives Debian's Chromium (headless) through Playwright against <see cref="PortalServer"/>. Each test
/// gets a fresh browser context (no cookies). Without Chromium the tests fail, saying so: CI installs it.
/// </summary>
public abstract class BrowserTest
{
    /// <summary>The browser Playwright drives; Playwright's own browser downloads are not used.</summary>
    public const string DefaultChromium = "/usr/bin/chromium";

    private IPlaywright? _playwright;
    private readonly List<string> _consoleErrors = [];
    private IBrowser? _browser;
    private readonly List<IBrowserContext> _sessions = [];

    private static BrowserNewContextOptions ContextOptions => new() { BaseURL = PortalServer.BaseAddress.ToString(), Locale = "en-US", ViewportSize = new ViewportSize { Width = 1100, Height = 900 } };

    /// <summary>This test's browser context.</summary>
    protected IBrowserContext Context { get; private set; } = null!;

    /// <summary>This test's page.</summary>
    protected IPage Page { get; private set; } = null!;

    /// <summary>Where screenshots go: a temp folder, or the folder named by BRANCHPORTAL_SCREENSHOTS (relative to the repository root).</summary>
    protected static string ScreenshotFolder
    {
        get
        {
            var asked = Environment.GetEnvironmentVariable("BRANCHPORTAL_SCREENSHOTS");
            var folder = string.IsNullOrWhiteSpace(asked)
                ? Path.Combine(Path.GetTempPath(), "branchportal-screenshots")
                : Path.Combine(PortalServer.RepositoryRoot(), asked);
            return Directory.CreateDirectory(folder).FullName;
        }
    }

    /// <summary>Starts Chromium, or fails clearly when it is not installed.</summary>
    /// <returns>A task.</returns>
    [OneTimeSetUp]
    public async Task StartBrowserAsync()
    {
        var chromium = Environment.GetEnvironmentVariable("BRANCHPORTAL_CHROMIUM") ?? DefaultChromium;
        if (!File.Exists(chromium))
        {
            Assert.Fail($"Chromium is not installed at {chromium}: the browser tests need it (on Debian: apt-get install -y chromium; .ci/run installs it).");
        }

        // Generous waits: CI runs the test projects side by side on two cores.
        Assertions.SetDefaultExpectTimeout(30_000);
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = chromium, Headless = true });
    }

    /// <summary>Closes Chromium.</summary>
    /// <returns>A task.</returns>
    [OneTimeTearDown]
    public async Task StopBrowserAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }

        _playwright?.Dispose();
    }

    /// <summary>A fresh context and page for the test.</summary>
    /// <returns>A task.</returns>
    [SetUp]
    public async Task NewPageAsync()
    {
        Context = await _browser!.NewContextAsync(ContextOptions);
        Context.SetDefaultTimeout(30_000);
        Page = await Context.NewPageAsync();
        _consoleErrors.Clear();
        Page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                lock (_consoleErrors)
                {
                    _consoleErrors.Add(message.Text);
                }
            }
        };
    }

    /// <summary>Closes the test's context.</summary>
    /// <returns>A task.</returns>
    [TearDown]
    public async Task ClosePageAsync()
    {
        await Context.CloseAsync();
        foreach (var session in _sessions)
        {
            await session.CloseAsync();
        }

        _sessions.Clear();
        lock (_consoleErrors)
        {
            // A page that broke the Content-Security-Policy (an inline style or script) shows up here.
            _consoleErrors.Where(e => e.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase)).Should().BeEmpty("the pages keep to their CSP");
        }
    }

    /// <summary>Signs in through the form.</summary>
    /// <param name="user">The demo user.</param>
    /// <param name="password">The password.</param>
    /// <returns>A task.</returns>
    protected async Task SignInAsync(string user, string password)
    {
        await Page.GotoAsync("/Account/SignIn");
        await Page.FillAsync("#UserName", user);
        await Page.FillAsync("#Password", password);
        await Page.ClickAsync("#sign-in");
    }

    /// <summary>A second browser session (its own cookies) beside the test's page, closed with it: another person at another desk.</summary>
    /// <returns>The session's page.</returns>
    protected async Task<IPage> NewSessionAsync()
    {
        var session = await _browser!.NewContextAsync(ContextOptions);
        session.SetDefaultTimeout(30_000);
        _sessions.Add(session);
        return await session.NewPageAsync();
    }

    /// <summary>Signs in through the form on a given page.</summary>
    /// <param name="page">The page.</param>
    /// <param name="user">The user.</param>
    /// <param name="password">The password.</param>
    /// <returns>A task.</returns>
    protected static async Task SignInAsync(IPage page, string user, string password)
    {
        ArgumentNullException.ThrowIfNull(page);
        await page.GotoAsync("/Account/SignIn");
        await page.FillAsync("#UserName", user);
        await page.FillAsync("#Password", password);
        await page.ClickAsync("#sign-in");
    }

    /// <summary>Signs out with the menu's button.</summary>
    /// <returns>A task.</returns>
    protected async Task SignOutAsync()
    {
        await Page.ClickAsync("#sign-out");
        await Assertions.Expect(Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/Account/SignIn"));
    }

    /// <summary>A full-page screenshot of the current page.</summary>
    /// <param name="name">The file's name without extension.</param>
    /// <returns>A task.</returns>
    protected async Task ScreenshotAsync(string name)
    {
        var path = Path.Combine(ScreenshotFolder, name + ".png");
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        TestContext.Progress.WriteLine($"screenshot: {path}");
    }
}
