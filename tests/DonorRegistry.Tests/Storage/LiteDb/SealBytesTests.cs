using DonorRegistry.Storage.LiteDb;
using FluentAssertions;
using FsCheck;
using FsCheck.Fluent;
using LiteDB;
using NUnit.Framework;

namespace DonorRegistry.Tests.Storage.LiteDb;

public sealed class SealBytesTests
{
    private static readonly string[] Keys = ["_id", "state", "nid", "pd", "typing", "姓名", "a", "zz", "B", "_h", "e\u0301"];

    [Test]
    public void TheBytesOfAnyDocument_AreTheBytesLiteDbSerialises()
    {
        var documents = Gen.Choose(0, int.MaxValue).Zip(Gen.Choose(1, Keys.Length));
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(500), Prop.ForAll(Arb.From(documents), pair =>
        {
            var document = Document(new Random(pair.Item1), pair.Item2, depth: 0);

            SealBytes.Bytes(document).Should().Equal(BsonSerializer.Serialize(document));
        }));
    }

    [Test]
    public void TheBytesLeavingOutAField_AreTheBytesOfTheDocumentWithoutIt()
    {
        var document = Document(new Random(11), Keys.Length, depth: 0);
        document[Seal.Field] = 42L;
        var without = new BsonDocument();
        foreach (var (key, value) in document.Where(e => e.Key != Seal.Field))
        {
            without[key] = value;
        }

        SealBytes.Bytes(document, Seal.Field).Should().Equal(BsonSerializer.Serialize(without));
    }

    [Test]
    public void ADocumentLargerThanTheFirstBuffer_IsWrittenWhole()
    {
        var document = new BsonDocument { ["_id"] = 1, ["text"] = new string('字', 20_000), ["pd"] = new byte[50_000] };

        SealBytes.Bytes(document).Should().Equal(BsonSerializer.Serialize(document));
    }

    [Test]
    public void TextWithALoneSurrogate_FailsAsLiteDbFails()
    {
        var document = new BsonDocument { ["_id"] = 1, ["note"] = "lone \ud800 surrogate" };

        var ours = () => SealBytes.Bytes(document);
        var liteDb = () => BsonSerializer.Serialize(document);

        liteDb.Should().Throw<System.Text.EncoderFallbackException>();
        ours.Should().Throw<System.Text.EncoderFallbackException>();
    }

    [TestCase(DateTimeKind.Local)]
    [TestCase(DateTimeKind.Unspecified)]
    public void ALocalOrUnspecifiedTime_IsLeftToLiteDbsSerialiser_AndTheSealStillChecks(DateTimeKind kind)
    {
        var document = new BsonDocument { ["_id"] = 1, ["at"] = new DateTime(2026, 12, 7, 9, 30, 0, kind) };

        SealBytes.Bytes(document).Should().BeNull("the UTC form of a local time follows the machine's zone rules, which LiteDB applies");
        var read = BsonSerializer.Deserialize(BsonSerializer.Serialize(Seal.Apply(document)));
        var check = () => Seal.Check(read, "donors");
        check.Should().NotThrow();
    }

    private static BsonDocument Document(Random random, int fields, int depth)
    {
        var document = new BsonDocument();
        foreach (var key in Keys.OrderBy(_ => random.Next()).Take(fields))
        {
            document[key] = Value(random, depth);
        }

        return document;
    }

    private static BsonValue Value(Random random, int depth) => random.Next(depth < 2 ? 16 : 14) switch
    {
        0 => new BsonValue(random.NextDouble() * random.Next(-1_000_000, 1_000_000)),
        1 => new BsonValue(random.Next(3) switch { 0 => "", 1 => "北京市朝阳区 " + random.Next(), _ => "a\u0000b\ud83d\ude00" }),
        2 => new BsonValue(RandomBytes(random, random.Next(0, 400))),
        3 => new BsonValue(new Guid(RandomBytes(random, 16))),
        4 => new BsonValue(ObjectId.NewObjectId()),
        5 => new BsonValue(random.Next(2) == 0),
        6 => new BsonValue(new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddTicks(random.NextInt64(0, TimeSpan.TicksPerDay * 20_000))),
        7 => new BsonValue(random.Next(2) == 0 ? DateTime.MinValue : DateTime.MaxValue),
        8 => BsonValue.Null,
        9 => new BsonValue(random.Next(int.MinValue, int.MaxValue)),
        10 => new BsonValue(random.NextInt64(long.MinValue, long.MaxValue)),
        11 => new BsonValue((decimal)random.NextDouble() * random.Next(1, 10_000)),
        12 => BsonValue.MinValue,
        13 => BsonValue.MaxValue,
        14 => Document(random, random.Next(0, 5), depth + 1),
        _ => new BsonArray(Enumerable.Range(0, random.Next(0, 13)).Select(_ => Value(random, depth + 1))),
    };

    private static byte[] RandomBytes(Random random, int count)
    {
        var bytes = new byte[count];
        random.NextBytes(bytes);
        return bytes;
    }
}
