using Microsoft.Playwright;
using Xunit.Abstractions;

namespace FederatedCare.Coordinator.Tests.Web;

/// <summary>
/// The dashboard in a real headless browser (Debian's chromium through Playwright, which downloads no browser of its
/// own) against an in-process coordinator running a job: the round counter advances without a reload as the job's
/// rounds complete, and the chart draws a line per region. Playwright's own waiting polls the page for each condition.
/// The screenshot stays in the test output folder (path printed).
/// </summary>
public sealed class DashboardPageTests(ITestOutputHelper output)
{
    /// <summary>Where the browser is looked for: Debian's package, or <c>FEDCARE_CHROMIUM</c>.</summary>
    private static string Chromium => Environment.GetEnvironmentVariable("FEDCARE_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    [Fact]
    public async Task The_page_follows_a_running_job_round_by_round_and_draws_its_chart()
    {
        // A failure names what is missing; the waits below are patience on a loaded machine, not deadlines of the product.
        Assertions.SetDefaultExpectTimeout(120_000);
        Assert.True(File.Exists(Chromium),
            $"The dashboard test needs Chromium at {Chromium}: apt-get install -y chromium (as root; .ci/run does it), or set FEDCARE_CHROMIUM.");
        await using var coordinator = await TestCoordinator.StartAsync();
        await using var job = await WebJob.StartAsync(coordinator.Channel);
        await job.RoundReachedAsync(WebJob.FirstHeldRound - 1);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium, Headless = true, Args = ["--no-sandbox", "--disable-gpu"],
        });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 900 } });
        await page.GotoAsync(coordinator.Running.WebAddress!.ToString());
        var counter = page.Locator("#round-counter");
        await Assertions.Expect(counter).ToHaveTextAsync($"{WebJob.FirstHeldRound - 1}");
        await Assertions.Expect(page.Locator("#live")).ToHaveTextAsync("live");

        for (int round = WebJob.FirstHeldRound; round <= WebJob.Rounds; round++)
        {
            job.LetRoundThrough();
            await Assertions.Expect(counter).ToHaveTextAsync($"{round}");
        }

        // Evaluation after every round of both regions: one line each, and their mean.
        await Assertions.Expect(page.Locator("#chart-svg polyline.region")).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator("#chart-svg polyline.mean")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#job-state")).ToHaveTextAsync("succeeded");
        await Assertions.Expect(page.Locator("#rounds tbody tr")).ToHaveCountAsync(WebJob.Rounds + 1);
        await Assertions.Expect(page.Locator("#nodes tbody tr")).ToHaveCountAsync(2);
        var shot = Path.Combine(AppContext.BaseDirectory, "artifacts", "dashboard.png");
        Directory.CreateDirectory(Path.GetDirectoryName(shot)!);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = shot, FullPage = true });
        output.WriteLine($"dashboard screenshot: {shot}");
        Assert.True(new FileInfo(shot).Length > 20_000, $"The screenshot {shot} is nearly empty.");
    }
}
