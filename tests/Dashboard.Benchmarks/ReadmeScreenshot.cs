using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Playwright;

namespace Dashboard.Benchmarks;

/// <summary>
/// The README's pictures: the built server in sandbox mode, its Services page in Debian's chromium at 1440x900 in dark
/// mode, in English (docs/images/services.png) and in Vietnamese through the browser's language (docs/images/services.vi.png).
/// </summary>
internal static class ReadmeScreenshot
{
    private const string Chromium = "/usr/bin/chromium";

    public static async Task<string> TakeAsync(CancellationToken cancellationToken)
    {
        var port = FreePort();
        var workingDirectory = Directory.CreateTempSubdirectory("dashboard-screenshot-").FullName;
        using var server = StartServer(port, workingDirectory);
        try
        {
            using var playwright = await Playwright.CreateAsync();
            await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = Chromium,
                Headless = true,
                Args = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
            });
            var path = "";
            foreach (var (locale, file) in new[] { ("en-US", "services.png"), ("vi-VN", "services.vi.png") })
            {
                var page = await browser.NewPageAsync(new BrowserNewPageOptions
                {
                    BaseURL = $"http://127.0.0.1:{port}",
                    ViewportSize = new ViewportSize { Width = 1440, Height = 900 },
                    ColorScheme = ColorScheme.Dark,
                    Locale = locale,
                });
                page.SetDefaultTimeout(30_000);
                await GotoWhenListeningAsync(page, "/services", cancellationToken);
                await page.Locator("[data-list-grid][data-keys-installed]").WaitForAsync();
                await page.Locator("[data-source=kubernetes][data-state=Live]").WaitForAsync();
                await page.Locator("[data-key='mlops/retail-forecast-nlb']").WaitForAsync();
                path = Path.Combine(RepositoryPaths.Root, "docs", "images", file);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                await page.ScreenshotAsync(new PageScreenshotOptions { Path = path });
                await page.CloseAsync();
            }
            return path;
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync(CancellationToken.None);
            Directory.Delete(workingDirectory, recursive: true);
        }
    }

    /// <summary>The built server in sandbox mode on <paramref name="port"/> (its sandbox in-process, on ports of its own).</summary>
    internal static Process StartServer(int port, string workingDirectory)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDirectory, UseShellExecute = false, RedirectStandardOutput = true };
        start.ArgumentList.Add(RepositoryPaths.ServerDll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port}");
        // As `dotnet run` does (launchSettings.json): the build output serves its static web assets in Development only.
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["Sandbox__KubernetesUrl"] = "http://127.0.0.1:0";
        start.Environment["Sandbox__AwsUrl"] = "http://127.0.0.1:0";
        var server = Process.Start(start) ?? throw new InvalidOperationException("The server did not start.");
        server.BeginOutputReadLine();
        return server;
    }

    internal static async Task GotoWhenListeningAsync(IPage page, string path, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await page.GotoAsync(path);
                return;
            }
            catch (PlaywrightException) when (attempt < 100)
            {
                // Not listening yet: the server starts the sandbox first.
                await Task.Delay(200, cancellationToken);
            }
        }
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
