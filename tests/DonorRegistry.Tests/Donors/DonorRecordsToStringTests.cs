using DonorRegistry.Donors;
using DonorRegistry.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace DonorRegistry.Tests.Donors;

/// <summary>The donor records a host prints read as one line, in any culture, and never show personal data whole.</summary>
[SetCulture("de-DE")]
public sealed class DonorRecordsToStringTests
{
    private static readonly PersonalData Wang = new("王芳", "110105200305141023", "13912345678", "北京市朝阳区定福庄东街1号", [new EmergencyContact("王建国", "父亲", "13800001234")]);

    [Test]
    public void APermittedAction_SaysWhetherItIsAllowed_AndWhyNot()
    {
        new PermittedAction(DonorTrigger.Defer, true, []).ToString().Should().Be("Defer: allowed");
        new PermittedAction(DonorTrigger.List, false, ["the donor has no typing", "the donor is under review"]).ToString()
            .Should().Be("List: blocked (the donor has no typing; the donor is under review)");
    }

    [Test]
    public void TheRegistrysOwnPermittedActions_ReadAsLines()
    {
        using var fx = new RegistryFixture(inMemory: true);
        var donor = fx.Enrol();

        var actions = fx.Donors.GetPermittedActions(donor.Id).Select(a => a.ToString()).ToList();

        actions.Should().Contain("CollectSample: allowed").And.Contain("Withdraw: allowed");
        actions.Should().NotContain(a => a.Contains("PermittedAction", StringComparison.Ordinal) || a.Contains('{', StringComparison.Ordinal));
    }

    [Test]
    public void ACalendarChange_NamesTheDonorTheStepAndTheReason() =>
        new CalendarChange(new DonorId(42), DonorState.TemporarilyUnavailable, DonorState.Available, DonorTrigger.EndDeferral, "the deferral ended on 2026-09-01")
            .ToString().Should().Be("DR-00000042 TemporarilyUnavailable -> Available (EndDeferral: the deferral ended on 2026-09-01)");

    [Test]
    public void ADonation_NamesTheProductDayAndCase() =>
        new Donation(new CaseReference("BJ-TC-2026-0007"), DonationProduct.Pbsc, new DateOnly(2026, 8, 5))
            .ToString().Should().Be("Pbsc collected 2026-08-05 for BJ-TC-2026-0007");

    [Test]
    public void AProfile_ReadsAsOneLineWithAnIsoBirthDate()
    {
        new DonorProfile(Sex.Female, new DateOnly(2003, 5, 14), AboGroup.A, RhD.Positive, CmvStatus.Negative, new DriveId("CUC-2026-03"))
            .ToString().Should().Be("Female, born 2003-05-14, A RhD Positive, CMV Negative, drive CUC-2026-03");
        new DonorProfile(Sex.Male, new DateOnly(2000, 1, 2)).ToString().Should().Be("Male, born 2000-01-02, Unknown RhD Unknown, CMV Unknown");
    }

    [Test]
    public void PersonalData_IsMasked_SoThatALogLineNeverHoldsIt()
    {
        var text = Wang.ToString();

        text.Should().Be("王* (national ID 110105********1023, phone *******5678, 1 emergency contact)");
        text.Should().NotContain("王芳").And.NotContain("20030514").And.NotContain("139123").And.NotContain("北京市");
    }

    [Test]
    public void AnEnrolmentRequest_PrintsItsPersonalDataMasked()
    {
        var text = new EnrolmentRequest(new DonorProfile(Sex.Female, new DateOnly(2003, 5, 14)), Wang).ToString();

        text.Should().Contain("王*").And.Contain("110105********1023").And.NotContain("王芳").And.NotContain("13912345678").And.NotContain("王建国");
    }

    [Test]
    public void AnEmergencyContact_IsMasked() =>
        Wang.EmergencyContacts[0].ToString().Should().Be("父亲 王** (phone *******1234)");

    [Test]
    public void ATypingResult_ListsItsGenotypesInTheRegistrysLocusOrder() =>
        new TypingResult("HLA lab", new DateOnly(2026, 6, 1), new Dictionary<string, string>
        {
            ["DRB1"] = "DRB1*09:01+DRB1*15:01",
            ["A"] = "A*11:01+A*24:02",
            ["B"] = "B*46:01+B*40:01",
        }).ToString().Should().Be("HLA lab 2026-06-01: A*11:01+A*24:02 B*46:01+B*40:01 DRB1*09:01+DRB1*15:01");
}
