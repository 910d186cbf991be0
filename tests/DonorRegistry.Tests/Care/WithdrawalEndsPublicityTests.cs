using System.Text;
using DonorRegistry.Care;
using DonorRegistry.Cases;
using DonorRegistry.Donors;
using DonorRegistry.Reporting;
using DonorRegistry.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace DonorRegistry.Tests.Care;

/// <summary>Withdrawal from the registry ends publicity: consent is revoked in the withdrawal's own write, and only anonymous counts stay.</summary>
public sealed class WithdrawalEndsPublicityTests
{
    private const string By = "coordinator.li";
    private RegistryFixture _fx = null!;

    private CareOperations Care => _fx.Registry.Care;

    [SetUp]
    public void SetUp() => _fx = new RegistryFixture();

    [TearDown]
    public void TearDown() => _fx.Dispose();

    /// <summary>A donor who donated, consented to publicity and was recognised in public.</summary>
    private (Donor Donor, Recognition Recognition) Recognised(string patient)
    {
        var donor = _fx.DonorIn(DonorState.Available);
        var matchCase = _fx.Registry.Cases.Open(donor.Id, patient, By);
        Care.RecordDonation(donor.Id, new DonationDetails(matchCase.Id, DonationProduct.Pbsc, _fx.Today, _fx.Today, 5, "北京大学人民医院采集中心", DonationOutcome.Completed, []), By);
        Care.GivePublicityConsent(donor.Id, By);
        var recognition = Care.Recognise(donor.Id, RecognitionKind.Certificate, "造血干细胞捐献荣誉证书", _fx.Today, "director.zhang");
        return (_fx.Donors.Get(donor.Id), recognition);
    }

    private static string Csv(IEnumerable<RecognitionEntry> entries)
    {
        using var buffer = new MemoryStream();
        ReportExport.WriteRecognitionsCsv(entries, buffer);
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    [Test]
    public void ADonorWhoConsentedWasRecognisedThenWithdrew_IsPublishableNowhere_AndTheCountsStay()
    {
        var (gone, goneRecognition) = Recognised("PAT-0001");
        var (stays, staysRecognition) = Recognised("PAT-0002");
        var year = ReportPeriod.Year(_fx.Today.Year);
        _fx.Registry.Reports.Build(year).Should().Match<RegistryReport>(r => r.Recognitions == 2 && r.RecognitionsPublishable == 2);

        _fx.Donors.Withdraw(gone.Id, By);

        Care.HasPublicityConsent(gone.Id).Should().BeFalse();
        Care.HasPublicityConsent(stays.Id).Should().BeTrue();
        var entries = Care.FindPublishableRecognitions(_fx.Today.AddYears(-1), _fx.Today);
        entries.Select(e => e.Recognition.Id).Should().Equal(staysRecognition.Id);
        Csv(entries).Should().Contain(staysRecognition.Id).And.NotContain(goneRecognition.Id).And.NotContain(gone.Id.ToString());

        var report = _fx.Registry.Reports.Build(year);
        report.Recognitions.Should().Be(2, "the anonymous count of recognitions given stays");
        report.RecognitionsPublishable.Should().Be(1);
        report.Donations.Should().Be(2);
        report.DonorsWhoDonated.Should().Be(2);
    }

    [Test]
    public void AWithdrawnDonor_CannotConsentOrBeRecognisedAgain()
    {
        var (donor, _) = Recognised("PAT-0001");
        _fx.Donors.Withdraw(donor.Id, By);

        var consent = () => Care.GivePublicityConsent(donor.Id, By);
        var recognise = () => Care.Recognise(donor.Id, RecognitionKind.HonourTitle, "优秀志愿者", _fx.Today, By);

        consent.Should().Throw<CareRuleException>().Which.Rule.Should().Be("withdrawn");
        recognise.Should().Throw<CareRuleException>().WithMessage("*not consented to publicity*");
        Care.FindPublishableRecognitions(_fx.Today, _fx.Today).Should().BeEmpty();
    }

    [Test]
    public void AWithdrawalThatIsRefused_LeavesTheConsent()
    {
        var (donor, _) = Recognised("PAT-0001");

        var stale = () => _fx.Donors.Withdraw(donor.Id, By, expectedVersion: donor.Version - 1);

        stale.Should().Throw<ConcurrentUpdateException>();
        Care.HasPublicityConsent(donor.Id).Should().BeTrue();
        _fx.Donors.Get(donor.Id).State.Should().Be(DonorState.Donated);
    }

    [Test]
    public void TheConsentItself_IsRevokedInTheWithdrawalsWrite_AndStaysRevokedAfterAReopen()
    {
        var (donor, _) = Recognised("PAT-0001");
        _fx.Donors.Withdraw(donor.Id, By);

        _fx.Reopen();

        _fx.Registry.Writes.Storage.Donations.HasPublicityConsent(donor.Id).Should().BeFalse("the stored consent is revoked, not only hidden by the donor's state");
        Care.HasPublicityConsent(donor.Id).Should().BeFalse();
        Care.FindPublishableRecognitions(_fx.Today, _fx.Today).Should().BeEmpty();
    }
}
