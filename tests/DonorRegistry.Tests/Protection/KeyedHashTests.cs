using DonorRegistry.Audit;
using DonorRegistry.Protection;
using FluentAssertions;
using NUnit.Framework;

namespace DonorRegistry.Tests.Protection;

/// <summary>
/// The national-ID hash and the audit seal keep a keyed HMAC per thread rather than setting the key up per value; the
/// values are those of the stored formats (known answers, computed apart from the library), on any thread, and a
/// thread that seals under two chains in turn gives each chain's own seal.
/// </summary>
public sealed class KeyedHashTests
{
    private static readonly RegistryKey Key = RegistryKey.FromBytes(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray());
    private static readonly DateTimeOffset At = new(2026, 6, 1, 8, 0, 0, TimeSpan.Zero);
    private static readonly AuditRecord Enrolled = new(AggregateKind.Donor, "42", 1, "Prospect", "Enrolled", "Enrol", "coordinator.li", null, At);
    private static readonly AuditRecord Collected = new(AggregateKind.Donor, "42", 2, "Enrolled", "Enrolled", "CollectSample", "coordinator.li", "swab", At);

    [Test]
    public void NationalIdHash_IsTheKnownAnswer_OnEveryThread()
    {
        using var cipher = new PersonalDataCipher(Key);
        var expected = new Guid(Convert.FromHexString("ECA23C56E7F779B314B91A40CB2FCE53"));

        var here = Enumerable.Range(0, 3).Select(_ => cipher.HashNationalId("11010519491231002X")).ToList();
        var elsewhere = Task.Run(() => cipher.HashNationalId("11010519491231002X")).GetAwaiter().GetResult();

        here.Should().AllBeEquivalentTo(expected);
        elsewhere.Should().Be(expected);
        cipher.HashNationalId("11010519491231003X").Should().NotBe(expected);
    }

    [Test]
    public void AuditSeal_IsTheKnownAnswer_AcrossTwoChainsOnOneThread()
    {
        var chain = new AuditChain(Key);
        var other = new AuditChain(RegistryKey.Generate());
        var first = Convert.FromHexString("BE610DCB0875BEA5BF43CD9BECCBA298");
        var second = Convert.FromHexString("9568AB49151C8EC4414DE0F4B1A4D92B");

        chain.Seal([], Enrolled).Should().Equal(first);
        var otherSeal = other.Seal([], Enrolled);
        chain.Seal(first, Collected).Should().Equal(second);
        other.Seal([], Enrolled).Should().Equal(otherSeal).And.NotEqual(first);
        chain.Seal([], Enrolled).Should().Equal(first);
        Task.Run(() => chain.Seal(first, Collected)).GetAwaiter().GetResult().Should().Equal(second);
        chain.Holds(first, Collected, second).Should().BeTrue();
    }
}
