using System.Text;
using DonorRegistry.Donors;
using DonorRegistry.FakeData;
using DonorRegistry.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace DonorRegistry.Tests.Protection;

public sealed class PersonalDataProtectionTests
{
    private RegistryFixture _fx = null!;

    [SetUp]
    public void SetUp() => _fx = new RegistryFixture();

    [TearDown]
    public void TearDown() => _fx.Dispose();

    [Test]
    public void Enrol_PersonalData_NeverAppearsInPlainTextInAnyFile()
    {
        var request = _fx.Volunteers.Next(_fx.Today);
        _fx.Donors.Enrol(request, "organizer.wang");
        _fx.Registry.Dispose();

        var bytes = _fx.AllBytes();

        foreach (var secret in new[] { request.Personal.FullName, request.Personal.NationalId, request.Personal.Phone, request.Personal.Address, request.Personal.EmergencyContacts[0].Name })
        {
            Contains(bytes, Encoding.UTF8.GetBytes(secret)).Should().BeFalse($"'{secret}' must be encrypted at rest");
        }

        _fx.Open();
    }

    [Test]
    public void Withdraw_DestroysTheDataKey_SoTheDataIsUnreadableAndTheKeyBytesAreGoneFromTheFile()
    {
        var donor = _fx.Enrol();
        var other = _fx.Enrol();
        var wrappedKey = ReadKeySlot(donor.Id);
        wrappedKey.Should().NotBeNull();

        var withdrawn = _fx.Donors.Withdraw(donor.Id, "coordinator.li");
        _fx.Registry.Dispose();

        Contains(File.ReadAllBytes(_fx.KeyStorePath), wrappedKey!).Should().BeFalse("the wrapped key must be overwritten in place");
        _fx.Open();
        var read = () => _fx.Donors.GetPersonalData(donor.Id, "coordinator.li", "read back in a test");
        read.Should().Throw<PersonalDataErasedException>().WithMessage($"Donor {donor.Id} withdrew consent*");
        _fx.Donors.GetPersonalData(other.Id, "coordinator.li", "read back in a test").Should().NotBeNull();
        withdrawn.PersonalDataErased.Should().BeTrue();
        withdrawn.Typing.Should().BeNull();
        withdrawn.Profile.BirthDate.Should().Be(new DateOnly(donor.Profile.BirthDate.Year, 7, 1));
    }

    [Test]
    public void Withdraw_ACopyOfTheDatabaseMadeBefore_OpensWithTheDonorWithdrawnAgainAndUnreadable()
    {
        var donor = _fx.Enrol();
        var other = _fx.Enrol();
        _fx.Registry.Dispose();
        var backup = Path.Combine(_fx.Folder, "backup-before-withdrawal.db");
        File.Copy(_fx.DatabasePath, backup);
        _fx.Open();

        _fx.Donors.Withdraw(donor.Id, "coordinator.li");
        _fx.Registry.Dispose();

        var options = _fx.Options(backup);
        options.KeyStorePath = _fx.KeyStorePath;
        using (var fromBackup = Registry.Open(options))
        {
            fromBackup.Donors.Get(donor.Id).State.Should().Be(DonorState.Withdrawn, "the open re-applies the key store's withdrawal ledger to a database that predates the withdrawal");
            fromBackup.GetHistory(AggregateKind.Donor, donor.Id.ToString()).Last().Actor.Should().Be("withdrawal-ledger");
            var read = () => fromBackup.Donors.GetPersonalData(donor.Id, "coordinator.li", "read back in a test");
            read.Should().Throw<PersonalDataErasedException>();
            fromBackup.Donors.GetPersonalData(other.Id, "coordinator.li", "read back in a test").FullName.Should().NotBeEmpty();
        }

        _fx.Open();
    }

    [Test]
    public void Open_AfterACrashBetweenWithdrawalAndKeyDestruction_DestroysTheKeyThen()
    {
        var donor = _fx.Enrol();
        _fx.Registry.Dispose();
        var keysBefore = File.ReadAllBytes(_fx.KeyStorePath);
        _fx.Open();
        _fx.Donors.Withdraw(donor.Id, "coordinator.li");
        _fx.Registry.Dispose();

        // The state a crash right after the withdrawal's commit leaves: withdrawn in the database, key still present.
        File.WriteAllBytes(_fx.KeyStorePath, keysBefore);
        _fx.Open();

        var read = () => _fx.Donors.GetPersonalData(donor.Id, "coordinator.li", "read back in a test");
        read.Should().Throw<PersonalDataErasedException>();
        _fx.Registry.Dispose();
        var slot = File.ReadAllBytes(_fx.KeyStorePath).AsSpan(64 + (int)(donor.Id.Value * 64), 64).ToArray();
        slot.Should().OnlyContain(b => b == 0);
        _fx.Open();
    }

    [Test]
    public void Withdraw_KeepsTheAnonymousHistoryAndForgetsTheNationalId()
    {
        var request = _fx.Volunteers.Next(_fx.Today);
        var donor = _fx.Donors.Enrol(request, "organizer.wang");

        _fx.Donors.Withdraw(donor.Id, "coordinator.li");

        _fx.Donors.GetHistory(donor.Id).Select(t => t.To).Should().Equal(nameof(DonorState.Enrolled), nameof(DonorState.Withdrawn));
        _fx.Donors.FindByNationalId(request.Personal.NationalId).Should().BeNull();
        _fx.Donors.CountByState()[DonorState.Withdrawn].Should().Be(1);
        _fx.Donors.Enrol(request, "organizer.wang").Id.Should().NotBe(donor.Id, "a person who withdrew may enrol again as a new donor");
    }

    [Test]
    public void UpdatePersonalData_NewPhone_ReadsBackAndIsAuditedWithoutTheValue()
    {
        var request = _fx.Volunteers.Next(_fx.Today);
        var donor = _fx.Donors.Enrol(request, "organizer.wang");
        var updated = request.Personal with { Phone = "13811112222" };

        var after = _fx.Donors.UpdatePersonalData(donor.Id, updated, "coordinator.li", expectedVersion: 1);

        after.Version.Should().Be(2);
        _fx.Donors.GetPersonalData(donor.Id, "coordinator.li", "read back in a test").Should().Be(updated);
        var audit = _fx.Donors.GetHistory(donor.Id)[^1];
        audit.Action.Should().Be("UpdatePersonalData");
        audit.Reason.Should().NotContain("13811112222");
    }

    [Test]
    public void UpdatePersonalData_ToAnotherDonorsNationalId_IsRejectedAndNothingChanges()
    {
        using var fx = new RegistryFixture(inMemory: true, configure: o => o.NationalIdFormat = NationalIdFormat.Opaque);
        var first = fx.Volunteers.Next(fx.Today);
        var second = fx.Volunteers.Next(fx.Today);
        var firstDonor = fx.Donors.Enrol(first, "organizer.wang");
        var donor = fx.Donors.Enrol(second, "organizer.wang");

        var act = () => fx.Donors.UpdatePersonalData(donor.Id, second.Personal with { NationalId = first.Personal.NationalId }, "coordinator.li");

        act.Should().Throw<DuplicateDonorException>().Which.ExistingDonorId.Should().Be(firstDonor.Id);
        fx.Donors.GetPersonalData(donor.Id, "coordinator.li", "read back in a test").Should().Be(second.Personal);
        fx.Donors.Get(donor.Id).Version.Should().Be(1);
        fx.Donors.FindByNationalId(second.Personal.NationalId).Should().Be(donor.Id);
    }

    [Test]
    public void UpdatePersonalData_AfterWithdrawal_SaysTheDataWasErased()
    {
        var request = _fx.Volunteers.Next(_fx.Today);
        var donor = _fx.Donors.Enrol(request, "organizer.wang");
        _fx.Donors.Withdraw(donor.Id, "coordinator.li");

        var act = () => _fx.Donors.UpdatePersonalData(donor.Id, request.Personal, "coordinator.li");

        act.Should().Throw<PersonalDataErasedException>();
    }

    [Test]
    public void Open_WithAnotherRegistryKey_IsRejectedNamingBothKeyIds()
    {
        _fx.Enrol();
        _fx.Registry.Dispose();
        var wrongKey = RegistryKey.Generate();

        var act = () => Registry.Open(_fx.Options(key: wrongKey));

        act.Should().Throw<RegistryKeyMismatchException>()
            .WithMessage($"*was created with registry key {_fx.Key.KeyId}, but key {wrongKey.KeyId} was given*");
        _fx.Open().Donors.Count().Should().Be(1);
    }

    private byte[]? ReadKeySlot(DonorId id)
    {
        _fx.Registry.Dispose();
        var bytes = File.ReadAllBytes(_fx.KeyStorePath);
        _fx.Open();
        var slot = bytes.AsSpan(64 + (int)(id.Value * 64), 64);
        return slot[0] == 1 ? slot[1..61].ToArray() : null;
    }

    private static bool Contains(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;
}
