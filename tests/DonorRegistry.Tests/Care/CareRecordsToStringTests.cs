using DonorRegistry.Care;
using DonorRegistry.Donors;
using FluentAssertions;
using NUnit.Framework;

namespace DonorRegistry.Tests.Care;

/// <summary>The care records a coordinator's screen or log prints read as one line, with ISO days in any culture.</summary>
[SetCulture("de-DE")]
public sealed class CareRecordsToStringTests
{
    private static readonly DateOnly Collected = new(2026, 8, 5);
    private static readonly AdverseEvent BonePain = new("G-CSF 后骨痛 bone pain", AdverseEventSeverity.Mild, new DateOnly(2026, 8, 3));

    [Test]
    public void AnAdverseEvent_NamesItsSeverityDayAndWhatHappened() =>
        BonePain.ToString().Should().Be("Mild from 2026-08-03: G-CSF 后骨痛 bone pain");

    [Test]
    public void AFollowUp_SaysWhenItIsDue_AndWhatItFoundOnceDone()
    {
        var due = new FollowUp("M1", "month 1", new DateOnly(2026, 9, 5));

        due.ToString().Should().Be("month 1 (M1) due 2026-09-05, not done");
        (due with { DoneOn = new DateOnly(2026, 9, 6), DoneBy = "nurse.zhao", Health = DonorHealth.Well }).ToString()
            .Should().Be("month 1 (M1) due 2026-09-05, done 2026-09-06 by nurse.zhao: Well, no adverse events");
        (due with { DoneOn = new DateOnly(2026, 9, 6), DoneBy = "nurse.zhao", Health = DonorHealth.MinorComplaints, AdverseEvents = [BonePain] }).ToString()
            .Should().Be("month 1 (M1) due 2026-09-05, done 2026-09-06 by nurse.zhao: MinorComplaints, 1 adverse event");
    }

    [Test]
    public void AVisit_SaysWhenItIsDueAndWhatHappenedToIt()
    {
        var visit = new AppreciationVisit("SpringFestival-2027", AppreciationOccasion.SpringFestival, new DateOnly(2027, 2, 6), new DateOnly(2027, 2, 13));

        visit.ToString().Should().Be("SpringFestival-2027 due 2027-02-06 (on time until 2027-02-13): Due");
        (visit with { State = VisitState.Visited, On = new DateOnly(2027, 2, 7), By = "coordinator.wang" }).ToString()
            .Should().Be("SpringFestival-2027 due 2027-02-06 (on time until 2027-02-13): Visited on 2027-02-07 by coordinator.wang");
    }

    [Test]
    public void ARecognition_NamesItsKindDonorDayTitleAndApprover() =>
        new Recognition("REC-00000001", new DonorId(42), RecognitionKind.Certificate, "造血干细胞捐献荣誉证书", new DateOnly(2026, 12, 20), "director.zhang").ToString()
            .Should().Be("REC-00000001 Certificate for DR-00000042 on 2026-12-20: 造血干细胞捐献荣誉证书 (approved by director.zhang)");

    [Test]
    public void ADonationRecord_AndADueVisit_SummariseTheCollectionAndTheCare()
    {
        var details = new DonationDetails(new CaseReference("BJ-TC-2026-0007"), DonationProduct.Pbsc, Collected.AddDays(-1), Collected, 5, "北京协和医院采集中心", DonationOutcome.Completed);
        var visit = new AppreciationVisit("AtDonation", AppreciationOccasion.AtDonation, Collected, Collected.AddDays(7));
        var record = new DonationRecord("DON-00000001", new DonorId(42), details,
            [new FollowUp("D2", "day 2", Collected.AddDays(2), Collected.AddDays(2), "nurse.zhao", DonorHealth.Well), new FollowUp("W1", "week 1", Collected.AddDays(7))],
            [visit], new DateOnly(2026, 10, 1), "电话停机", new DateTimeOffset(2026, 8, 5, 8, 0, 0, TimeSpan.Zero), 3);

        record.ToString().Should().Be("DON-00000001 DR-00000042: Pbsc 2026-08-04 to 2026-08-05 at 北京协和医院采集中心 (Completed); 1 of 2 follow-ups done, 0 of 1 visit done or skipped, unreachable since 2026-10-01");
        new DueVisit(record, visit).ToString().Should().Be("DR-00000042 (DON-00000001): AtDonation due 2026-08-05 (on time until 2026-08-12): Due");
    }
}
