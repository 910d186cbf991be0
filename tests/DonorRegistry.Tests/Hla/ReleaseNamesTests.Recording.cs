using DonorRegistry.Donors;
using DonorRegistry.Hla;
using DonorRegistry.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace DonorRegistry.Tests.Hla;

/// <summary>A registry opened with a release refuses typings it does not know, and stores nothing.</summary>
public sealed class ReleaseNamesRecordingTests
{
    [Test]
    public void RecordTyping_UnknownAllele_IsRefusedAndNothingIsStored()
    {
        using var fx = new RegistryFixture(inMemory: true, configure: o => o.Hla = HlaFixtures.Reference);
        var id = fx.Donors.Enrol(fx.Volunteers.Next(fx.Today), "coordinator.li").Id;
        fx.Donors.RecordSampleCollected(id, null, "coordinator.li");
        var typing = new TypingResult("lab", fx.Today, new Dictionary<string, string> { ["A"] = "A*02:01+A*99:99", ["B"] = "B*46:01:01", ["DRB1"] = "DRB1*09:01:02" });

        var act = () => fx.Donors.RecordTyping(id, typing, "coordinator.li");

        act.Should().Throw<HlaNameException>().Which.Name.Should().Be("A*99:99");
        fx.Donors.Get(id).Typing.Should().BeNull();
    }
}
