using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using DonorRegistry.Audit;
using DonorRegistry.Protection;
using DonorRegistry.Storage;
using LiteDB;
using Microsoft.Extensions.Logging;

namespace DonorRegistry.Donors;

/// <summary>
/// What organizers and coordinators do with donors, as domain verbs. Each verb loads the donor, fires
/// one lifecycle trigger, and stores the donor with its audit record in one transaction; it returns
/// the donor as stored. A verb that fails stores nothing.
/// </summary>
/// <remarks>
/// Every verb takes <c>by</c>, the person (or process) acting, for the audit trail. Verbs that change a
/// donor take an optional <c>expectedVersion</c>: pass the <see cref="Donor.Version"/> you showed the
/// user, and a change made by someone else in the meantime raises <see cref="ConcurrentUpdateException"/>
/// instead of being silently built upon.
/// </remarks>
public sealed class DonorOperations
{
    private readonly RegistryStore _store;
    private readonly RegistryOptions _options;
    private readonly EligibilityPolicy _policy;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    internal DonorOperations(RegistryStore store, RegistryOptions options, EligibilityPolicy policy, TimeProvider time, ILogger logger)
    {
        _store = store;
        _options = options;
        _policy = policy;
        _time = time;
        _logger = logger;
    }

    // ---- Enrolment --------------------------------------------------------------------------------

    /// <summary>Enrols a volunteer: checks age and national ID, encrypts the personal data, and stores the donor as <see cref="DonorState.Enrolled"/>.</summary>
    /// <param name="request">Profile and personal data.</param>
    /// <param name="by">Who enrolled the volunteer.</param>
    /// <returns>The new donor.</returns>
    /// <exception cref="DonorAgeOutOfRangeException">The volunteer is younger or older than the join range.</exception>
    /// <exception cref="DonorValidationException">A field is empty, malformed, or the birth date is in the future.</exception>
    /// <exception cref="DuplicateDonorException">Someone with this national ID is already enrolled.</exception>
    public Donor Enrol(EnrolmentRequest request, string by) => EnrolMany([request], by)[0];

    /// <summary>
    /// Enrols a batch of volunteers in one transaction: all of them, or (if any request is refused) none.
    /// Much faster than one <see cref="Enrol"/> per volunteer.
    /// </summary>
    /// <param name="requests">The volunteers.</param>
    /// <param name="by">Who enrolled them.</param>
    /// <returns>The new donors, in request order.</returns>
    /// <exception cref="DonorAgeOutOfRangeException">A volunteer is younger or older than the join range.</exception>
    /// <exception cref="DonorValidationException">A field is empty or malformed, or a birth date is in the future.</exception>
    /// <exception cref="DuplicateDonorException">A national ID is already enrolled, or appears twice in the batch.</exception>
    public IReadOnlyList<Donor> EnrolMany(IReadOnlyList<EnrolmentRequest> requests, string by)
    {
        ArgumentNullException.ThrowIfNull(requests);
        var actor = Guard.Actor(by);
        var today = Today(_time.GetUtcNow());
        if (requests.Count == 0)
        {
            return [];
        }

        // Small batches are checked before the write lock is taken; large ones are checked by the worker that
        // prepares them, overlapping the inserts (a refusal rolls the whole batch back).
        var hashes = new Guid[requests.Count];
        var validatedNow = requests.Count <= 64;
        if (validatedNow)
        {
            Validate(requests, hashes, [], 0, requests.Count, today);
        }

        IReadOnlyList<Donor> enrolled;
        try
        {
            enrolled = _store.Write(() => StoreEnrolments(requests, hashes, validated: validatedNow, actor, today), _store.Committed);
        }
        catch (IdentityTakenException)
        {
            // Rolled back. Name the person who is already enrolled (the slow path runs only on this error).
            var taken = _store.Donors.Find(Query.In("nid", hashes.Select(h => new BsonValue(h)))).First();
            var index = Array.IndexOf(hashes, taken["nid"].AsGuid);
            throw new DuplicateDonorException(new DonorId(taken["_id"].AsInt64), NationalIdNumber.Mask(requests[index].Personal.NationalId));
        }

        _logger.DonorsEnrolled(enrolled.Count, enrolled[0].Id.ToString(), actor);
        return enrolled;
    }

    /// <summary>
    /// Validates requests <paramref name="start"/> to <paramref name="start"/> + <paramref name="count"/> in order,
    /// fills in their national-ID hashes, and refuses a national ID that appears earlier in the batch.
    /// </summary>
    private void Validate(IReadOnlyList<EnrolmentRequest> requests, Guid[] hashes, HashSet<Guid> seen, int start, int count, DateOnly today)
    {
        for (var i = start; i < start + count; i++)
        {
            var request = requests[i] ?? throw new ArgumentException($"Enrolment request #{i + 1} is null; give a request for every volunteer.", nameof(requests));
            ValidateEnrolment(request, today);
            hashes[i] = _store.Cipher.HashNationalId(NationalIdNumber.Normalise(request.Personal.NationalId));
            if (!seen.Add(hashes[i]))
            {
                throw new DuplicateDonorException(null, NationalIdNumber.Mask(request.Personal.NationalId));
            }
        }
    }

    /// <summary>
    /// Stores a validated batch; call inside the write transaction. A worker seals personal data and builds
    /// the documents of the next chunk while this thread (which owns the LiteDB transaction) inserts the
    /// current one, so the two cores overlap crypto and storage.
    /// </summary>
    private List<Donor> StoreEnrolments(IReadOnlyList<EnrolmentRequest> requests, Guid[] hashes, bool validated, string actor, DateOnly today)
    {
        const int ChunkSize = 250;
        var now = _time.GetUtcNow();
        var first = _store.AllocateDonorIds(requests.Count);
        var donors = new List<Donor>(requests.Count);
        using var chunks = new System.Collections.Concurrent.BlockingCollection<EnrolmentChunk>(boundedCapacity: 2);
        using var stop = new CancellationTokenSource();
        // A thread of its own: this thread blocks on the hand-over, so a busy thread pool (a workflow host's
        // consumers, a web server's requests) must not be able to delay the producer.
        var producer = Task.Factory.StartNew(
            () =>
            {
                var seen = new HashSet<Guid>(requests.Count);
                try
                {
                    for (var start = 0; start < requests.Count && !stop.IsCancellationRequested; start += ChunkSize)
                    {
                        var count = Math.Min(ChunkSize, requests.Count - start);
                        if (!validated)
                        {
                            Validate(requests, hashes, seen, start, count, today);
                        }

                        chunks.Add(PrepareChunk(requests, hashes, first, start, count, actor, today, now), stop.Token);
                    }
                }
                finally
                {
                    chunks.CompleteAdding();
                }
            },
            stop.Token,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);

        try
        {
            foreach (var chunk in chunks.GetConsumingEnumerable())
            {
                _store.Keys.WriteRange(chunk.Donors[0].Id.Value, chunk.WrappedKeys);

                // The unique index on the national-ID hash is the duplicate check: no lookups.
                try
                {
                    _store.Donors.InsertBulk(chunk.Documents);
                }
                catch (LiteException e) when (e.ErrorCode == LiteException.INDEX_DUPLICATE_KEY && e.Message.Contains("'nid'", StringComparison.Ordinal))
                {
                    throw new IdentityTakenException();
                }

                _store.Audit.InsertBulk(chunk.Audit);
                donors.AddRange(chunk.Donors);
            }

            producer.GetAwaiter().GetResult();
        }
        catch
        {
            stop.Cancel();
            try
            {
                producer.Wait(CancellationToken.None);
            }
            catch (AggregateException)
            {
                // The producer was cancelled or failed; the consumer's exception is the one to report.
            }

            throw;
        }

        foreach (var drive in donors.GroupBy(d => d.Profile.Drive))
        {
            _store.AddCount(today, drive.Key, DailyCounts.Enrolled, drive.Count());
        }

        // Keys reach the disk before the donors commit: a committed donor never lacks its key.
        _store.Keys.Flush();
        return donors;
    }

    private EnrolmentChunk PrepareChunk(
        IReadOnlyList<EnrolmentRequest> requests, Guid[] hashes, long firstId, int start, int count, string actor, DateOnly today, DateTimeOffset now)
    {
        var chunk = new EnrolmentChunk(count);
        for (var i = start; i < start + count; i++)
        {
            var id = new DonorId(firstId + i);
            var donor = new Donor(id, requests[i].Profile, now);
            DonorLifecycle.For(donor, _policy, today).Enrol();
            donor.Version = 1;

            var dataKey = PersonalDataCipher.NewDataKey();
            var document = DonorDocuments.Write(donor, new BsonDocument(), _policy);
            document["nid"] = hashes[i];
            document["pd"] = PersonalDataCipher.Seal(id, dataKey, requests[i].Personal);
            chunk.WrappedKeys.Add(_store.Cipher.WrapDataKey(id, dataKey));
            CryptographicOperations.ZeroMemory(dataKey);

            chunk.Donors.Add(donor);
            chunk.Documents.Add(document);
            chunk.Audit.Add(DonorDocuments.ToDocument(new DonorTransition(
                id, 1, DonorState.Prospect, DonorState.Enrolled, nameof(DonorTrigger.Enrol), actor, donor.Profile.Drive?.Value, now)));
        }

        return chunk;
    }

    /// <summary>One chunk of an enrolment batch, ready to insert.</summary>
    private sealed class EnrolmentChunk(int capacity)
    {
        public List<Donor> Donors { get; } = new(capacity);

        public List<BsonDocument> Documents { get; } = new(capacity);

        public List<BsonDocument> Audit { get; } = new(capacity);

        public List<byte[]> WrappedKeys { get; } = new(capacity);
    }

    /// <summary>Raised inside the write transaction when a national ID is already enrolled, to roll it back.</summary>
    private sealed class IdentityTakenException : Exception;

    // ---- Recruitment steps ------------------------------------------------------------------------

    /// <summary>Records that health screening found the volunteer ineligible (<see cref="DonorState.Ineligible"/>).</summary>
    /// <param name="id">The donor.</param>
    /// <param name="reason">Why, in words (no diagnosis details beyond what the registry needs).</param>
    /// <param name="by">Who screened.</param>
    /// <param name="expectedVersion">The version the caller last saw, to detect concurrent changes.</param>
    /// <returns>The donor as stored.</returns>
    /// <exception cref="DonorNotFoundException">No such donor.</exception>
    /// <exception cref="InvalidTransitionException">The donor is not enrolled.</exception>
    /// <exception cref="ConcurrentUpdateException">The donor changed since <paramref name="expectedVersion"/>.</exception>
    public Donor ScreenOut(DonorId id, string reason, string by, int? expectedVersion = null)
    {
        var text = Guard.Text(reason, nameof(reason));
        return Change(id, DonorTrigger.ScreenOut, by, expectedVersion, text, lc => lc.ScreenOut(text));
    }

    /// <summary>Records that an ineligible volunteer was screened again and is eligible (<see cref="DonorState.Enrolled"/>).</summary>
    /// <param name="id">The donor.</param>
    /// <param name="by">Who screened.</param>
    /// <param name="expectedVersion">The version the caller last saw, to detect concurrent changes.</param>
    /// <returns>The donor as stored.</returns>
    /// <exception cref="DonorNotFoundException">No such donor.</exception>
    /// <exception cref="InvalidTransitionException">The donor is not ineligible, or is now outside the join ages.</exception>
    /// <exception cref="ConcurrentUpdateException">The donor changed since <paramref name="expectedVersion"/>.</exception>
    public Donor Rescreen(DonorId id, string by, int? expectedVersion = null) =>
        Change(id, DonorTrigger.Rescreen, by, expectedVersion, null, lc => lc.Rescreen());

    /// <summary>Records that a blood sample (or swab) was collected (<see cref="DonorState.SampleCollected"/>).</summary>
    /// <param name="id">The donor.</param>
    /// <param name="sampleReference">The tube barcode, if known.</param>
    /// <param name="by">Who collected it.</param>
    /// <param name="expectedVersion">The version the caller last saw, to detect concurrent changes.</param>
    /// <returns>The donor as stored.</returns>
    /// <exception cref="DonorNotFoundException">No such donor.</exception>
    /// <exception cref="InvalidTransitionException">The donor is not enrolled.</exception>
    /// <exception cref="ConcurrentUpdateException">The donor changed since <paramref name="expectedVersion"/>.</exception>
    public Donor RecordSampleCollected(DonorId id, string? sampleReference, string by, int? expectedVersion = null)
    {
        var reference = sampleReference is null ? null : Guard.Text(sampleReference, nameof(sampleReference));
        return Change(id, DonorTrigger.CollectSample, by, expectedVersion, reference, lc => lc.CollectSample(reference));
    }

    /// <summary>Records that the lab rejected the sample; the donor waits for a new one (<see cref="DonorState.Enrolled"/>).</summary>
    /// <param name="id">The donor.</param>
    /// <param name="reason">Why (haemolysed, insufficient volume, mislabelled, lost in transit, ...).</param>
    /// <param name="by">Who recorded it.</param>
    /// <param name="expectedVersion">The version the caller last saw, to detect concurrent changes.</param>
    /// <returns>The donor as stored.</returns>
    /// <exception cref="DonorNotFoundException">No such donor.</exception>
    /// <exception cref="InvalidTransitionException">No sample is with the lab.</exception>
    /// <exception cref="ConcurrentUpdateException">The donor changed since <paramref name="expectedVersion"/>.</exception>
    public Donor RecordSampleRejected(DonorId id, string reason, string by, int? expectedVersion = null)
    {
        var text = Guard.Text(reason, nameof(reason));
        return Change(id, DonorTrigger.RejectSample, by, expectedVersion, text, lc => lc.RejectSample(text));
    }

    /// <summary>Records the HLA typing the lab reported (<see cref="DonorState.Typed"/>).</summary>
    /// <param name="id">The donor.</param>
    /// <param name="typing">The typing, per locus as the lab wrote it.</param>
    /// <param name="by">Who recorded it.</param>
    /// <param name="expectedVersion">The version the caller last saw, to detect concurrent changes.</param>
    /// <returns>The donor as stored.</returns>
    /// <exception cref="DonorValidationException">The typing names an unknown locus, lacks a required one, or is dated in the future.</exception>
    /// <exception cref="DonorNotFoundException">No such donor.</exception>
    /// <exception cref="InvalidTransitionException">No sample is with the lab.</exception>
    /// <exception cref="ConcurrentUpdateException">The donor changed since <paramref name="expectedVersion"/>.</exception>
    public Donor RecordTyping(DonorId id, TypingResult typing, string by, int? expectedVersion = null)
    {
        ValidateTyping(typing);
        return Change(id, DonorTrigger.RecordTyping, by, expectedVersion, $"typed by {typing.Lab} on {typing.TypedOn:yyyy-MM-dd}", lc => lc.RecordTyping(typing));
    }

    /// <summary>Lists a typed donor as searchable (<see cref="DonorState.Available"/>).</summary>
    /// <param name="id">The donor.</param>
    /// <param name="by">Who listed them.</param>
    /// <param name="expectedVersion">The version the caller last saw, to detect concurrent changes.</param>
    /// <returns>The donor as stored.</returns>
    /// <exception cref="DonorNotFoundException">No such donor.</exception>
    /// <exception cref="InvalidTransitionException">The donor is not typed, or has reached the leaving age.</exception>
    /// <exception cref="ConcurrentUpdateException">The donor changed since <paramref name="expectedVersion"/>.</exception>
    public Donor List(DonorId id, string by, int? expectedVersion = null) =>
        Change(id, DonorTrigger.List, by, expectedVersion, null, lc => lc.List());

    // ---- Availability -----------------------------------------------------------------------------

    /// <summary>Makes a listed donor temporarily unavailable up to and including <paramref name="until"/> (WMDA <c>TU</c>); deferring again moves the date.</summary>
    /// <param name="id">The donor.</param>
    /// <param name="until">The last day of the deferral: today or later.</param>
    /// <param name="reason">Why (travel, pregnancy, illness, exams, ...).</param>
    /// <param name="by">Who deferred the donor.</param>
    /// <param name="expectedVersion">The version the caller last saw, to detect concurrent changes.</param>
    /// <returns>The donor as stored.</returns>
    /// <exception cref="DonorValidationException"><paramref name="until"/> is before today.</exception>
    /// <exception cref="DonorNotFoundException">No such donor.</exception>
    /// <exception cref="InvalidTransitionException">The donor is not available, deferred or resting after a donation.</exception>
    /// <exception cref="ConcurrentUpdateException">The donor changed since <paramref name="expectedVersion"/>.</exception>
    public Donor Defer(DonorId id, DateOnly until, string reason, string by, int? expectedVersion = null)
    {
        var text = Guard.Text(reason, nameof(reason));
        var today = Today(_time.GetUtcNow());
        if (until < today)
        {
            throw new DonorValidationException(nameof(until), until.ToString("yyyy-MM-dd"), $"is before today ({today:yyyy-MM-dd})", "a deferral ends today or later");
        }

        return Change(id, DonorTrigger.Defer, by, expectedVersion, $"until {until:yyyy-MM-dd}: {text}", lc => lc.Defer(until, text));
    }

    /// <summary>Ends a deferral before its date (<see cref="DonorState.Available"/>). The calendar ends deferrals on their date by itself: see <see cref="ApplyCalendar"/>.</summary>
    /// <param name="id">The donor.</param>
    /// <param name="by">Who ended it.</param>
    /// <param name="expectedVersion">The version the caller last saw, to detect concurrent changes.</param>
    /// <returns>The donor as stored.</returns>
    /// <exception cref="DonorNotFoundException">No such donor.</exception>
    /// <exception cref="InvalidTransitionException">The donor is not deferred.</exception>
    /// <exception cref="ConcurrentUpdateException">The donor changed since <paramref name="expectedVersion"/>.</exception>
    public Donor EndDeferral(DonorId id, string by, int? expectedVersion = null) =>
        Change(id, DonorTrigger.EndDeferral, by, expectedVersion, "ended early", lc => lc.EndDeferral());

    // ---- Match, donation ---------------------------------------------------------------------------

    /// <summary>Reserves an available donor for one patient's case after a preliminary match (WMDA <c>RS</c>).</summary>
    /// <param name="id">The donor.</param>
    /// <param name="case">The opaque case reference; no patient identity.</param>
    /// <param name="by">Who reserved the donor.</param>
    /// <param name="expectedVersion">The version the caller last saw, to detect concurrent changes.</param>
    /// <returns>The donor as stored.</returns>
    /// <exception cref="DonorNotFoundException">No such donor.</exception>
    /// <exception cref="InvalidTransitionException">The donor is not available.</exception>
    /// <exception cref="ConcurrentUpdateException">The donor changed since <paramref name="expectedVersion"/>.</exception>
    public Donor Reserve(DonorId id, CaseReference @case, string by, int? expectedVersion = null)
    {
        if (@case.Value is null)
        {
            throw new ArgumentException("The case reference is empty; give the reference of the case that reserves the donor.", nameof(@case));
        }

        return Change(id, DonorTrigger.Reserve, by, expectedVersion, $"case {@case}", lc => lc.Reserve(@case));
    }

    /// <summary>Releases a reserved donor back to <see cref="DonorState.Available"/> (the case no longer needs them).</summary>
    /// <param name="id">The donor.</param>
    /// <param name="by">Who released the donor.</param>
    /// <param name="expectedVersion">The version the caller last saw, to detect concurrent changes.</param>
    /// <returns>The donor as stored.</returns>
    /// <exception cref="DonorNotFoundException">No such donor.</exception>
    /// <exception cref="InvalidTransitionException">The donor is not reserved.</exception>
    /// <exception cref="ConcurrentUpdateException">The donor changed since <paramref name="expectedVersion"/>.</exception>
    public Donor Release(DonorId id, string by, int? expectedVersion = null) =>
        Change(id, DonorTrigger.Release, by, expectedVersion, null, lc => lc.Release());

    /// <summary>
    /// Records a donation for the case the donor is reserved for (<see cref="DonorState.Donated"/>). The donor
    /// rests for the policy's recovery period; <see cref="ApplyCalendar"/> makes them available when it ends.
    /// </summary>
    /// <param name="id">The donor.</param>
    /// <param name="product">What was collected.</param>
    /// <param name="collectedOn">The day of collection: not in the future.</param>
    /// <param name="by">Who recorded it.</param>
    /// <param name="expectedVersion">The version the caller last saw, to detect concurrent changes.</param>
    /// <returns>The donor as stored.</returns>
    /// <exception cref="DonorValidationException">The product is unknown or the day is in the future.</exception>
    /// <exception cref="DonorNotFoundException">No such donor.</exception>
    /// <exception cref="InvalidTransitionException">The donor is not reserved.</exception>
    /// <exception cref="ConcurrentUpdateException">The donor changed since <paramref name="expectedVersion"/>.</exception>
    public Donor RecordDonation(DonorId id, DonationProduct product, DateOnly collectedOn, string by, int? expectedVersion = null)
    {
        if (!Enum.IsDefined(product))
        {
            throw new DonorValidationException(nameof(product), ((int)product).ToString(System.Globalization.CultureInfo.InvariantCulture), "is not a donation product", "use Pbsc, BoneMarrow or Lymphocytes");
        }

        var today = Today(_time.GetUtcNow());
        Guard.NotAfterToday(collectedOn, today, nameof(collectedOn), "record a donation on or after the day of collection");

        return Change(id, DonorTrigger.RecordDonation, by, expectedVersion, $"{product} collected {collectedOn:yyyy-MM-dd}",
            (lc, donor) => lc.RecordDonation(new Donation(donor.ReservedFor ?? default, product, collectedOn)));
    }

    // ---- Leaving and returning -------------------------------------------------------------------

    /// <summary>Removes a listed donor from the registry with a WMDA reason (<see cref="DonorState.Removed"/>, WMDA <c>DE</c>).</summary>
    /// <param name="id">The donor.</param>
    /// <param name="reason">The WMDA removal reason.</param>
    /// <param name="note">More detail, if any.</param>
    /// <param name="by">Who removed the donor.</param>
    /// <param name="expectedVersion">The version the caller last saw, to detect concurrent changes.</param>
    /// <returns>The donor as stored.</returns>
    /// <exception cref="DonorNotFoundException">No such donor.</exception>
    /// <exception cref="InvalidTransitionException">The donor is not listed.</exception>
    /// <exception cref="ConcurrentUpdateException">The donor changed since <paramref name="expectedVersion"/>.</exception>
    public Donor Remove(DonorId id, RemovalReason reason, string? note, string by, int? expectedVersion = null)
    {
        if (reason.Code is null)
        {
            throw new ArgumentException("The removal reason is empty; use one of the RemovalReason values (DO, DD, MR, PR, TX, MO, UC, TQ, OT, UK).", nameof(reason));
        }

        var text = note is null ? null : Guard.Text(note, nameof(note));
        return Change(id, DonorTrigger.Remove, by, expectedVersion, text is null ? reason.Code : $"{reason.Code}: {text}", lc => lc.Remove(reason, text));
    }

    /// <summary>Returns a removed donor to <see cref="DonorState.Available"/>, where the removal reason allows it and the donor is below the leaving age.</summary>
    /// <param name="id">The donor.</param>
    /// <param name="by">Who reactivated the donor.</param>
    /// <param name="expectedVersion">The version the caller last saw, to detect concurrent changes.</param>
    /// <returns>The donor as stored.</returns>
    /// <exception cref="DonorNotFoundException">No such donor.</exception>
    /// <exception cref="InvalidTransitionException">The donor is not removed, the reason forbids reactivation, or the donor is too old.</exception>
    /// <exception cref="ConcurrentUpdateException">The donor changed since <paramref name="expectedVersion"/>.</exception>
    public Donor Reactivate(DonorId id, string by, int? expectedVersion = null) =>
        Change(id, DonorTrigger.Reactivate, by, expectedVersion, null, lc => lc.Reactivate());

    /// <summary>
    /// Records the donor's withdrawal of consent (<see cref="DonorState.Withdrawn"/>, from any state). The donor's
    /// data key is destroyed, so their personal data can no longer be read from this file or any copy of it;
    /// the typing and the exact birth date are erased. The anonymous lifecycle and statistics stay.
    /// </summary>
    /// <param name="id">The donor.</param>
    /// <param name="by">Who recorded the withdrawal.</param>
    /// <param name="expectedVersion">The version the caller last saw, to detect concurrent changes.</param>
    /// <returns>The donor as stored.</returns>
    /// <exception cref="DonorNotFoundException">No such donor.</exception>
    /// <exception cref="InvalidTransitionException">The donor has already withdrawn.</exception>
    /// <exception cref="ConcurrentUpdateException">The donor changed since <paramref name="expectedVersion"/>.</exception>
    public Donor Withdraw(DonorId id, string by, int? expectedVersion = null)
    {
        var donor = Change(id, DonorTrigger.Withdraw, by, expectedVersion, "consent withdrawn", (lc, _) => lc.Withdraw(), document =>
        {
            // Forget the national-ID hash (the person may enrol again one day) and drop the sealed data.
            document["nid"] = DonorDocuments.WithdrawnIdentity(id);
            document.Remove("pd");
        });

        // The committed withdrawal is the record of intent; the key goes now (and again on the next open, had we died here).
        _store.Keys.Destroy(id.Value);
        _logger.DonorWithdrew(id.ToString());
        return donor;
    }

    /// <summary>Replaces a donor's personal data (a new phone number, address or contact). The state does not change; the audit trail records that it happened, not what.</summary>
    /// <param name="id">The donor.</param>
    /// <param name="personal">The new personal data; the national ID may change only to one not enrolled by anyone else.</param>
    /// <param name="by">Who made the change.</param>
    /// <param name="expectedVersion">The version the caller last saw, to detect concurrent changes.</param>
    /// <returns>The donor as stored.</returns>
    /// <exception cref="DonorValidationException">A field is empty or malformed.</exception>
    /// <exception cref="DuplicateDonorException">The new national ID belongs to another donor.</exception>
    /// <exception cref="DonorNotFoundException">No such donor.</exception>
    /// <exception cref="PersonalDataErasedException">The donor withdrew; there is no personal data to update.</exception>
    /// <exception cref="ConcurrentUpdateException">The donor changed since <paramref name="expectedVersion"/>.</exception>
    public Donor UpdatePersonalData(DonorId id, PersonalData personal, string by, int? expectedVersion = null)
    {
        ArgumentNullException.ThrowIfNull(personal);
        var actor = Guard.Actor(by);
        var donor = _store.Write(() =>
        {
            var (donor, document) = Load(id);
            CheckVersion(donor, expectedVersion);
            var dataKey = DataKey(donor);
            try
            {
                ValidatePersonalData(personal, donor.Profile);
                var hash = _store.Cipher.HashNationalId(NationalIdNumber.Normalise(personal.NationalId));
                if (hash != document["nid"].AsGuid)
                {
                    if (_store.Donors.FindOne(Query.EQ("nid", hash)) is { } other)
                    {
                        throw new DuplicateDonorException(new DonorId(other["_id"].AsInt64), NationalIdNumber.Mask(personal.NationalId));
                    }

                    document["nid"] = hash;
                }

                document["pd"] = PersonalDataCipher.Seal(id, dataKey, personal);
            }
            finally
            {
                CryptographicOperations.ZeroMemory(dataKey);
            }

            Save(donor, document, donor.State, "UpdatePersonalData", actor, "personal data updated", _time.GetUtcNow());
            return donor;
        }, changed => _store.Committed([changed]));
        _logger.DonorChanged(id.ToString(), "UpdatePersonalData", donor.State.ToString(), donor.State.ToString(), donor.Version, actor);
        return donor;
    }

    // ---- The calendar -------------------------------------------------------------------------------

    /// <summary>
    /// Applies what the calendar decides as of <paramref name="asOf"/>: deferrals whose last day has passed
    /// and recovery periods that have ended return donors to <see cref="DonorState.Available"/>; listed donors
    /// (available, deferred or resting) who have reached the leaving age are removed with WMDA reason <c>DO</c>.
    /// Donors reserved for a case are left to finish it. Idempotent: a second call changes nothing.
    /// All changes are stored in one transaction.
    /// </summary>
    /// <param name="asOf">The instant to judge by; not later than now.</param>
    /// <param name="by">Who (or which job) applies the calendar.</param>
    /// <returns>What changed, one entry per donor.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="asOf"/> is in the future.</exception>
    public IReadOnlyList<CalendarChange> ApplyCalendar(DateTimeOffset asOf, string by = "calendar")
    {
        var actor = Guard.Actor(by);
        var now = _time.GetUtcNow();
        if (asOf > now)
        {
            throw new ArgumentOutOfRangeException(nameof(asOf), asOf, $"The calendar cannot be applied as of {asOf:O}, which is after now ({now:O}); give an instant up to now.");
        }

        var today = Today(asOf);
        var changes = _store.Write(() =>
        {
            var result = new List<(CalendarChange Change, Donor Donor)>();

            // A range, not "due <= today": LiteDB orders null below numbers, and most donors have no due day.
            foreach (var document in _store.Donors.Find(Query.Between("due", 0, today.DayNumber)).ToList())
            {
                var donor = DonorDocuments.ToDonor(document);
                var from = donor.State;
                var lifecycle = DonorLifecycle.For(donor, _policy, today);
                DonorTrigger trigger;
                string reason;
                if (donor.AgeOn(today) >= _policy.LeavingAge)
                {
                    (trigger, reason) = (DonorTrigger.Remove, $"reached the leaving age {_policy.LeavingAge}");
                    lifecycle.Remove(RemovalReason.TooOld, reason);
                }
                else if (lifecycle.CanFire(DonorTrigger.EndDeferral))
                {
                    (trigger, reason) = (DonorTrigger.EndDeferral, $"deferral until {donor.DeferredUntil:yyyy-MM-dd} ended");
                    lifecycle.EndDeferral();
                }
                else if (lifecycle.CanFire(DonorTrigger.EndRecovery))
                {
                    (trigger, reason) = (DonorTrigger.EndRecovery, $"recovery until {donor.RecoveryUntil:yyyy-MM-dd} ended");
                    lifecycle.EndRecovery();
                }
                else
                {
                    continue; // due under an older policy; Save below would refresh it, but nothing is due now
                }

                Save(donor, document, from, trigger.ToString(), actor, trigger == DonorTrigger.Remove ? $"{RemovalReason.TooOld.Code}: {reason}" : reason, now);
                result.Add((new CalendarChange(donor.Id, from, donor.State, trigger, reason), donor));
            }

            return result;
        }, changed => _store.Committed(changed.Select(c => c.Donor)));

        _logger.CalendarApplied(today, changes.Count);
        return changes.Select(c => c.Change).ToList();
    }

    // ---- Queries -----------------------------------------------------------------------------------

    /// <summary>Gets a donor.</summary>
    /// <param name="id">The donor.</param>
    /// <returns>The donor as stored.</returns>
    /// <exception cref="DonorNotFoundException">No such donor.</exception>
    public Donor Get(DonorId id) => TryGet(id, out var donor) ? donor : throw new DonorNotFoundException(id);

    /// <summary>Gets a donor, if the registry holds them.</summary>
    /// <param name="id">The donor.</param>
    /// <param name="donor">The donor, when found.</param>
    /// <returns>Whether the donor was found.</returns>
    public bool TryGet(DonorId id, [NotNullWhen(true)] out Donor? donor)
    {
        var document = _store.Donors.FindById(id.Value);
        donor = document is null ? null : DonorDocuments.ToDonor(document);
        return donor is not null;
    }

    /// <summary>The donors in a state, in id order, one page at a time.</summary>
    /// <param name="state">The state.</param>
    /// <param name="skip">How many to skip.</param>
    /// <param name="limit">How many to return at most (1 to 100,000).</param>
    /// <returns>The donors.</returns>
    public IReadOnlyList<Donor> FindByState(DonorState state, int skip = 0, int limit = 1000)
    {
        CheckPage(skip, limit);
        return _store.Donors.Find(Query.EQ("state", state.ToString()), skip, limit).Select(DonorDocuments.ToDonor).ToList();
    }

    /// <summary>The donors who enrolled through a drive, in id order, one page at a time.</summary>
    /// <param name="drive">The drive.</param>
    /// <param name="skip">How many to skip.</param>
    /// <param name="limit">How many to return at most (1 to 100,000).</param>
    /// <returns>The donors.</returns>
    public IReadOnlyList<Donor> FindByDrive(DriveId drive, int skip = 0, int limit = 1000)
    {
        CheckPage(skip, limit);
        return _store.Donors.Find(Query.EQ("drive", drive.Value), skip, limit).Select(DonorDocuments.ToDonor).ToList();
    }

    /// <summary>How many donors are in each state (every state is present, zero where empty).</summary>
    /// <returns>The counts.</returns>
    public IReadOnlyDictionary<DonorState, int> CountByState() =>
        Enum.GetValues<DonorState>().ToDictionary(s => s, s => _store.Donors.Count(Query.EQ("state", s.ToString())));

    /// <summary>How many donors the registry holds, in every state.</summary>
    /// <returns>The count.</returns>
    public int Count() => _store.Donors.Count();

    /// <summary>
    /// The steps that can be taken for a donor now, and the ones the state knows but a guard blocks,
    /// with the reasons (so a UI can grey them out and say why).
    /// </summary>
    /// <param name="id">The donor.</param>
    /// <returns>The actions.</returns>
    /// <exception cref="DonorNotFoundException">No such donor.</exception>
    public IReadOnlyList<PermittedAction> GetPermittedActions(DonorId id) =>
        DonorLifecycle.For(Get(id), _policy, Today(_time.GetUtcNow())).Actions();

    /// <summary>The donor's audit trail, oldest first: one record per stored change.</summary>
    /// <param name="id">The donor.</param>
    /// <returns>The records.</returns>
    /// <exception cref="DonorNotFoundException">No such donor.</exception>
    public IReadOnlyList<DonorTransition> GetHistory(DonorId id)
    {
        if (_store.Donors.FindById(id.Value) is null)
        {
            throw new DonorNotFoundException(id);
        }

        return _store.Audit
            .Find(Query.Between("_id", DonorDocuments.AuditId(id, 0), DonorDocuments.AuditId(id, DonorDocuments.MaxVersion)))
            .Select(DonorDocuments.ToTransition)
            .OrderBy(t => t.Version)
            .ToList();
    }

    /// <summary>Decrypts a donor's personal data.</summary>
    /// <param name="id">The donor.</param>
    /// <returns>The personal data.</returns>
    /// <exception cref="DonorNotFoundException">No such donor.</exception>
    /// <exception cref="PersonalDataErasedException">The donor withdrew and the data was erased.</exception>
    public PersonalData GetPersonalData(DonorId id)
    {
        var document = _store.Donors.FindById(id.Value) ?? throw new DonorNotFoundException(id);
        var donor = DonorDocuments.ToDonor(document);
        var dataKey = DataKey(donor);
        try
        {
            return document["pd"].IsBinary
                ? PersonalDataCipher.Open(id, dataKey, document["pd"].AsBinary)
                : throw new PersonalDataErasedException(id);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(dataKey);
        }
    }

    /// <summary>Finds the donor enrolled with a national ID, by its keyed hash (nothing is decrypted).</summary>
    /// <param name="nationalId">The national ID number.</param>
    /// <returns>The donor's id, or null if no enrolled donor has it (withdrawn donors' IDs are forgotten).</returns>
    public DonorId? FindByNationalId(string nationalId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(nationalId);
        var hash = _store.Cipher.HashNationalId(NationalIdNumber.Normalise(nationalId));
        return _store.Donors.FindOne(Query.EQ("nid", hash)) is { } donor ? new DonorId(donor["_id"].AsInt64) : null;
    }

    // ---- The one way a donor changes --------------------------------------------------------------

    private Donor Change(DonorId id, DonorTrigger trigger, string by, int? expectedVersion, string? reason, Action<DonorLifecycle> fire) =>
        Change(id, trigger, by, expectedVersion, reason, (lc, _) => fire(lc));

    private Donor Change(
        DonorId id, DonorTrigger trigger, string by, int? expectedVersion, string? reason, Action<DonorLifecycle, Donor> fire,
        Action<BsonDocument>? alsoStore = null)
    {
        var actor = Guard.Actor(by);
        var (donor, from) = _store.Write(
            () => ChangeInTransaction(id, trigger, actor, expectedVersion, reason, fire, alsoStore),
            changed => _store.Committed([changed.Donor]));
        _logger.DonorChanged(id.ToString(), trigger.ToString(), from.ToString(), donor.State.ToString(), donor.Version, actor);
        return donor;
    }

    /// <summary>
    /// Loads the donor, fires one trigger, and stores the donor with its audit record. Call inside a write
    /// transaction (another aggregate's operation may make it part of its own); report the donor after commit.
    /// </summary>
    internal (Donor Donor, DonorState From) ChangeInTransaction(
        DonorId id, DonorTrigger trigger, string actor, int? expectedVersion, string? reason, Action<DonorLifecycle, Donor> fire,
        Action<BsonDocument>? alsoStore = null)
    {
        var (donor, document) = Load(id);
        CheckVersion(donor, expectedVersion);
        var now = _time.GetUtcNow();
        var from = donor.State;
        fire(DonorLifecycle.For(donor, _policy, Today(now)), donor);
        alsoStore?.Invoke(document);
        Save(donor, document, from, trigger.ToString(), actor, reason, now);
        return (donor, from);
    }

    /// <summary>
    /// Loads the donor once and fires several triggers in turn, each with its own audit record, then stores the
    /// donor once. A step returns false to be skipped (no audit record). Call inside a write transaction.
    /// </summary>
    internal Donor StepsInTransaction(DonorId id, string actor, ReadOnlySpan<DonorStep> steps)
    {
        var (donor, document) = Load(id);
        var now = _time.GetUtcNow();
        var lifecycle = DonorLifecycle.For(donor, _policy, Today(now));
        foreach (var step in steps)
        {
            var from = donor.State;
            if (step.Fire(lifecycle, donor))
            {
                Audit(donor, from, step.Trigger.ToString(), actor, step.Reason, now);
            }
        }

        _store.Donors.Update(DonorDocuments.Write(donor, document, _policy));
        return donor;
    }

    private (Donor Donor, BsonDocument Document) Load(DonorId id)
    {
        var document = _store.Donors.FindById(id.Value) ?? throw new DonorNotFoundException(id);
        return (DonorDocuments.ToDonor(document), document);
    }

    private static void CheckVersion(Donor donor, int? expectedVersion)
    {
        if (expectedVersion is { } expected && expected != donor.Version)
        {
            throw new ConcurrentUpdateException(donor.Id, expected, donor.Version);
        }
    }

    /// <summary>Stores the donor at the next version with its audit record; call inside the write transaction.</summary>
    private void Save(Donor donor, BsonDocument document, DonorState from, string action, string actor, string? reason, DateTimeOffset now)
    {
        Audit(donor, from, action, actor, reason, now);
        _store.Donors.Update(DonorDocuments.Write(donor, document, _policy));
    }

    /// <summary>Counts a change on the donor (version, state time) and writes its audit record; the caller stores the donor.</summary>
    private void Audit(Donor donor, DonorState from, string action, string actor, string? reason, DateTimeOffset now)
    {
        if (donor.Version >= DonorDocuments.MaxVersion)
        {
            throw new InvalidOperationException($"Donor {donor.Id} has reached {DonorDocuments.MaxVersion} versions, the most one donor's audit trail can hold.");
        }

        donor.Version++;
        if (donor.State != from)
        {
            donor.StateSince = now;
            if (donor.State == DonorState.Available && donor.FirstListedOn is null)
            {
                // Entering the registry (入库) happens once per donor; the year's report counts it per day.
                donor.FirstListedOn = Today(now);
                _store.AddCount(donor.FirstListedOn.Value, donor.Profile.Drive, DailyCounts.Listed, 1);
            }
        }

        _store.Audit.Insert(DonorDocuments.ToDocument(new DonorTransition(donor.Id, donor.Version, from, donor.State, action, actor, reason, now)));
    }

    private byte[] DataKey(Donor donor)
    {
        var wrapped = _store.Keys.Read(donor.Id.Value) ?? throw new PersonalDataErasedException(donor.Id);
        return _store.Cipher.UnwrapDataKey(donor.Id, wrapped);
    }

    // ---- Input checks -------------------------------------------------------------------------------

    private DateOnly Today(DateTimeOffset instant) => _options.DayOf(instant);

    private static void CheckPage(int skip, int limit)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(skip);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, 100_000);
    }

    private void ValidateEnrolment(EnrolmentRequest request, DateOnly today)
    {
        var profile = request.Profile ?? throw new ArgumentException("The enrolment request has no profile; give sex and birth date at least.", nameof(request));
        if (request.Personal is null)
        {
            throw new ArgumentException("The enrolment request has no personal data; give name, national ID, phone and address.", nameof(request));
        }

        CheckDefined(profile.Sex, "Sex", "Female or Male");
        CheckDefined(profile.Abo, "Abo", "Unknown, O, A, B or AB");
        CheckDefined(profile.Rh, "Rh", "Unknown, Positive or Negative");
        CheckDefined(profile.Cmv, "Cmv", "Unknown, Negative or Positive");
        if (profile.BirthDate > today)
        {
            throw new DonorValidationException("BirthDate", profile.BirthDate.ToString("yyyy-MM-dd"), $"is in the future (today is {today:yyyy-MM-dd})", "give the volunteer's real birth date");
        }

        var age = EligibilityPolicy.AgeOn(profile.BirthDate, today);
        if (age < _policy.MinimumJoinAge || age > _policy.MaximumJoinAge)
        {
            throw new DonorAgeOutOfRangeException(profile.BirthDate, today, age, _policy.MinimumJoinAge, _policy.MaximumJoinAge);
        }

        ValidatePersonalData(request.Personal, profile);
    }

    private void ValidatePersonalData(PersonalData personal, DonorProfile profile)
    {
        Required(personal.FullName, "FullName", 100);
        Required(personal.Address, "Address", Guard.MaxTextLength);
        Phone(personal.Phone, "Phone");
        if (personal.EmergencyContacts is null)
        {
            throw new DonorValidationException("EmergencyContacts", null, "is missing", "give a list, empty if the volunteer names nobody");
        }

        foreach (var contact in personal.EmergencyContacts)
        {
            if (contact is null)
            {
                throw new DonorValidationException("EmergencyContacts", null, "holds an empty entry", "give name, relationship and phone for each contact");
            }

            Required(contact.Name, "EmergencyContact.Name", 100);
            Required(contact.Relationship, "EmergencyContact.Relationship", 50);
            Phone(contact.Phone, "EmergencyContact.Phone");
        }

        NationalIdNumber.Validate(personal.NationalId, profile, _options.NationalIdFormat);
    }

    private static void Required(string? value, string field, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new DonorValidationException(field, value, "is empty", "it is required");
        }

        if (value.Length > maxLength)
        {
            throw new DonorValidationException(field, value[..20] + "…", $"has {value.Length} characters", $"give at most {maxLength}");
        }
    }

    private static void Phone(string? value, string field)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Length > 32
            || value.Count(char.IsAsciiDigit) < 5
            || !value.All(c => char.IsAsciiDigit(c) || c is '+' or '-' or ' ' or '(' or ')'))
        {
            throw new DonorValidationException(field, value, "is not a phone number", "use 5 to 32 characters of digits, spaces, '+', '-', '(' and ')'");
        }
    }

    private static void CheckDefined<TEnum>(TEnum value, string field, string allowed)
        where TEnum : struct, Enum
    {
        if (!Enum.IsDefined(value))
        {
            throw new DonorValidationException(field, value.ToString(), "is not a known value", $"use {allowed}");
        }
    }

    internal void ValidateTyping(TypingResult typing)
    {
        ArgumentNullException.ThrowIfNull(typing);
        Required(typing.Lab, "Typing.Lab", 100);
        var today = Today(_time.GetUtcNow());
        Guard.NotAfterToday(typing.TypedOn, today, "Typing.TypedOn", "give the day the lab reported");

        if (typing.Loci is null)
        {
            throw new DonorValidationException("Typing.Loci", null, "is missing", $"give at least {string.Join(", ", TypingResult.RequiredLoci)}");
        }

        foreach (var (locus, genotype) in typing.Loci)
        {
            if (!TypingResult.KnownLoci.Contains(locus))
            {
                throw new DonorValidationException("Typing.Loci", locus, "is not a locus the registry types", $"use {string.Join(", ", TypingResult.KnownLoci)}");
            }

            if (string.IsNullOrWhiteSpace(genotype) || genotype.Length > 2000)
            {
                throw new DonorValidationException($"Typing.{locus}", genotype, "is not an HLA genotype", "write it as the lab does, e.g. A*02:01+A*24:02");
            }

            // The WHO nomenclature parser: a malformed name throws HlaParseException naming the position, and a
            // name the loaded release refuses throws HlaNameException.
            _options.Hla.ParseLocus(genotype, Enum.Parse<Hla.HlaLocus>(locus));
        }

        foreach (var required in TypingResult.RequiredLoci)
        {
            if (!typing.Loci.ContainsKey(required))
            {
                throw new DonorValidationException("Typing.Loci", string.Join(",", typing.Loci.Keys), $"lacks locus {required}", $"a typing names at least {string.Join(", ", TypingResult.RequiredLoci)}");
            }
        }
    }
}
