using BenchmarkDotNet.Attributes;
using DonorRegistry.Donors;
using DonorRegistry.Storage.LiteDb;

namespace DonorRegistry.Benchmarks;

/// <summary>
/// A donor as the PostgreSQL engine's JSON (every enrolment and every transition there): the reference, the
/// <see cref="DonorDocuments.Write"/> document through LiteDB's serialiser (<see cref="DocumentCodec.EncodeDonorReference"/>),
/// against the direct writer <see cref="DocumentCodec.EncodeDonor"/> uses (<see cref="DonorJson"/>), which makes the same
/// text. The donor is a typical listed one, read back from a LiteDB registry it was enrolled, typed and listed in: enrolled
/// through the registry's verbs with its sealed personal data, identity hash and proof.
/// </summary>
[MemoryDiagnoser]
public class DonorJsonBenchmarks
{
    private readonly EligibilityPolicy _policy = new();
    private Donor _donor = null!;
    private Guid _nid;
    private byte[]? _pd;
    private byte[]? _nidp;

    [GlobalSetup]
    public void Setup()
    {
        var folder = Workloads.NewFolder();
        try
        {
            using var registry = Registry.Open(Workloads.Options(folder, RegistryKey.Generate()));
            Workloads.EnrolInBatches(registry, Workloads.Volunteers(10), 10);
            var id = Workloads.ListedDonor(registry, new DonorId(3));
            var document = registry.Store.Collection(DonorDocuments.Collection).FindById(id.Value);
            (_donor, _nid, _pd, _nidp) = DocumentCodec.DecodeDonor(document, "bench");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }

        if (DocumentCodec.EncodeDonor(_donor, _policy, _nid, _pd, _nidp) != DocumentCodec.EncodeDonorReference(_donor, _policy, _nid, _pd, _nidp))
        {
            throw new InvalidOperationException("the direct encoder does not make the reference's text");
        }
    }

    [Benchmark(Baseline = true, Description = "reference: BsonDocument + LiteDB JsonSerializer")]
    public string Reference() => DocumentCodec.EncodeDonorReference(_donor, _policy, _nid, _pd, _nidp);

    [Benchmark(Description = "direct: DonorJson into a pooled buffer")]
    public string Direct() => DocumentCodec.EncodeDonor(_donor, _policy, _nid, _pd, _nidp);
}
