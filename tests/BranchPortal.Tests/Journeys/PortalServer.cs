using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using NUnit.Framework;

namespace BranchPortal.Tests.Journeys;

/// <summary>
/// The portal as a real process on Kestrel, once for all the tests of this namespace (the unit tests do without it): its own build output
/// (samples/BranchPortal/bin/CONFIGURATION/TFM/BranchPortal.dll) on 127.0.0.1 on a free port, its demo registry in a
/// temp folder that is deleted afterwards. Tests read what it printed (the demo accounts) from <see cref="Output"/>.
/// </summary>
[SetUpFixture]
public sealed class PortalServer
{
    private static readonly StringBuilder Printed = new();
    private static Process? _process;
    private static string? _folder;

    /// <summary>The portal's address, such as http://127.0.0.1:41234.</summary>
    public static Uri BaseAddress { get; private set; } = null!;

    /// <summary>What the portal printed so far (standard output and error).</summary>
    public static string Output
    {
        get
        {
            lock (Printed)
            {
                return Printed.ToString();
            }
        }
    }

    /// <summary>The repository's root (the folder of DonorRegistry.sln).</summary>
    /// <returns>The path.</returns>
    public static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "DonorRegistry.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("The tests run outside the repository: DonorRegistry.sln not found above " + TestContext.CurrentContext.TestDirectory);
    }

    /// <summary>Starts the portal and waits until /healthz answers.</summary>
    /// <returns>A task.</returns>
    [OneTimeSetUp]
    public async Task StartAsync()
    {
        // The tests run from tests/BranchPortal.Tests/bin/CONFIGURATION/TFM; the portal is built to the same place of its own.
        var testDirectory = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        var dll = Path.Combine(RepositoryRoot(), "samples", "BranchPortal", "bin", testDirectory.Parent!.Name, testDirectory.Name, "BranchPortal.dll");
        File.Exists(dll).Should().BeTrue($"the portal is built beside the tests ({dll})");

        _folder = Directory.CreateTempSubdirectory("branchportal-tests-").FullName;
        BaseAddress = new Uri($"http://127.0.0.1:{FreePort()}");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _folder,
        };
        foreach (var arg in new[] { dll, "--demo-dir", Path.Combine(_folder, "demo"), "--urls", BaseAddress.ToString().TrimEnd('/') })
        {
            start.ArgumentList.Add(arg);
        }

        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) => Print(e.Data);
        _process.ErrorDataReceived += (_, e) => Print(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var until = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
            {
                Assert.Fail($"The portal exited with {_process.ExitCode} before it answered:{Environment.NewLine}{Output}");
            }

            try
            {
                if ((await http.GetAsync(new Uri("/healthz", UriKind.Relative))).StatusCode == HttpStatusCode.OK)
                {
                    break;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            if (until.Elapsed > TimeSpan.FromSeconds(180))
            {
                Assert.Fail($"The portal did not answer /healthz within 180 s:{Environment.NewLine}{Output}");
            }

            await Task.Delay(200);
        }
    }

    /// <summary>Stops the portal and deletes its folder.</summary>
    [OneTimeTearDown]
    public void Stop()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }

        _process?.Dispose();
        var log = Path.Combine(TestContext.CurrentContext.WorkDirectory, "branchportal-server.log");
        File.WriteAllText(log, Output);
        TestContext.Progress.WriteLine($"The portal's output: {log}");
        if (_folder is not null && Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    private static void Print(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (Printed)
        {
            Printed.AppendLine(line);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
