using System.Security.Cryptography;
using DonorRegistry.Donors;
using DonorRegistry.Protection;
using FluentAssertions;
using NUnit.Framework;

namespace DonorRegistry.Tests.Protection;

/// <summary>
/// A chunk of enrolments draws its data keys and nonces in one call to the generator (<see cref="DataKeyBatch"/>): every
/// value is distinct, of its length, zeroed after use, and seals and wraps that open as one call per value would.
/// </summary>
public sealed class DataKeyBatchTests
{
    [Test]
    public void Batch_GivesEveryDonorDistinctKeysAndNonces()
    {
        using var batch = new DataKeyBatch(250);

        var keys = Enumerable.Range(0, batch.Count).Select(i => Convert.ToHexString(batch.DataKey(i))).ToList();
        var nonces = Enumerable.Range(0, batch.Count).SelectMany(i => new[] { Convert.ToHexString(batch.SealNonce(i)), Convert.ToHexString(batch.WrapNonce(i)) }).ToList();

        keys.Should().OnlyHaveUniqueItems().And.AllSatisfy(k => k.Length.Should().Be(2 * PersonalDataCipher.DataKeyLength));
        nonces.Should().OnlyHaveUniqueItems().And.AllSatisfy(n => n.Length.Should().Be(2 * PersonalDataCipher.NonceLength));
        keys.Should().NotIntersectWith(nonces);
    }

    [Test]
    public void TwoBatches_ShareNoValue()
    {
        using var first = new DataKeyBatch(50);
        using var second = new DataKeyBatch(50);

        var a = Enumerable.Range(0, 50).Select(i => Convert.ToHexString(first.DataKey(i)));
        var b = Enumerable.Range(0, 50).Select(i => Convert.ToHexString(second.DataKey(i)));

        a.Should().NotIntersectWith(b);
    }

    [Test]
    public void Dispose_ZeroesTheKeys()
    {
        var batch = new DataKeyBatch(3);
        batch.Dispose();

        Enumerable.Range(0, 3).Should().AllSatisfy(i =>
        {
            batch.DataKey(i).ToArray().Should().OnlyContain(b => b == 0);
            batch.SealNonce(i).ToArray().Should().OnlyContain(b => b == 0);
            batch.WrapNonce(i).ToArray().Should().OnlyContain(b => b == 0);
        });
    }

    [Test]
    public void Index_OutsideTheBatch_Throws()
    {
        using var batch = new DataKeyBatch(2);

        FluentActions.Invoking(() => batch.DataKey(2).Length).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => batch.WrapNonce(-1).Length).Should().Throw<ArgumentOutOfRangeException>();
    }

    [Test]
    public void SealAndWrap_WithTheBatchsNonces_OpenAndCarryThem()
    {
        using var cipher = new PersonalDataCipher(RegistryKey.Generate());
        using var batch = new DataKeyBatch(2);
        var id = new DonorId(7);
        var data = new PersonalData("Li Wei", "11010519491231002X", "+86 138 0000 0000", "Beijing", []);

        var blob = PersonalDataCipher.Seal(id, batch.DataKey(1), data, batch.SealNonce(1));
        var wrapped = cipher.WrapDataKey(id, batch.DataKey(1), batch.WrapNonce(1));

        blob.AsSpan(1, PersonalDataCipher.NonceLength).ToArray().Should().Equal(batch.SealNonce(1).ToArray());
        wrapped.AsSpan(0, PersonalDataCipher.NonceLength).ToArray().Should().Equal(batch.WrapNonce(1).ToArray());
        var key = cipher.UnwrapDataKey(id, wrapped, "keys");
        key.Should().Equal(batch.DataKey(1).ToArray());
        PersonalDataCipher.Open(id, key, blob, "db").Should().Be(data);
    }

    [Test]
    public void SealAndWrap_RefuseANonceOfTheWrongLength()
    {
        using var cipher = new PersonalDataCipher(RegistryKey.Generate());
        var key = RandomNumberGenerator.GetBytes(PersonalDataCipher.DataKeyLength);
        var data = new PersonalData("Li Wei", "11010519491231002X", "+86 138 0000 0000", "Beijing", []);

        FluentActions.Invoking(() => PersonalDataCipher.Seal(new DonorId(1), key, data, new byte[8])).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => cipher.WrapDataKey(new DonorId(1), key, new byte[16])).Should().Throw<ArgumentException>();
    }
}
