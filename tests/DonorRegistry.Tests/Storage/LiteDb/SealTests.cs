using DonorRegistry.Storage.LiteDb;
using FluentAssertions;
using FsCheck;
using FsCheck.Fluent;
using LiteDB;
using NUnit.Framework;

namespace DonorRegistry.Tests.Storage.LiteDb;

public sealed class SealTests
{
    private static readonly string[] Keys = ["_id", "state", "drive", "due", "nid", "pd", "typing", "v", "a", "zz", "B", "_x"];

    /// <summary>Documents to build with <see cref="Document"/>: some of the keys, in any order, and a value to fill them from.</summary>
    private static Gen<(string[], int)> Documents { get; } =
        Gen.Shuffle(Keys).SelectMany(order => Gen.Choose(1, Keys.Length).Select(n => order.Take(n).ToArray())).Zip(Gen.Choose(int.MinValue, int.MaxValue));

    [Test]
    public void TheHashOfAnyDocument_WithItsFieldsInAnyOrder_IsTheHashOfItsSortedCopy()
    {
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(300), Prop.ForAll(Arb.From(Documents), pair =>
        {
            var document = Document(pair.Item1, pair.Item2);
            Seal.Hash(document).Should().Be(Seal.CanonicalHash(document));
        }));
    }

    [TestCase("donor")]
    [TestCase("sample")]
    [TestCase("case")]
    [TestCase("drive")]
    [TestCase("donation")]
    [TestCase("volunteer")]
    [TestCase("user")]
    [TestCase("zzz")]
    [TestCase("a")]
    public void AnAuditDocument_IsWrittenInOrdinalKeyOrder_WhateverItsSubjectField_AndSealedAsItsSortedCopy(string subjectField)
    {
        var document = AuditDocuments.Write(42L, subjectField, "S-1", 3, "Enrolled", "SampleCollected", "CollectSample", "organizer.wang", null, DateTimeOffset.UnixEpoch, [1, 2, 3]);

        document.Keys.Where(k => k != Seal.Field).Should().BeInAscendingOrder(StringComparer.Ordinal).And.Contain(subjectField).And.HaveCount(10);
        document[subjectField].AsString.Should().Be("S-1");
        document[Seal.Field].AsInt64.Should().Be(Seal.CanonicalHash(document));
    }

    [Test]
    public void ASealComputedAhead_FromADocumentInAnyOrder_SealsAnotherDocumentOfTheSameContent_AsApplyWould()
    {
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(200), Prop.ForAll(Arb.From(Documents), pair =>
        {
            var ahead = Document(pair.Item1, pair.Item2);
            var seal = Seal.Compute(ahead);
            ahead.ContainsKey(Seal.Field).Should().BeFalse("the document seal is computed from is left unsealed");

            var original = Document(pair.Item1, pair.Item2);
            var reversed = new BsonDocument();
            foreach (var key in original.Keys.Reverse())
            {
                reversed[key] = original[key];
            }

            var made = Seal.ApplyComputed(reversed, seal);
            var applied = Seal.Apply(Document(pair.Item1, pair.Item2));

            made[Seal.Field].AsInt64.Should().Be(applied[Seal.Field].AsInt64);
            made.Keys.Should().Equal(applied.Keys, "both are in ordinal key order");
            var check = () => Seal.Check(BsonSerializer.Deserialize(BsonSerializer.Serialize(made)), "donors");
            check.Should().NotThrow();
        }));
    }

    [Test]
    public void ASealedDocument_IsStoredInOrdinalKeyOrder_AndChecksAfterARoundTrip()
    {
        var document = Document(["typing", "_id", "state", "B", "due"], 7);
        var expected = Seal.CanonicalHash(document);

        var sealedDocument = Seal.Apply(document);

        ReferenceEquals(sealedDocument, document).Should().BeTrue("the seal is applied in place");
        sealedDocument.Keys.Where(k => k != Seal.Field).Should().BeInAscendingOrder(StringComparer.Ordinal);
        sealedDocument[Seal.Field].AsInt64.Should().Be(expected);
        var read = BsonSerializer.Deserialize(BsonSerializer.Serialize(sealedDocument));
        var check = () => Seal.Check(read, "donors");
        check.Should().NotThrow();
        read[Seal.Field].AsInt64.Should().Be(expected, "the check sets the seal aside and puts it back");
    }

    [Test]
    public void ASealedDocument_WithOneValueChanged_FailsItsCheck()
    {
        var document = Seal.Apply(Document(["_id", "state", "due"], 3));
        var read = BsonSerializer.Deserialize(BsonSerializer.Serialize(document));
        read["state"] = "Available";

        var check = () => Seal.Check(read, "donors");

        check.Should().Throw<DocumentDamage>();
    }

    private static BsonDocument Document(string[] keys, int seed)
    {
        var document = new BsonDocument();
        var i = 0;
        foreach (var key in keys)
        {
            i++;
            document[key] = (i % 4) switch
            {
                0 => new BsonValue(seed + i),
                1 => new BsonValue($"v{seed}-{i}"),
                2 => new BsonDocument { ["A"] = seed, ["b"] = new BsonArray { 1, "x" } },
                _ => new BsonValue((long)seed * i),
            };
        }

        return document;
    }
}
