using System.Collections.Concurrent;
using System.Diagnostics;
using NUnit.Framework;

namespace DonorRegistry.MultiInstance.Tests.Support;

/// <summary>
/// One application instance in a process of its own (tests/DonorRegistry.MultiInstance.Worker): commands go in on its
/// stdin, answers come back one line each. Killed with SIGKILL on dispose when still running.
/// </summary>
internal sealed class WorkerProcess : IDisposable
{
    private readonly Process _process;
    private readonly BlockingCollection<string> _lines = [];
    private readonly ConcurrentQueue<string> _errors = new();
    private bool _disposed;

    /// <param name="connectionString">The registry's database.</param>
    /// <param name="key">The registry key.</param>
    /// <param name="keyStorePath">This instance's key store (a copy of the registry's).</param>
    /// <param name="mode">More arguments: <c>workflows &lt;schema&gt; &lt;steps folder&gt;</c> hosts the drive workflows.</param>
    public WorkerProcess(string connectionString, RegistryKey key, string keyStorePath, params string[] mode)
    {
        var testDirectory = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        var dll = Path.Combine(RepositoryRoot(), "tests", "DonorRegistry.MultiInstance.Worker", "bin", testDirectory.Parent!.Name, testDirectory.Name, "DonorRegistry.MultiInstance.Worker.dll");
        if (!File.Exists(dll))
        {
            Assert.Fail($"the worker is built with the tests (a project reference), so {dll} should exist");
        }

        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add(connectionString);
        start.ArgumentList.Add(key.ToBase64());
        start.ArgumentList.Add(keyStorePath);
        foreach (var argument in mode)
        {
            start.ArgumentList.Add(argument);
        }

        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                _lines.Add(line);
            }
        };
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                _errors.Enqueue(line);
            }
        };
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        Expect("ready", TimeSpan.FromSeconds(60));
    }

    public int Id => _process.Id;

    /// <summary>Sends a command.</summary>
    public void Send(string command)
    {
        _process.StandardInput.WriteLine(command);
        _process.StandardInput.Flush();
    }

    /// <summary>The next line the worker writes that starts with <paramref name="prefix"/> (other lines are skipped).</summary>
    public string Expect(string prefix, TimeSpan? within = null) =>
        Next(prefix, within ?? TimeSpan.FromSeconds(30)) ?? Fail($"the worker wrote no '{prefix}' line in time; its errors: {string.Join(Environment.NewLine, _errors)}");

    /// <summary>As <see cref="Expect"/>, but null when no such line comes in time.</summary>
    public string? Next(string prefix, TimeSpan within)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var left = within - clock.Elapsed;
            if (left <= TimeSpan.Zero || !_lines.TryTake(out var line, left))
            {
                return null;
            }

            if (line.StartsWith(prefix, StringComparison.Ordinal))
            {
                return line;
            }

            if (line.StartsWith("unknown", StringComparison.Ordinal))
            {
                Assert.Fail($"the worker did not understand a command: {line}");
            }
        }
    }

    /// <summary>Forgets the lines the worker wrote so far and not yet read.</summary>
    public void Drain()
    {
        while (_lines.TryTake(out _))
        {
        }
    }

    /// <summary>What the worker wrote to stderr so far.</summary>
    public string Errors => string.Join(Environment.NewLine, _errors);

    /// <summary>SIGKILL: the process ends at once, its connections drop, nothing is closed.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
        }

        _process.WaitForExit();
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        try
        {
            if (!_process.HasExited)
            {
                Send("quit");
                if (!_process.WaitForExit(TimeSpan.FromSeconds(10)))
                {
                    Kill();
                }
            }
        }
        catch (IOException)
        {
            Kill();
        }
        finally
        {
            _process.Dispose();
            _lines.Dispose();
        }
    }

    private static string Fail(string message)
    {
        Assert.Fail(message);
        return null!;
    }

    internal static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "DonorRegistry.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("the repository root (DonorRegistry.sln) was not found above the test directory");
    }
}
