using DonorRegistry.Donors;
using DonorRegistry.Drives;
using FluentAssertions;
using NUnit.Framework;

namespace DonorRegistry.Tests.Drives;

/// <summary>The drive records a host prints read as one line, with invariant numbers and ISO days in any culture.</summary>
[SetCulture("de-DE")]
public sealed class DriveRecordsToStringTests
{
    [Test]
    public void TheFunnel_ReadsAsOneLineWithEveryStepAndItsConversion() =>
        new DriveStatistics(new DriveId("PKU-2026-11"), 2, 350, 200, 196, 192, 4, 188, 188).ToString().Should().Be(
            "PKU-2026-11: 2 lectures, 350 attendees, 200 enrolled (57.1% of attendees), 192 sampled (96.0% of enrolled; 196 samples, 4 rejected), "
            + "188 typed (97.9% of sampled), 188 listed (100.0% of typed)");

    [Test]
    public void AnEmptyFunnel_SaysNotApplicableForEachConversion() =>
        new DriveStatistics(new DriveId("PKU-2026-11"), 1, 0, 0, 0, 0, 0, 0, 0).ToString().Should().Be(
            "PKU-2026-11: 1 lecture, 0 attendees, 0 enrolled (n/a of attendees), 0 sampled (n/a of enrolled; 0 samples, 0 rejected), 0 typed (n/a of sampled), 0 listed (n/a of typed)");

    [Test]
    public void ALecture_NamesItsDriveVenueDayAudienceAndSpeaker()
    {
        new Lecture("LEC-00000001", new DriveId("PKU-2026-11"), "二教 203", new DateOnly(2026, 11, 2), 1180, "李医生", "organizer.wang").ToString()
            .Should().Be("LEC-00000001 for PKU-2026-11 at 二教 203 on 2026-11-02: 1,180 attendees, speaker 李医生 (recorded by organizer.wang)");
        new Lecture("LEC-00000002", null, "社区中心", new DateOnly(2026, 11, 3), 1, "张医生", "organizer.wang").ToString()
            .Should().Be("LEC-00000002 on its own at 社区中心 on 2026-11-03: 1 attendee, speaker 张医生 (recorded by organizer.wang)");
    }

    [Test]
    public void APlan_ReadsAsOneLine() =>
        new DrivePlan(new DriveId("PKU-2026-11"), "北京大学秋季招募", DriveKind.Campus, "海淀区红十字会", "百年纪念讲堂", new DateOnly(2026, 11, 2), new DateOnly(2026, 11, 4), 1200, ListAutomatically: false)
            .ToString().Should().Be("PKU-2026-11 北京大学秋季招募 (Campus, 海淀区红十字会) at 百年纪念讲堂, 2026-11-02 to 2026-11-04, target 1,200, typed donors listed by hand");
}
