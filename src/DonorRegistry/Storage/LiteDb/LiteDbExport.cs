using DonorRegistry.Donors;
using LiteDB;

namespace DonorRegistry.Storage.LiteDb;

/// <summary>
/// Reads a LiteDB registry's records in key order, a page at a time, for a copy into another engine (the move of a
/// branch into a national registry on PostgreSQL, ADR 22). Records come out decoded with the engine's own mappings (
/// the document seals are not checked here: run Registry.Verify on the branch first); no LiteDB type leaves this folder.
/// </summary>
internal static class LiteDbExport
{
    /// <summary>A donor as stored: the record, its coarse identity, the sealed personal data and the identity's proof.</summary>
    internal sealed record StoredDonor(Donor Donor, Guid Identity, byte[]? SealedPersonalData, byte[]? IdentityProof);

    /// <summary>Up to <paramref name="limit"/> donors with ids above <paramref name="after"/>, in id order.</summary>
    public static IReadOnlyList<StoredDonor> Donors(LiteDbStorage storage, long after, int limit) =>
        new Damage(storage.Path).Read(DonorDocuments.Collection, after, () => storage.Collection(DonorDocuments.Collection)
            .Find(Where.Between("_id", after + 1, long.MaxValue), 0, limit)
            .Select(document =>
            {
                var (donor, identity, sealedData, proof) = DocumentCodec.DecodeDonor(document, storage.Path);
                return new StoredDonor(donor, identity, sealedData, proof);
            })
            .ToList());

    /// <summary>Up to <paramref name="limit"/> records of a kind with ids above <paramref name="after"/> (ordinal text order), in id order.</summary>
    public static IReadOnlyList<(string Id, T Record)> Records<T>(LiteDbStorage storage, DocumentCodec.Kind<T> kind, string after, int limit) =>
        new Damage(storage.Path).Read(kind.Collection, after, () => storage.Collection(kind.Collection)
            .Find(Where.Between("_id", after, "\uFFFF"), 0, limit + 1)
            .Where(document => string.CompareOrdinal(document["_id"].AsString, after) > 0)
            .Take(limit)
            .Select(document => (document["_id"].AsString, kind.Decode(document, storage.Path)))
            .ToList());

    /// <summary>How many documents a collection holds.</summary>
    public static long Count(LiteDbStorage storage, string collection) => storage.Collection(collection).LongCount();

    /// <summary>The next number of each of the header's sequences (donor, case, shipment, lecture, donation, recognition, volunteer).</summary>
    public static IReadOnlyDictionary<string, long> Sequences(LiteDbStorage storage)
    {
        var header = storage.Header() ?? throw new NotARegistryException(storage.Path, "it holds no registry header");
        var sequences = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (name, field) in new[] { ("donor", "nextDonor"), ("case", "nextCase"), ("shipment", "nextShipment"), ("lecture", "nextLecture"), ("donation", "nextDonation"), ("recognition", "nextRecognition"), ("volunteer", "nextVolunteer") })
        {
            sequences[name] = header[field].IsNull ? 1 : header[field].AsInt64;
        }

        return sequences;
    }
}
