using BranchPortal.Forms;
using Microsoft.Extensions.Time.Testing;
using NUnit.Framework;

namespace BranchPortal.Tests.Units;

public sealed class OneTimeFormTokensTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 7, 2, 0, 0, TimeSpan.Zero));

    [Test]
    public void AToken_IsRedeemedOnce()
    {
        var tokens = new OneTimeFormTokens(_clock);
        var token = tokens.Issue("organizer.wang");

        tokens.TryRedeem(token, "organizer.wang").Should().BeTrue();
        tokens.TryRedeem(token, "organizer.wang").Should().BeFalse();
    }

    [Test]
    public void AToken_IsGoodOnlyForItsOwner_AndOnlyUntilItExpires()
    {
        var tokens = new OneTimeFormTokens(_clock);

        tokens.TryRedeem(tokens.Issue("organizer.wang"), "organizer.li").Should().BeFalse();
        var late = tokens.Issue("organizer.wang");
        _clock.Advance(OneTimeFormTokens.Lifetime);
        tokens.TryRedeem(late, "organizer.wang").Should().BeFalse();
        tokens.TryRedeem(null, "organizer.wang").Should().BeFalse();
    }

    [Test]
    public void TwoPostsAtOnce_RedeemTheTokenOnce()
    {
        var tokens = new OneTimeFormTokens(_clock);
        var token = tokens.Issue("organizer.wang");

        var redeemed = Enumerable.Range(0, 64).AsParallel().Count(_ => tokens.TryRedeem(token, "organizer.wang"));

        redeemed.Should().Be(1);
    }
}
