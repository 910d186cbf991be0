using System.Security.Cryptography;
using DonorRegistry.Donors;
using DonorRegistry.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace DonorRegistry.Tests.Protection;

/// <summary>
/// The key-store half of the damage harness: bytes flipped, files truncated, ranges zeroed in the key store and its
/// withdrawal ledger, in seeded variants, and key stores swapped between registries. Each variant is refused at
/// open with a typed exception, or opens and then reads every donor back exactly, or names the damage when read.
/// None reads back wrong data, and none passes a damaged key off as a withdrawal.
/// </summary>
public sealed class KeyStoreDamageTests
{
    private const int Donors = 24;
    private static readonly int[] Withdrawn = [3, 11, 20];

    private RegistryFixture _fx = null!;
    private Dictionary<DonorId, PersonalData> _personal = null!;
    private byte[] _keys = null!;
    private byte[] _ledger = null!;

    private string LedgerPath => _fx.KeyStorePath + ".withdrawals";

    [SetUp]
    public void SetUp()
    {
        _fx = new RegistryFixture();
        var donors = _fx.Donors.EnrolMany(Enumerable.Range(0, Donors).Select(_ => _fx.Volunteers.Next(_fx.Today)).ToList(), "organizer.wang");
        _personal = donors.ToDictionary(d => d.Id, d => _fx.Donors.GetPersonalData(d.Id, "coordinator.li", "read back in a test"));
        foreach (var i in Withdrawn)
        {
            _fx.Donors.Withdraw(donors[i].Id, "coordinator.li");
            _personal.Remove(donors[i].Id);
        }

        _fx.Registry.Dispose();
        _keys = File.ReadAllBytes(_fx.KeyStorePath);
        _ledger = File.ReadAllBytes(LedgerPath);
    }

    [TearDown]
    public void TearDown() => _fx.Dispose();

    public enum Damage
    {
        FlipHeaderBit,
        FlipSlotFlag,
        FlipWrappedKeyBit,
        FlipPadding,
        FlipEmptySlot,
        FlipAnyBit,
        Truncate,
        ZeroRange,
        ZeroWholeSlot,
        FlipLedgerBit,
        TruncateLedger,
        ZeroLedgerRange,
    }

    private static IEnumerable<TestCaseData> Variants()
    {
        var seed = 20261202;
        foreach (var damage in Enum.GetValues<Damage>())
        {
            for (var i = 0; i < 3; i++)
            {
                yield return new TestCaseData(damage, seed++).SetName($"Damaged_{damage}_Seed{seed - 1}_IsRefusedAtOpen_OrNamedOnRead_NeverReadWrong");
            }
        }
    }

    [TestCaseSource(nameof(Variants))]
    public void DamagedKeyStore(Damage damage, int seed)
    {
        var random = new Random(seed);
        var keys = (byte[])_keys.Clone();
        var ledger = (byte[])_ledger.Clone();
        Apply(damage, random, ref keys, ref ledger);
        File.WriteAllBytes(_fx.KeyStorePath, keys);
        File.WriteAllBytes(LedgerPath, ledger);

        Registry registry;
        try
        {
            registry = Registry.Open(_fx.Options());
        }
        catch (DonorRegistryException e)
        {
            e.Should().BeOfType<KeyStoreMismatchException>("{0} must be refused as a damaged key store or ledger", damage);
            e.Message.Should().MatchRegex("'/.+': .+; (restore|create) ", "the message names the file and how to restore it");
            File.ReadAllBytes(_fx.KeyStorePath).Should().Equal(keys, "a refused key store is not written");
            return;
        }

        using (registry)
        {
            var damagedSlots = 0;
            foreach (var (id, expected) in _personal)
            {
                try
                {
                    registry.Donors.GetPersonalData(id, "coordinator.li", "read back in a test").Should().Be(expected, "a donor that reads back reads back exactly");
                }
                catch (KeyStoreMismatchException)
                {
                    damagedSlots++; // a zeroed slot: named as key-store damage, not passed off as a withdrawal
                }
                catch (RegistryDamagedException e)
                {
                    // A flipped bit inside a wrapped key fails AES-GCM's tag on read: named as damage of that donor's slot.
                    damage.Should().BeOneOf(Damage.FlipWrappedKeyBit, Damage.FlipAnyBit, Damage.ZeroRange);
                    e.Path.Should().Be(_fx.KeyStorePath);
                    e.DocumentId.Should().Be(id.ToString());
                    damagedSlots++;
                }
            }

            damagedSlots.Should().BeLessThanOrEqualTo(damage == Damage.ZeroRange ? 4 : 1, "a damaged slot costs at most its own donor");
            if (damage is Damage.FlipWrappedKeyBit or Damage.ZeroWholeSlot)
            {
                damagedSlots.Should().Be(1, "the damaged slot belongs to an active donor and is named when read");
            }
        }
    }

    [Test]
    public void AKeyStoreSwappedWithAnotherRegistrysWithTheSameKey_IsRefused_BothWays()
    {
        var otherPath = Path.Combine(_fx.Folder, "other.db");
        using (var other = Registry.Create(_fx.Options(otherPath)))
        {
            other.Donors.EnrolMany(Enumerable.Range(0, Donors).Select(_ => _fx.Volunteers.Next(_fx.Today)).ToList(), "organizer.wang");
        }

        var ours = File.ReadAllBytes(_fx.KeyStorePath);
        File.WriteAllBytes(_fx.KeyStorePath, File.ReadAllBytes(otherPath + ".keys"));
        File.WriteAllBytes(otherPath + ".keys", ours);

        var openOurs = () => Registry.Open(_fx.Options());
        var openTheirs = () => Registry.Open(_fx.Options(otherPath));

        openOurs.Should().Throw<KeyStoreMismatchException>().WithMessage("*belongs to registry*");
        openTheirs.Should().Throw<KeyStoreMismatchException>().WithMessage("*belongs to registry*");
    }

    [Test]
    public void AKeyStoreSwappedWithARegistryWithAnotherKey_IsRefusedAsTheWrongKey()
    {
        var otherPath = Path.Combine(_fx.Folder, "other.db");
        Registry.Create(_fx.Options(otherPath, RegistryKey.Generate())).Dispose();
        File.Copy(otherPath + ".keys", _fx.KeyStorePath, overwrite: true);

        var act = () => Registry.Open(_fx.Options());

        act.Should().Throw<RegistryKeyMismatchException>().Which.Path.Should().Be(_fx.KeyStorePath);
    }

    private void Apply(Damage damage, Random random, ref byte[] keys, ref byte[] ledger)
    {
        const int Header = 64, Slot = 64;
        var slots = (keys.Length - Header) / Slot;
        var withdrawn = Withdrawn.Select(i => (long)(i + 1)).ToHashSet();
        int ActiveSlot()
        {
            while (true)
            {
                var s = random.Next(1, slots);
                if (!withdrawn.Contains(s))
                {
                    return s;
                }
            }
        }

        int EmptySlot() => random.Next(2) == 0 ? 0 : (int)Withdrawn[random.Next(Withdrawn.Length)] + 1;
        void Flip(byte[] bytes, int at) => bytes[at] ^= (byte)(1 << random.Next(8));

        switch (damage)
        {
            case Damage.FlipHeaderBit:
                Flip(keys, random.Next(Header));
                break;
            case Damage.FlipSlotFlag:
                Flip(keys, Header + (ActiveSlot() * Slot));
                break;
            case Damage.FlipWrappedKeyBit:
                Flip(keys, Header + (ActiveSlot() * Slot) + 1 + random.Next(60));
                break;
            case Damage.FlipPadding:
                Flip(keys, Header + (ActiveSlot() * Slot) + 61 + random.Next(3));
                break;
            case Damage.FlipEmptySlot:
                Flip(keys, Header + (EmptySlot() * Slot) + random.Next(Slot));
                break;
            case Damage.FlipAnyBit:
                Flip(keys, random.Next(keys.Length));
                break;
            case Damage.Truncate:
                keys = keys[..random.Next(keys.Length - 1)];
                break;
            case Damage.ZeroRange:
                {
                    var at = random.Next(keys.Length - 8);
                    Array.Clear(keys, at, random.Next(8, Math.Min(200, keys.Length - at)));
                    break;
                }

            case Damage.ZeroWholeSlot:
                Array.Clear(keys, Header + (ActiveSlot() * Slot), Slot);
                break;
            case Damage.FlipLedgerBit:
                Flip(ledger, random.Next(ledger.Length));
                break;
            case Damage.TruncateLedger:
                ledger = ledger[..random.Next(ledger.Length - 31)];
                break;
            case Damage.ZeroLedgerRange:
                {
                    var at = random.Next(ledger.Length - 4);
                    Array.Clear(ledger, at, random.Next(4, ledger.Length - at));
                    break;
                }
        }
    }
}
