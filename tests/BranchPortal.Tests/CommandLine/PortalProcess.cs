using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using BranchPortal.Tests.Journeys;
using NUnit.Framework;

namespace BranchPortal.Tests.CommandLine;

/// <summary>The portal's build output run as a process of its own, with the arguments and environment a test gives.</summary>
internal sealed class PortalProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _printed = new();

    private PortalProcess(IEnumerable<string> args, IReadOnlyDictionary<string, string?>? environment, string workingDirectory)
    {
        var testDirectory = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        var dll = Path.Combine(PortalServer.RepositoryRoot(), "samples", "BranchPortal", "bin", testDirectory.Parent!.Name, testDirectory.Name, "BranchPortal.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = workingDirectory };
        start.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment.Remove("DONORREGISTRY_KEY");
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            start.Environment[name] = value;
        }

        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) => Print(e.Data);
        _process.ErrorDataReceived += (_, e) => Print(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>What it printed so far.</summary>
    public string Output
    {
        get
        {
            lock (_printed)
            {
                return _printed.ToString();
            }
        }
    }

    /// <summary>Runs the portal to its end (it must end by itself within a minute).</summary>
    /// <returns>The exit code and what it printed.</returns>
    public static (int ExitCode, string Output) Run(string workingDirectory, params string[] args)
    {
        using var portal = new PortalProcess(args, null, workingDirectory);
        portal._process.WaitForExit(60_000).Should().BeTrue($"the portal ends by itself:{Environment.NewLine}{portal.Output}");
        portal._process.WaitForExit();
        return (portal._process.ExitCode, portal.Output);
    }

    /// <summary>Starts the portal on a free loopback port and waits until /healthz answers.</summary>
    /// <param name="workingDirectory">Its working directory.</param>
    /// <param name="args">Its arguments (the URL is added).</param>
    /// <param name="environment">Variables to set.</param>
    /// <returns>The running portal and its address.</returns>
    public static async Task<(PortalProcess Portal, Uri Address)> StartAsync(string workingDirectory, IEnumerable<string> args, IReadOnlyDictionary<string, string?>? environment = null)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var address = new Uri($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}");
        listener.Stop();
        var portal = new PortalProcess([.. args, "--urls", address.ToString().TrimEnd('/')], environment, workingDirectory);
        using var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(5) };
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(90) && !portal._process.HasExited)
        {
            try
            {
                if ((await http.GetAsync(new Uri("/healthz", UriKind.Relative))).IsSuccessStatusCode)
                {
                    return (portal, address);
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }

            await Task.Delay(200);
        }

        var output = portal.Output;
        portal.Dispose();
        Assert.Fail($"The portal did not answer /healthz:{Environment.NewLine}{output}");
        throw new InvalidOperationException("unreachable");
    }

    /// <summary>Stops the portal if it still runs.</summary>
    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }

        _process.Dispose();
    }

    private void Print(string? line)
    {
        if (line is not null)
        {
            lock (_printed)
            {
                _printed.AppendLine(line);
            }
        }
    }
}
