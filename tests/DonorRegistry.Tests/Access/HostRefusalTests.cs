using Bogus;
using DonorRegistry.Access;
using DonorRegistry.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace DonorRegistry.Tests.Access;

/// <summary><see cref="AccessOperations.RecordDenied(Actor, string, string)"/>: a refusal the host decided, in the library's access log.</summary>
public sealed class HostRefusalTests
{
    private static readonly Actor Admin = Actor.For("admin.liu", Role.Administrator);
    private RegistryFixture _fx = null!;
    private Actor _lab = null!;

    [SetUp]
    public void SetUp()
    {
        _fx = new RegistryFixture(inMemory: true, configure: o => o.RequireRoles = true);
        _lab = Actor.For("lab." + new Faker("zh_CN").Name.LastName(), Role.Lab);
    }

    [TearDown]
    public void TearDown() => _fx.Dispose();

    [Test]
    public void ARefusedPage_IsOneDeniedEntry_WithThePageAndTheReason_AtTheRegistrysTime()
    {
        _fx.Registry.Access.RecordDenied(_lab, "/Coordinator/Search", "the page needs the role Coordinator");

        var entry = _fx.Registry.Access.History(new AccessQuery(Actor: _lab.Name), Admin).Should().ContainSingle().Which;
        entry.Should().Be(new AccessRecord(_fx.Clock.GetUtcNow(), _lab.Name, [Role.Lab], false, RegistryAction.OpenHostPage, null, null, AccessOutcome.Denied, "/Coordinator/Search: the page needs the role Coordinator"));
    }

    [Test]
    public void ARefusedVerb_IsRecordedUnderItsAction()
    {
        _fx.Registry.Access.RecordDenied(_lab, RegistryAction.RemoveDonor, "the portal offers removal to administrators only");

        _fx.Registry.Access.History(new AccessQuery(Actor: _lab.Name), Admin).Should().ContainSingle().Which.Should().Match<AccessRecord>(r =>
            r.Action == RegistryAction.RemoveDonor && r.Outcome == AccessOutcome.Denied && r.Reason == "the portal offers removal to administrators only" && r.Kind == null);
    }

    [Test]
    public void RecordingNeedsNoRole_EvenAHostActorUnderRequireRoles_IsRecorded()
    {
        _fx.Registry.Access.RecordDenied(Actor.For("nobody"), "/Admin", "no role");
        _fx.Registry.Access.RecordDenied("console", "/Admin", "a host actor");

        _fx.Registry.Access.History(new AccessQuery(), Admin).Should().HaveCount(2).And.Contain(r => r.Actor == "console" && r.IsHost);
    }

    [Test]
    public void NothingButTheEntry_IsStored()
    {
        var before = _fx.Registry.Drives.FindAll().Count;

        _fx.Registry.Access.RecordDenied(_lab, "/Organizer/Plan", "the page needs the role Organizer");

        _fx.Registry.Drives.FindAll().Should().HaveCount(before);
        _fx.Registry.Users.List().Should().BeEmpty();
    }

    [TestCase(null, "/x", "why", "actor")]
    [TestCase("lab.zhao", null, "why", "page")]
    [TestCase("lab.zhao", " ", "why", "page")]
    [TestCase("lab.zhao", "/a\u0001b", "why", "page")]
    [TestCase("lab.zhao", "/x", null, "reason")]
    [TestCase("lab.zhao", "/x", "", "reason")]
    [TestCase("lab.zhao", "/x", "a\nb", "reason")]
    public void ABadArgument_IsRefused_NamingIt_AndNothingIsRecorded(string? actor, string? page, string? reason, string field)
    {
        var record = () => _fx.Registry.Access.RecordDenied(actor is null ? null! : Actor.For(actor, Role.Lab), page!, reason!);

        record.Should().Throw<RegistryValidationException>().Which.Field.Should().Be(field);
        _fx.Registry.Access.History(new AccessQuery(), Admin).Should().BeEmpty();
    }

    [Test]
    public void APageTooLong_IsRefused_SayingWhatIsAllowed()
    {
        var record = () => _fx.Registry.Access.RecordDenied(_lab, "/" + new string('a', AccessOperations.MaxPageLength), "why");

        record.Should().Throw<RegistryValidationException>().Which.Message.Should().Contain("page").And.Contain("1 to 200 printable characters");
    }

    [Test]
    public void AnUndefinedAction_IsRefused()
    {
        var record = () => _fx.Registry.Access.RecordDenied(_lab, (RegistryAction)999, "why");

        record.Should().Throw<RegistryValidationException>().Which.Field.Should().Be("action");
    }
}
