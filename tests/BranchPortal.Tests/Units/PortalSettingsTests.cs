using NUnit.Framework;

namespace BranchPortal.Tests.Units;

public sealed class PortalSettingsTests
{
    [Test]
    public void NoOptions_RunTheDemo()
    {
        var settings = PortalSettings.Parse([]);

        settings.IsDemo.Should().BeTrue();
        settings.HostArguments.Should().BeEmpty();
        PortalSettings.DefaultUrls.Should().Be("http://127.0.0.1:5080");
    }

    [Test]
    public void TheKey_IsRefusedOnTheCommandLine()
    {
        var parse = () => PortalSettings.Parse(["--registry", "/srv/chaoyang.db", "--key", "c2VjcmV0"]);

        parse.Should().Throw<ArgumentException>().WithMessage("*never given on the command line*--key-file*DONORREGISTRY_KEY*");
    }

    [Test]
    public void ARealRegistry_TakesItsKeyFile_AndLeavesUrlsToAspNetCore()
    {
        var settings = PortalSettings.Parse(["--registry", "chaoyang.db", "--key-file", "registry.key", "--urls", "http://0.0.0.0:8080"]);

        settings.IsDemo.Should().BeFalse();
        settings.RegistryPath.Should().Be(Path.GetFullPath("chaoyang.db"));
        settings.KeyFile.Should().Be(Path.GetFullPath("registry.key"));
        settings.HostArguments.Should().Equal("--urls", "http://0.0.0.0:8080");
    }

    [Test]
    public void AKeyFile_WithoutARegistry_IsRefused()
    {
        var parse = () => PortalSettings.Parse(["--key-file", "registry.key"]);

        parse.Should().Throw<ArgumentException>().WithMessage("--key-file goes with --registry*");
    }
}
