using DonorRegistry.Workflows.Persistence;
using FluentAssertions;
using Microsoft.Extensions.Time.Testing;
using NUnit.Framework;

namespace DonorRegistry.Workflows.Tests.Persistence;

/// <summary>The grey list used when several processes share a workflow store: an entry lasts its window, then the poller may queue the workflow again.</summary>
public sealed class ExpiringGreyListTests
{
    [Test]
    public void AnEntry_HoldsForItsWindow_ThenExpires()
    {
        var time = new FakeTimeProvider();
        var list = new ExpiringGreyList(TimeSpan.FromSeconds(1), time);

        list.Add("drive-1");
        list.Contains("drive-1").Should().BeTrue();
        time.Advance(TimeSpan.FromMilliseconds(999));
        list.Contains("drive-1").Should().BeTrue();
        time.Advance(TimeSpan.FromMilliseconds(1));
        list.Contains("drive-1").Should().BeFalse("WorkflowCore's own list would hold it for 5 minutes");
        list.Contains("drive-2").Should().BeFalse();
    }

    [Test]
    public void ARemovedEntry_IsGoneAtOnce_AndAnAddedAgainOne_StartsItsWindowAgain()
    {
        var time = new FakeTimeProvider();
        var list = new ExpiringGreyList(TimeSpan.FromSeconds(1), time);

        list.Add("drive-1");
        list.Remove("drive-1");
        list.Contains("drive-1").Should().BeFalse();

        list.Add("drive-1");
        time.Advance(TimeSpan.FromMilliseconds(800));
        list.Add("drive-1");
        time.Advance(TimeSpan.FromMilliseconds(800));
        list.Contains("drive-1").Should().BeTrue();
    }

    [Test]
    public void AWindowThatIsNotPositive_IsRefused()
    {
        var act = () => new ExpiringGreyList(TimeSpan.Zero, TimeProvider.System);

        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*window must be positive*");
    }
}
