using DonorRegistry.Audit;
using DonorRegistry.Care;
using DonorRegistry.Cases;
using DonorRegistry.Donors;
using DonorRegistry.Drives;
using DonorRegistry.Samples;
using DonorRegistry.Storage;
using DonorRegistry.Storage.LiteDb;
using LiteDB;

namespace DonorRegistry.Benchmarks;

/// <summary>
/// A registry of N donors with five years of history (2022-2026) for report benchmarks: drives with lectures,
/// each donor enrolled, sampled, typed and listed with the four audit records and the sample those steps leave,
/// the per-day counts, searches, match cases and donations with follow-ups and visits. Written straight into the
/// store in bulk (through the verbs a million donors would take hours) and cached in the temp folder.
/// </summary>
internal static class ReportFixture
{
    private const int FixtureVersion = 4; // 3: key store format DRKEYS02 (ADR 11); 4: donors' search rows (ADR 13)
    private const int DonorsPerDrive = 500;
    private const int FirstYear = 2022;
    private const int Years = 5;
    private static readonly RegistryKey Key = RegistryKey.FromBase64("YmVuY2gtcmVwb3J0LWZpeHR1cmUta2V5LTMyLWJ5dGU=");

    public static RegistryOptions Options(int donors) => CachedFixture.Options($"report-{donors}-{FixtureVersion}", Key, options => Create(options, donors));

    private static DateTimeOffset Instant(DateOnly day, int hour) => new(day.ToDateTime(new TimeOnly(hour, 0)), TimeSpan.Zero);

    private static void Create(RegistryOptions options, int donors)
    {
        using var registry = Registry.Open(options);
        var store = registry.Store;
        var policy = new EligibilityPolicy();
        var hla = new FakeData.SyntheticHla(seed: 2022);
        var random = new Random(2022);
        var drives = (donors + DonorsPerDrive - 1) / DonorsPerDrive;
        var counts = new Dictionary<string, BsonDocument>(StringComparer.Ordinal);
        void Count(DateOnly day, DriveId drive, string metric)
        {
            var id = DailyCounts.Id(day, drive, metric);
            if (!counts.TryGetValue(id, out var document))
            {
                counts[id] = document = DailyCounts.New(day, drive, metric);
            }

            document["n"] = document["n"].AsInt32 + 1;
        }

        var listed = new List<(DonorId Id, DateOnly On)>();
        for (var d = 0; d < drives; d++)
        {
            var start = new DateOnly(FirstYear, 1, 10).AddDays(d * (Years * 365 - 40) / drives);
            var drive = new DriveId($"D{d:D5}");
            var size = Math.Min(DonorsPerDrive, donors - (d * DonorsPerDrive));
            store.Write(() =>
            {
                var plan = new DrivePlan(drive, $"drive {d}", d % 3 == 0 ? DriveKind.Community : DriveKind.Campus, "bench", $"venue {d % 40}", start, start.AddDays(1), size);
                store.Collection(DriveDocuments.Collection).Insert(DriveDocuments.Write(new Drive(plan, Instant(start.AddDays(-14), 1)) { State = DriveState.Closed, Version = 4 }, new BsonDocument()));
                for (var l = 0; l < 4; l++)
                {
                    store.Collection(DriveDocuments.LectureCollection).Insert(DriveDocuments.ToDocument(new Lecture($"LEC-{(d * 4) + l + 1:D8}", drive, $"hall {(d + l) % 60}", start.AddDays(-1 - l), random.Next(40, 250), "speaker", "bench")));
                }

                var first = store.AllocateDonorIds(size);
                store.Keys.WriteRange(first, Enumerable.Repeat(new byte[DonorRegistry.Protection.PersonalDataCipher.WrappedKeyLength], size).ToList()); // a slot per donor number, as the open checks (ADR 11)
                var donorDocs = new List<BsonDocument>(size);
                var audit = new List<BsonDocument>(size * 4);
                var samples = new List<BsonDocument>(size);
                var enrolled = Instant(start, 2);
                var typedOn = start.AddDays(12);
                var typed = Instant(typedOn, 3);
                for (var i = 0; i < size; i++)
                {
                    var id = new DonorId(first + i);
                    var profile = new DonorProfile(random.Next(2) == 0 ? Sex.Female : Sex.Male, start.AddDays(-random.Next(18 * 365, 44 * 365)), (AboGroup)random.Next(1, 5), RhD.Positive, (CmvStatus)random.Next(0, 3), drive);
                    var barcode = $"{drive.Value}-{i:D4}";
                    var donor = new Donor(id, profile, enrolled) { State = DonorState.Available, Version = 4, StateSince = typed, Typing = hla.Next(typedOn), FirstListedOn = typedOn };
                    var document = DonorDocuments.Write(donor, new BsonDocument(), policy);
                    var sealedData = new byte[300];
                    random.NextBytes(sealedData);
                    document["pd"] = sealedData;
                    document["nid"] = Guid.NewGuid();
                    donorDocs.Add(document);
                    audit.Add(LiteDbAuditLog.ToDocument(new AuditRecord(AggregateKind.Donor, id.ToString(), 1, "Prospect", "Enrolled", "Enrol", "bench", drive.Value, enrolled), chain: null));
                    audit.Add(LiteDbAuditLog.ToDocument(new AuditRecord(AggregateKind.Donor, id.ToString(), 2, "Enrolled", "SampleCollected", "CollectSample", "bench", barcode, enrolled), chain: null));
                    audit.Add(LiteDbAuditLog.ToDocument(new AuditRecord(AggregateKind.Donor, id.ToString(), 3, "SampleCollected", "Typed", "RecordTyping", "bench", "typed", typed), chain: null));
                    audit.Add(LiteDbAuditLog.ToDocument(new AuditRecord(AggregateKind.Donor, id.ToString(), 4, "Typed", "Available", "List", "bench", null, typed), chain: null));
                    samples.Add(SampleDocuments.Write(new Sample(barcode, id, SampleKind.BloodEdta, drive, enrolled) { State = SampleState.Typed, StateSince = typed, Version = 4, ShipmentId = "SHP-BENCH", Lab = "lab" }, new BsonDocument()));
                    Count(start, drive, Metric.Enrolled);
                    Count(start, drive, Metric.SamplesCollected);
                    Count(start, drive, Metric.DonorsFirstSampled);
                    Count(typedOn, drive, Metric.SamplesTyped);
                    Count(typedOn, drive, Metric.Listed);
                    if (i % 1_000 == 0)
                    {
                        listed.Add((id, typedOn));
                    }
                }

                store.Collection(DonorDocuments.Collection).InsertBulk(donorDocs);
                store.Collection(DonorDocuments.AuditCollection).InsertBulk(audit);
                store.Collection(SampleDocuments.Collection).InsertBulk(samples);
                return 0;
            });
        }

        store.Write(() =>
        {
            store.RebuildSearchRows(); // the donors went straight into the file: write their search rows (ADR 13)
            store.Collection(DailyCounts.Collection).InsertBulk(counts.Values);

            // Searches every few days, a case for every thousandth donor, a donation for most of those cases.
            for (var day = new DateOnly(FirstYear, 2, 1); day.Year < FirstYear + Years; day = day.AddDays(3))
            {
                store.Collection("search_log").Insert(new BsonDocument { ["at"] = Instant(day, 4).UtcDateTime, ["candidates"] = 500, ["matches"] = random.Next(0, 20), ["maxMismatches"] = 2 });
            }

            var number = 0;
            foreach (var (donor, on) in listed)
            {
                number++;
                var opened = on.AddDays(60);
                var matchCase = new MatchCase(new CaseReference($"CASE-{number:D8}"), donor, $"PAT-{number:D6}", Instant(opened, 5)) { Version = 14, State = number % 4 == 0 ? CaseState.Declined : CaseState.Closed };
                store.Collection(CaseDocuments.Collection).Insert(CaseDocuments.Write(matchCase, new BsonDocument()));
                if (number % 4 == 0)
                {
                    continue;
                }

                var collected = opened.AddDays(40);
                var details = new DonationDetails(matchCase.Id, DonationProduct.Pbsc, collected, collected, 5, "centre", DonationOutcome.Completed, []);
                var followUps = new List<FollowUp> { new("D2", "day 2", collected.AddDays(2), collected.AddDays(2), "nurse", DonorHealth.Well, [], null), new("W1", "week 1", collected.AddDays(7)), new("M1", "month 1", collected.AddMonths(1)), new("M6", "month 6", collected.AddMonths(6)) };
                followUps.AddRange(Enumerable.Range(1, 10).Select(y => new FollowUp($"Y{y}", $"year {y}", collected.AddYears(y))));
                var visits = new List<AppreciationVisit> { new($"AtDonation-{collected:yyyyMMdd}", AppreciationOccasion.AtDonation, collected, collected, VisitState.Visited, collected, "coordinator", "flowers", null) };
                store.Collection(CareDocuments.Collection).Insert(CareDocuments.ToDocument(new DonationRecord($"DON-{number:D8}", donor, details, followUps, visits, null, null, Instant(collected, 6), 2)));
                if (number % 3 == 0)
                {
                    store.Collection(CareDocuments.RecognitionCollection).Insert(CareDocuments.ToDocument(new Recognition($"REC-{number:D8}", donor, RecognitionKind.Certificate, "certificate", collected.AddDays(30), "director")));
                }
            }

            return 0;
        });
    }
}
