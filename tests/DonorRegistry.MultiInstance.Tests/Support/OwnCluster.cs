using System.Diagnostics;
using NUnit.Framework;

namespace DonorRegistry.MultiInstance.Tests.Support;

/// <summary>
/// A PostgreSQL server of this test's own (scripts/pg-test-cluster with a state file in a temp folder), so that stopping
/// and starting it touches no other test's server. Stopped and removed on dispose.
/// </summary>
internal sealed class OwnCluster : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("multi-pg-").FullName;

    public OwnCluster()
    {
        ConnectionString = Run("start").Trim().Split('\n')[^1];
    }

    public string ConnectionString { get; }

    /// <summary>Stops the server (fast shutdown: sessions are ended, transactions in flight roll back), keeping its data.</summary>
    public void Pause() => Run("pause");

    /// <summary>Starts it again on the same port.</summary>
    public void Resume() => Run("resume");

    public void Dispose()
    {
        try
        {
            Run("stop");
        }
        finally
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    private string Run(string command)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(WorkerProcess.RepositoryRoot(), "scripts", "pg-test-cluster"));
        start.ArgumentList.Add(command);
        start.Environment["DONORREGISTRY_PG_STATE"] = Path.Combine(_folder, "pg.state");
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            Assert.Fail($"scripts/pg-test-cluster {command} failed: {error.Result}");
        }

        return output;
    }
}
