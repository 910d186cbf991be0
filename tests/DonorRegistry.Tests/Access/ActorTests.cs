using DonorRegistry.Access;
using FluentAssertions;
using NUnit.Framework;

namespace DonorRegistry.Tests.Access;

public sealed class ActorTests
{
    [Test]
    public void For_KeepsTheNameAndTheRoles_AndIsNoHost()
    {
        var actor = Actor.For("lab.zhao", Role.Lab, Role.Lab, Role.Viewer);

        actor.Name.Should().Be("lab.zhao");
        actor.Roles.Should().BeEquivalentTo([Role.Lab, Role.Viewer]);
        actor.IsHost.Should().BeFalse();
        actor.ToString().Should().Be("lab.zhao (Lab, Viewer)");
    }

    [Test]
    public void AString_BecomesAHostActorHoldingEveryRole()
    {
        Actor actor = "organizer.wang";

        actor.IsHost.Should().BeTrue();
        actor.Name.Should().Be("organizer.wang");
        actor.Roles.Should().BeEquivalentTo(Enum.GetValues<Role>());
        Actor.Host("tour").ToString().Should().Be("tour (host)");
    }

    [TestCase("")]
    [TestCase("   ")]
    [TestCase("line\nbreak")]
    public void For_AndHost_RefuseANameAsByIsRefused(string name)
    {
        var forName = () => Actor.For(name, Role.Lab);
        var host = () => Actor.Host(name);

        forName.Should().Throw<RegistryValidationException>().Which.Field.Should().Be("by");
        host.Should().Throw<RegistryValidationException>().Which.Field.Should().Be("by");
    }

    [Test]
    public void For_RefusesAnUndefinedRole() =>
        FluentActions.Invoking(() => Actor.For("x", (Role)9)).Should().Throw<RegistryValidationException>().Which.Field.Should().Be("roles");

    [Test]
    public void For_RefusesATooLongName() =>
        FluentActions.Invoking(() => Actor.For(new string('a', 201))).Should().Throw<RegistryValidationException>().Which.Message.Should().Contain("1 to 200");
}
