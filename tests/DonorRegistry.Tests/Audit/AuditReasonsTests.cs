using System.Globalization;
using DonorRegistry.Audit;
using DonorRegistry.Donors;
using DonorRegistry.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace DonorRegistry.Tests.Audit;

/// <summary>The reasons the library writes on donor audit records are the public constants of <see cref="AuditReasons"/>, word for word.</summary>
[TestFixture]
public sealed class AuditReasonsTests
{
    private const string By = "coordinator.li";

    private static string Format(string format, params object?[] values) => string.Format(CultureInfo.CurrentCulture, format, values);

    [Test]
    public void TheDonorVerbs_WriteTheConstantsWords()
    {
        using var fx = new RegistryFixture();
        var deferred = fx.DonorIn(DonorState.TemporarilyUnavailable);
        var donated = fx.DonorIn(DonorState.Donated);
        fx.Donors.EndDeferral(deferred.Id, By);
        fx.Donors.Withdraw(deferred.Id, By);

        var history = fx.Donors.GetHistory(deferred.Id).Select(r => (r.Action, r.Reason)).ToList();
        var typing = fx.Donors.GetHistory(deferred.Id).Single(r => r.Action == nameof(DonorTrigger.RecordTyping)).Reason!;

        history.Should().Contain((nameof(DonorTrigger.Defer), Format(AuditReasons.DeferredUntil, fx.Today.AddDays(30), "出国交流")));
        history.Should().Contain((nameof(DonorTrigger.EndDeferral), AuditReasons.DeferralEndedEarly));
        history.Should().Contain((nameof(DonorTrigger.Withdraw), AuditReasons.ConsentWithdrawn));
        typing.Should().StartWith("typed by ").And.EndWith(Format(" on {0:yyyy-MM-dd}", fx.Today));
        var donation = fx.Donors.GetHistory(donated.Id).Select(r => (r.Action, r.Reason)).ToList();
        donation.Should().Contain((nameof(DonorTrigger.Reserve), Format(AuditReasons.ReservedForCase, "CASE-" + donated.Id.Value)));
        donation.Should().Contain((nameof(DonorTrigger.RecordDonation), Format(AuditReasons.DonationCollected, DonationProduct.Pbsc, fx.Today)));
    }

    [Test]
    public void TheFormats_GiveTheWordsTheLibraryAlwaysWrote()
    {
        Format(AuditReasons.TypedBySample, "中华骨髓库 HLA 实验室", new DateOnly(2026, 5, 1), "CUC26-0001").Should().Be("typed by 中华骨髓库 HLA 实验室 on 2026-05-01 (CUC26-0001)");
        Format(AuditReasons.CaseEnded, "CASE-2026-0001").Should().Be("case CASE-2026-0001 ended");
        Format(AuditReasons.TypedBy, "中华骨髓库 HLA 实验室", new DateOnly(2026, 5, 1)).Should().Be("typed by 中华骨髓库 HLA 实验室 on 2026-05-01");
        Format(AuditReasons.ReservedForCase, "CASE-2026-0001").Should().Be("case CASE-2026-0001");
        Format(AuditReasons.DonationCollected, DonationProduct.Pbsc, new DateOnly(2026, 5, 1)).Should().Be("Pbsc collected 2026-05-01");
        Format(AuditReasons.DonationCollectedAt, DonationProduct.BoneMarrow, new DateOnly(2026, 5, 1), "北京").Should().Be("BoneMarrow collected 2026-05-01 at 北京");
        Format(AuditReasons.ReachedLeavingAge, 60).Should().Be("reached the leaving age 60");
        Format(AuditReasons.DeferralEnded, new DateOnly(2026, 5, 1)).Should().Be("deferral until 2026-05-01 ended");
        Format(AuditReasons.RecoveryEnded, new DateOnly(2026, 5, 1)).Should().Be("recovery until 2026-05-01 ended");
    }
}
