using System.Diagnostics;
using DonorRegistry.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace DonorRegistry.Tests.Storage;

/// <summary>Links are resolved before the lock and the size check; a bad path gets its own message, not "in use" (Linux: real links).</summary>
[Platform("Linux")]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class RegistryPathTests
{
    private RegistryFixture _fx = null!;

    [SetUp]
    public void SetUp() => _fx = new RegistryFixture();

    [TearDown]
    public void TearDown() => _fx.Dispose();

    [Test]
    public void Open_ThroughASymlinkToTheDatabase_Opens_AndFindsTheKeyStoreBesideTheRealFile()
    {
        var donor = _fx.Enrol();
        _fx.Registry.Dispose();
        var elsewhere = Directory.CreateDirectory(Path.Combine(_fx.Folder, "links")).FullName;
        var link = Path.Combine(elsewhere, "current.db");
        File.CreateSymbolicLink(link, _fx.DatabasePath);

        using var registry = Registry.Open(_fx.Options(link));

        registry.DatabasePath.Should().Be(_fx.DatabasePath, "the registry names the real file");
        registry.KeyStorePath.Should().Be(_fx.KeyStorePath);
        registry.Donors.GetPersonalData(donor.Id, "coordinator.li", "read back in a test").FullName.Should().NotBeEmpty();
    }

    [Test]
    public void Open_ThroughASymlinkWhileTheRegistryIsOpen_IsRefusedAsInUse()
    {
        var link = Path.Combine(_fx.Folder, "link.db");
        File.CreateSymbolicLink(link, _fx.DatabasePath);

        var act = () => Registry.Open(_fx.Options(link));

        act.Should().Throw<RegistryInUseException>().WithMessage($"'{_fx.DatabasePath}' is already open*");
        _fx.Donors.Count().Should().Be(0, "the open registry is unharmed");
    }

    [Test]
    public void Open_ThroughAHardLinkWhileTheRegistryIsOpen_IsRefusedAsInUse()
    {
        var link = Path.Combine(_fx.Folder, "hard.db");
        Run("ln", _fx.DatabasePath, link);
        var options = _fx.Options(link);
        options.KeyStorePath = _fx.KeyStorePath;

        var act = () => Registry.Open(options);

        act.Should().Throw<RegistryInUseException>().WithMessage($"'{link}' is already open by this or another process*");
        _fx.Enrol().Should().NotBeNull("the open registry still writes");
    }

    [Test]
    public void Open_AHardLinkWithItsOwnKeyStoreLinks_WhileTheRegistryIsOpen_IsRefusedAsInUse()
    {
        var link = Path.Combine(_fx.Folder, "hard.db");
        Run("ln", _fx.DatabasePath, link);
        Run("ln", _fx.KeyStorePath, link + ".keys");
        Run("ln", _fx.KeyStorePath + ".withdrawals", link + ".keys.withdrawals");

        var act = () => Registry.Open(_fx.Options(link));

        act.Should().Throw<RegistryInUseException>();
    }

    [Test]
    public void Open_InAFolderThatDoesNotExist_SaysSo_NotInUse()
    {
        var path = Path.Combine(_fx.Folder, "no-such-folder", "registry.db");

        var open = () => Registry.Open(_fx.Options(path));
        var create = () => Registry.Create(_fx.Options(path));

        open.Should().Throw<RegistryPathException>().WithMessage($"'{path}' is in the folder '{Path.GetDirectoryName(path)}', which does not exist; create the folder first*");
        create.Should().Throw<RegistryPathException>().WithMessage("*which does not exist*");
        Directory.Exists(Path.GetDirectoryName(path)).Should().BeFalse();
    }

    [Test]
    public void Open_APathThatIsAFolder_SaysSo()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_fx.Folder, "registry-folder")).FullName;

        var act = () => Registry.Create(_fx.Options(folder));

        act.Should().Throw<RegistryPathException>().WithMessage($"'{folder}' is a folder, not a file*give the path of a file inside it*");
    }

    [Test]
    public void Open_ASymlinkToAFolder_SaysItIsAFolder()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_fx.Folder, "target-folder")).FullName;
        var link = Path.Combine(_fx.Folder, "folder-link.db");
        File.CreateSymbolicLink(link, folder);

        var act = () => Registry.Open(_fx.Options(link));

        act.Should().Throw<RegistryPathException>().WithMessage($"'{folder}' is a folder*");
    }

    [Test]
    public void Open_AFileThisProcessMayNotWrite_SaysPermissionDenied_NotInUse()
    {
        _fx.Registry.Dispose();
        var restore = Deny(_fx.DatabasePath);
        try
        {
            var act = () => Registry.Open(_fx.Options());

            act.Should().Throw<RegistryPathException>().WithMessage($"'{_fx.DatabasePath}' cannot be read and written by this process*permission denied*give the account*");
        }
        finally
        {
            restore();
        }

        _fx.Open().Donors.Count().Should().Be(0);
    }

    [Test]
    public void Create_InAFolderThisProcessMayNotWrite_SaysPermissionDenied()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_fx.Folder, "read-only")).FullName;
        var restore = Deny(folder);
        try
        {
            var act = () => Registry.Create(_fx.Options(Path.Combine(folder, "registry.db")));

            act.Should().Throw<RegistryPathException>().WithMessage("*cannot be read and written by this process*permission denied*");
        }
        finally
        {
            restore();
        }
    }

    /// <summary>Takes write access away: chmod for an ordinary user; as root (who ignores modes), the immutable attribute.</summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static Action Deny(string path)
    {
        if (Environment.UserName == "root")
        {
            Run("chattr", "+i", path);
            return () => Run("chattr", "-i", path);
        }

        var mode = File.GetUnixFileMode(path);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | (Directory.Exists(path) ? UnixFileMode.UserExecute : 0));
        return () => File.SetUnixFileMode(path, mode);
    }

    private static void Run(string program, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(program, arguments) { RedirectStandardError = true })!;
        process.WaitForExit();
        process.ExitCode.Should().Be(0, $"{program} {string.Join(' ', arguments)}: {process.StandardError.ReadToEnd()}");
    }
}
