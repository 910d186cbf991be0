using DonorRegistry.Donors;
using DonorRegistry.FakeData;
using DonorRegistry.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace DonorRegistry.Tests.Donors;

public sealed partial class DonorOperationsTests
{
    private RegistryFixture _fx = null!;

    private DonorOperations Donors => _fx.Donors;

    [SetUp]
    public void SetUp() => _fx = new RegistryFixture();

    [TearDown]
    public void TearDown() => _fx.Dispose();

    [Test]
    public void Enrol_ValidVolunteer_IsStoredEnrolledAtVersionOneWithOneAuditRecord()
    {
        var request = _fx.Volunteers.Next(_fx.Today, new DriveId("PKU-2026-03"));

        var donor = Donors.Enrol(request, "organizer.wang");

        donor.State.Should().Be(DonorState.Enrolled);
        donor.Version.Should().Be(1);
        donor.Id.Should().Be(new DonorId(1));
        donor.EnrolledAt.Should().Be(RegistryFixture.Start);
        Donors.Get(donor.Id).Should().BeEquivalentTo(donor);
        Donors.GetHistory(donor.Id).Should().ContainSingle().Which.Should().Be(
            new DonorRegistry.Audit.AuditRecord(AggregateKind.Donor, donor.Id.ToString(), 1, "Prospect", "Enrolled", "Enrol", "organizer.wang", "PKU-2026-03", RegistryFixture.Start));
    }

    [Test]
    public void Enrol_PersonalData_ReadsBackExactly()
    {
        var request = _fx.Volunteers.Next(_fx.Today);

        var donor = Donors.Enrol(request, "organizer.wang");

        Donors.GetPersonalData(donor.Id, "coordinator.li", "read back in a test").Should().Be(request.Personal);
    }

    [Test]
    public void EnrolMany_Batch_GetsConsecutiveIdsInRequestOrder()
    {
        var requests = _fx.Volunteers.Many(50, _fx.Today);

        var donors = Donors.EnrolMany(requests, "organizer.wang");

        donors.Select(d => d.Id.Value).Should().Equal(Enumerable.Range(1, 50).Select(i => (long)i));
        Donors.Count().Should().Be(50);
        Donors.GetPersonalData(donors[17].Id, "coordinator.li", "read back in a test").Should().Be(requests[17].Personal);
    }

    [Test]
    public void Enrol_UnderMinimumAge_IsRejectedWithAgeInMessage()
    {
        var request = _fx.Volunteers.Next(_fx.Today, age: 17);

        var act = () => Donors.Enrol(request, "organizer.wang");

        act.Should().Throw<DonorAgeOutOfRangeException>()
            .WithMessage("*is 17 on 2026-11-29; volunteers may join the registry from age 18 to 45 inclusive.")
            .Which.Age.Should().Be(17);
        Donors.Count().Should().Be(0);
    }

    [Test]
    public void Enrol_OverMaximumAge_IsRejectedWithAgeInMessage()
    {
        var request = _fx.Volunteers.Next(_fx.Today, age: 46);

        var act = () => Donors.Enrol(request, "organizer.wang");

        act.Should().Throw<DonorAgeOutOfRangeException>().WithMessage("*is 46 on*from age 18 to 45*");
        Donors.Count().Should().Be(0);
    }

    [Test]
    public void Enrol_OnTheDayOfTheMaximumAge_IsAccepted()
    {
        var birth = _fx.Today.AddYears(-45);
        var r = _fx.Volunteers.Next(_fx.Today);
        var request = r with
        {
            Profile = r.Profile with { BirthDate = birth },
            Personal = r.Personal with { NationalId = _fx.Volunteers.ResidentId(birth, r.Profile.Sex) },
        };

        Donors.Enrol(request, "organizer.wang").AgeOn(_fx.Today).Should().Be(45);
    }

    [Test]
    public void Enrol_WithConfiguredDkmsAges_AcceptsA50YearOld()
    {
        using var fx = new RegistryFixture(inMemory: true, configure: o => o.Eligibility = new EligibilityPolicy { MaximumJoinAge = 55, LeavingAge = 61 });

        fx.Enrol(age: 50).State.Should().Be(DonorState.Enrolled);
    }

    [Test]
    public void Enrol_BirthDateInTheFuture_IsRejectedNamingTheDate()
    {
        var request = _fx.Volunteers.Next(_fx.Today);
        request = request with { Profile = request.Profile with { BirthDate = _fx.Today.AddDays(3) } };

        var act = () => Donors.Enrol(request, "organizer.wang");

        act.Should().Throw<RegistryValidationException>().WithMessage("BirthDate '2026-12-02' is in the future (today is 2026-11-29)*")
            .Which.Field.Should().Be("BirthDate");
        Donors.Count().Should().Be(0);
    }

    [TestCase("", "is empty")]
    [TestCase("   ", "is empty")]
    [TestCase("11010519990101123", "has 17 characters")]
    [TestCase("1101051999010112345", "has 19 characters")]
    [TestCase("11010519990101A23X", "has 'A' at position 15")]
    public void Enrol_MalformedNationalId_IsRejectedSayingWhatIsWrong(string nationalId, string problem)
    {
        var request = _fx.Volunteers.Next(_fx.Today);
        request = request with { Personal = request.Personal with { NationalId = nationalId } };

        var act = () => Donors.Enrol(request, "organizer.wang");

        act.Should().Throw<RegistryValidationException>().Which.Should().Match<RegistryValidationException>(e => e.Field == "NationalId" && e.Problem.StartsWith(problem));
        Donors.Count().Should().Be(0);
    }

    [Test]
    public void Enrol_NationalIdWithWrongCheckDigit_IsRejected()
    {
        var request = _fx.Volunteers.Next(_fx.Today);
        var id = request.Personal.NationalId;
        var wrong = id[..17] + (id[17] == '0' ? '1' : '0');
        request = request with { Personal = request.Personal with { NationalId = wrong } };

        var act = () => Donors.Enrol(request, "organizer.wang");

        act.Should().Throw<RegistryValidationException>().WithMessage("*fails its check digit*");
    }

    [Test]
    public void Enrol_NationalIdOfAnotherBirthDate_IsRejected()
    {
        var request = _fx.Volunteers.Next(_fx.Today);
        request = request with { Personal = request.Personal with { NationalId = _fx.Volunteers.ResidentId(request.Profile.BirthDate.AddDays(-1), request.Profile.Sex) } };

        var act = () => Donors.Enrol(request, "organizer.wang");

        act.Should().Throw<RegistryValidationException>().WithMessage($"*does not hold the birth date {request.Profile.BirthDate:yyyy-MM-dd}*");
    }

    [Test]
    public void Enrol_NationalIdMessage_MasksTheMiddleDigits()
    {
        var request = _fx.Volunteers.Next(_fx.Today);
        var id = request.Personal.NationalId;
        request = request with { Personal = request.Personal with { NationalId = id[..17] + (id[17] == '0' ? '1' : '0') } };

        var act = () => Donors.Enrol(request, "organizer.wang");

        act.Should().Throw<RegistryValidationException>().Which.Message.Should().Contain(id[..6] + "********").And.NotContain(id[6..14]);
    }

    [Test]
    public void Enrol_OpaqueNationalIdFormat_AcceptsAnyNonEmptyId()
    {
        using var fx = new RegistryFixture(inMemory: true, configure: o => o.NationalIdFormat = NationalIdFormat.Opaque);
        var request = fx.Volunteers.Next(fx.Today);
        request = request with { Personal = request.Personal with { NationalId = "P-4471-9921" } };

        fx.Donors.Enrol(request, "organizer").State.Should().Be(DonorState.Enrolled);
    }

    [Test]
    public void Enrol_SamePersonTwice_IsRejectedNamingTheExistingDonor()
    {
        var request = _fx.Volunteers.Next(_fx.Today);
        var first = Donors.Enrol(request, "organizer.wang");
        var again = request with { Personal = request.Personal with { NationalId = request.Personal.NationalId.ToLowerInvariant() + " ", Phone = "13900000000" } };

        var act = () => Donors.Enrol(again, "organizer.zhao");

        act.Should().Throw<DuplicateDonorException>().WithMessage($"*already registered as donor {first.Id}*")
            .Which.ExistingDonorId.Should().Be(first.Id);
        Donors.Count().Should().Be(1);
        Donors.GetPersonalData(first.Id, "coordinator.li", "read back in a test").Should().Be(request.Personal);
    }

    [Test]
    public void EnrolMany_DuplicateInsideTheBatch_StoresNoneOfTheBatch()
    {
        var requests = _fx.Volunteers.Many(5, _fx.Today).ToList();
        requests.Add(requests[2]);

        var act = () => Donors.EnrolMany(requests, "organizer.wang");

        act.Should().Throw<DuplicateDonorException>().Which.ExistingDonorId.Should().BeNull();
        Donors.Count().Should().Be(0);
    }

    [Test]
    public void EnrolMany_OneVolunteerAlreadyEnrolled_StoresNoneOfTheBatchAndKeepsTheIdSequence()
    {
        var existing = _fx.Enrol();
        var requests = _fx.Volunteers.Many(3, _fx.Today).ToList();
        var duplicate = _fx.Volunteers.Next(_fx.Today);
        Donors.Enrol(duplicate, "organizer.wang");
        requests.Add(duplicate);

        var act = () => Donors.EnrolMany(requests, "organizer.wang");

        act.Should().Throw<DuplicateDonorException>();
        Donors.Count().Should().Be(2);
        _fx.Enrol().Id.Should().Be(new DonorId(existing.Id.Value + 2));
    }

    [TestCase("", "13912345678", "FullName")]
    [TestCase("王芳", "phone", "Phone")]
    [TestCase("王芳", "123", "Phone")]
    public void Enrol_MissingOrMalformedPersonalField_IsRejectedNamingTheField(string name, string phone, string field)
    {
        var request = _fx.Volunteers.Next(_fx.Today);
        request = request with { Personal = request.Personal with { FullName = name, Phone = phone } };

        var act = () => Donors.Enrol(request, "organizer.wang");

        act.Should().Throw<RegistryValidationException>().Which.Field.Should().Be(field);
        Donors.Count().Should().Be(0);
    }

    [Test]
    public void Enrol_UndefinedSex_IsRejected()
    {
        var request = _fx.Volunteers.Next(_fx.Today);
        request = request with { Profile = request.Profile with { Sex = (Sex)9 } };

        var act = () => Donors.Enrol(request, "organizer.wang");

        act.Should().Throw<RegistryValidationException>().WithMessage("Sex '9' is not a known value; use Female or Male.");
    }

    [TestCase("")]
    [TestCase(" ")]
    public void Enrol_WithoutActor_IsRejectedAskingWhoActs(string by)
    {
        var act = () => Donors.Enrol(_fx.Volunteers.Next(_fx.Today), by);

        act.Should().Throw<RegistryValidationException>().WithMessage("by '*' does not name who acts*").Which.Field.Should().Be("by");
    }

    [Test]
    public void FindByNationalId_EnrolledPerson_FindsTheDonorWithoutDecrypting()
    {
        var request = _fx.Volunteers.Next(_fx.Today);
        var donor = Donors.Enrol(request, "organizer.wang");

        Donors.FindByNationalId(request.Personal.NationalId).Should().Be(donor.Id);
        Donors.FindByNationalId("110105199001010011").Should().BeNull();
    }

    [Test]
    public void FindByDrive_DonorsOfTwoDrives_ReturnsOnlyThatDrivesDonors()
    {
        var pku = new DriveId("PKU-2026-03");
        var bnu = new DriveId("BNU-2026-04");
        Donors.EnrolMany(_fx.Volunteers.Many(3, _fx.Today, pku), "organizer.wang");
        Donors.EnrolMany(_fx.Volunteers.Many(2, _fx.Today, bnu), "organizer.wang");

        Donors.FindByDrive(pku).Should().HaveCount(3).And.OnlyContain(d => d.Profile.Drive == pku);
        Donors.FindByDrive(bnu, skip: 1).Should().ContainSingle();
    }

    [Test]
    public void EnrolMany_LargeBatchWithOneInvalidVolunteer_StoresNoneAndNamesTheProblem()
    {
        var requests = _fx.Volunteers.Many(600, _fx.Today).ToList();
        requests[450] = requests[450] with { Profile = requests[450].Profile with { BirthDate = _fx.Today.AddYears(-50) } };

        var act = () => Donors.EnrolMany(requests, "organizer.wang");

        act.Should().Throw<DonorAgeOutOfRangeException>().Which.Age.Should().Be(50);
        Donors.Count().Should().Be(0);
        Donors.FindByNationalId(requests[0].Personal.NationalId).Should().BeNull();
    }

    [Test]
    public void EnrolMany_LargeBatchRepeatingAPersonAtTheEnd_StoresNone()
    {
        var requests = _fx.Volunteers.Many(700, _fx.Today).ToList();
        requests.Add(requests[3]);

        var act = () => Donors.EnrolMany(requests, "organizer.wang");

        act.Should().Throw<DuplicateDonorException>().Which.ExistingDonorId.Should().BeNull();
        Donors.Count().Should().Be(0);
    }

    [Test]
    public void EnrolMany_LargeBatchWithSomeoneAlreadyEnrolled_StoresNoneAndNamesTheExistingDonor()
    {
        var existing = _fx.Volunteers.Next(_fx.Today);
        var existingDonor = Donors.Enrol(existing, "organizer.wang");
        var requests = _fx.Volunteers.Many(500, _fx.Today).Append(existing).ToList();

        var act = () => Donors.EnrolMany(requests, "organizer.wang");

        act.Should().Throw<DuplicateDonorException>().Which.ExistingDonorId.Should().Be(existingDonor.Id);
        Donors.Count().Should().Be(1);
        Donors.GetPersonalData(existingDonor.Id, "coordinator.li", "read back in a test").Should().Be(existing.Personal);
        _fx.Enrol().Id.Should().Be(new DonorId(2), "a refused batch hands out no ids");
    }

    [Test]
    public void FindByDrive_DriveCodesAreCaseSensitive()
    {
        Donors.EnrolMany(_fx.Volunteers.Many(2, _fx.Today, new DriveId("PKU-2026-03")), "organizer.wang");

        Donors.FindByDrive(new DriveId("pku-2026-03")).Should().BeEmpty();
    }
}
