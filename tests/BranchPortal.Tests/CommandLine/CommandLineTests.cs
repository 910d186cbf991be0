using System.Net;
using DonorRegistry;
using NUnit.Framework;

namespace BranchPortal.Tests.CommandLine;

/// <summary>The portal's command line, run as a process: help, refusals, a real registry with its key from a file or the environment.</summary>
public sealed class CommandLineTests
{
    private string _folder = null!;

    [SetUp]
    public void NewFolder() => _folder = Directory.CreateTempSubdirectory("branchportal-cli-").FullName;

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    [Test]
    public void Help_PrintsTheOptions_AndExitsZero()
    {
        var (exitCode, output) = PortalProcess.Run(_folder, "--help");

        exitCode.Should().Be(0, output);
        output.Should().Contain("Usage: dotnet run --project samples/BranchPortal").And.Contain("--registry PATH").And.Contain("--key-file PATH").And.Contain("--urls URLS");
    }

    [Test]
    public void AKeyOnTheCommandLine_IsRefused_WithExitCode2()
    {
        var (exitCode, output) = PortalProcess.Run(_folder, "--registry", Path.Combine(_folder, "chaoyang.db"), "--key", RegistryKey.Generate().ToBase64());

        exitCode.Should().Be(2, output);
        output.Should().Contain("never given on the command line");
    }

    [Test]
    public void ARegistry_WithoutAKey_IsRefused_SayingWhereTheKeyComesFrom()
    {
        var (exitCode, output) = PortalProcess.Run(_folder, "--registry", Path.Combine(_folder, "chaoyang.db"));

        exitCode.Should().Be(1, output);
        output.Should().Contain("--key-file PATH or set DONORREGISTRY_KEY");
    }

    [Test]
    public void ARegistry_OpenedWithAnotherKey_IsRefused_AndNothingIsServed()
    {
        var database = CreateRegistry(RegistryKey.Generate());
        var keyFile = WriteKey(RegistryKey.Generate());

        var (exitCode, output) = PortalProcess.Run(_folder, "--registry", database, "--key-file", keyFile);

        exitCode.Should().Be(1, output);
        output.Should().Contain("BranchPortal: ").And.NotContain("Now listening");
    }

    [Test]
    public async Task ARealRegistry_OpensWithItsKeyFile_ItsFirstRunMakesTheAdministrator_KeptInTheRegistry()
    {
        var key = RegistryKey.Generate();
        var database = CreateRegistry(key);
        string password;

        var (portal, address) = await PortalProcess.StartAsync(_folder, ["--registry", database, "--key-file", WriteKey(key)]);
        using (portal)
        {
            portal.Output.Should().Contain($"Registry opened: {database}").And.MatchRegex("First administrator: admin, password \\S{16}").And.NotContain("organizer.wang");
            password = System.Text.RegularExpressions.Regex.Match(portal.Output, "First administrator: admin, password (\\S{16})").Groups[1].Value;
            using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = address };
            (await http.GetAsync(new Uri("/Organizer", UriKind.Relative))).StatusCode.Should().Be(HttpStatusCode.Redirect);
        }

        // The second run finds the administrator in the registry: no new one, the same password still holds.
        (portal, _) = await PortalProcess.StartAsync(_folder, ["--registry", database, "--key-file", WriteKey(key)]);
        using (portal)
        {
            portal.Output.Should().Contain($"Registry opened: {database}").And.NotContain("First administrator");
        }

        using var registry = Registry.Open(new RegistryOptions { DatabasePath = database, RegistryKey = key });
        var admin = registry.Users.Get("admin");
        admin.Roles.Should().Equal(DonorRegistry.Access.Role.Administrator);
        new Microsoft.AspNetCore.Identity.PasswordHasher<object>().VerifyHashedPassword(new object(), admin.PasswordHash, password)
            .Should().NotBe(Microsoft.AspNetCore.Identity.PasswordVerificationResult.Failed);
    }

    [Test]
    public async Task ARealRegistry_TakesItsKeyFromTheEnvironment()
    {
        var key = RegistryKey.Generate();
        var database = CreateRegistry(key);

        var (portal, _) = await PortalProcess.StartAsync(_folder, ["--registry", database], new Dictionary<string, string?> { ["DONORREGISTRY_KEY"] = key.ToBase64() });
        using (portal)
        {
            portal.Output.Should().Contain($"Registry opened: {database}");
        }
    }

    private string CreateRegistry(RegistryKey key)
    {
        var database = Path.Combine(_folder, "chaoyang.db");
        Registry.Create(new RegistryOptions { DatabasePath = database, RegistryKey = key }).Dispose();
        return database;
    }

    private string WriteKey(RegistryKey key)
    {
        var file = Path.Combine(_folder, "registry.key");
        File.WriteAllText(file, key.ToBase64());
        return file;
    }
}
