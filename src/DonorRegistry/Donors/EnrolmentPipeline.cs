using DonorRegistry.Audit;
using DonorRegistry.Protection;
using DonorRegistry.Storage;

namespace DonorRegistry.Donors;

/// <summary>
/// Enrolment in bulk, as one write of the pipeline: every volunteer is checked, their national ID hashed, their
/// personal data sealed under a new data key, and the donors stored with their keys and audit records, all or none.
/// A worker thread checks, hashes and seals the next chunk and hands it to the engine to prepare while the writer
/// stores the current one, so the two cores overlap crypto and storage. The duplicate-person lookup runs on the writer,
/// inside the write: where the engine can look up between its inserts (LiteDB, in process), each chunk's identities
/// just before the chunk is stored; otherwise (a server) the worker checks and hashes the whole batch first, and the
/// writer looks up every identity at once, before it stores anything, while the worker seals the first chunk: the
/// engine then sends each chunk as it comes (PostgreSQL streams one COPY) without a read between them. The first chunk
/// is small, since the writer waits for it alone.
/// Where the key store is a file of its own, the preparing thread also stores each chunk's keys and forces them to
/// the disk after the last, so the writer does not stop for that flush before its commit.
/// </summary>
internal sealed class EnrolmentPipeline(RegistryWrites writes, RegistryOptions options, EligibilityPolicy policy)
{
    private const int ChunkSize = 250;

    /// <summary>
    /// The writer waits for the first chunk alone, so it is small; the chunks after it double up to
    /// <see cref="ChunkSize"/>, each prepared while the one before is stored.
    /// </summary>
    private const int FirstChunkSize = 32;

    /// <summary>Small batches are checked before the write starts; larger ones by the worker, overlapping the inserts.</summary>
    private const int CheckedUpFront = 64;

    private readonly IdentityCheck _identities = new(writes.Storage, options.NationalIdFormat);

    private readonly PreparingThread _preparing = new();

    private IRegistryStorage Storage => writes.Storage;

    public IReadOnlyList<Donor> Enrol(IReadOnlyList<EnrolmentRequest> requests, string actor, DateOnly today)
    {
        var ids = new NationalIds(requests.Count);
        var checkedNow = requests.Count <= CheckedUpFront;
        if (checkedNow)
        {
            Check(requests, ids, [], 0, requests.Count, today);
        }

        return writes.Pipeline.Write(actor, scope => Store(scope, requests, ids, checkedNow, today));
    }

    /// <summary>Checks requests <paramref name="start"/> to <paramref name="start"/> + <paramref name="count"/>, fills in their hashes and identities, and refuses a national ID that appears earlier in the batch.</summary>
    private void Check(IReadOnlyList<EnrolmentRequest> requests, NationalIds ids, HashSet<Guid> seen, int start, int count, DateOnly today)
    {
        var hashes = ids.Hashes;
        for (var i = start; i < start + count; i++)
        {
            DonorInputs.Enrolment(requests[i], requests.Count == 1 ? -1 : i, today, policy, options.NationalIdFormat);
            var normalised = NationalIdNumber.Normalise(requests[i].Personal.NationalId);
            ids.Normalised[i] = normalised;
            hashes[i] = Storage.Cipher.HashNationalId(normalised);
            ids.Identities[i] = NationalIdNumber.IdentityOf(normalised, hashes[i], options.NationalIdFormat);
            if (!seen.Add(hashes[i]))
            {
                throw new DuplicateDonorException(null, NationalIdNumber.Mask(requests[i].Personal.NationalId));
            }
        }
    }

    private List<Donor> Store(WriteScope scope, IReadOnlyList<EnrolmentRequest> requests, NationalIds ids, bool alreadyChecked, DateOnly today)
    {
        var first = Storage.AllocateDonorIds(requests.Count);
        var donors = new List<Donor>(requests.Count);
        var eachChunk = Storage.LooksUpBetweenInserts;
        var keysHere = Storage.Keys.WritesBesideAWrite;
        // Where the writer reads the identities and sends the audit records first (below), the preparing thread may run
        // further ahead meanwhile.
        var chunks = new Handoff(capacity: eachChunk ? 2 : 4);

        // A thread of its own (PreparingThread says why), kept between batches.
        var producer = _preparing.Run(
            () =>
            {
                var seen = new HashSet<Guid>(requests.Count);
                Exception? failure = null;
                try
                {
                    // Where the writer looks the identities up for the whole batch at once, every request is checked and
                    // hashed first.
                    if (!eachChunk)
                    {
                        if (!alreadyChecked)
                        {
                            Check(requests, ids, seen, 0, requests.Count, today);
                        }

                        chunks.Checked();
                    }

                    // What the engine wrote before (LiteDB: the log of earlier commits, which a checkpoint at this commit
                    // would force first) is forced once, the first time the hand-off is full: the writer then has
                    // chunks to store, and this thread would only wait.
                    var forcedAhead = false;
                    var size = FirstChunkSize;
                    for (var start = 0; start < requests.Count && !chunks.Stopped; start += size, size = Math.Min(size * 2, ChunkSize))
                    {
                        var count = Math.Min(size, requests.Count - start);
                        if (!alreadyChecked && eachChunk)
                        {
                            Check(requests, ids, seen, start, count, today);
                        }

                        var chunk = Prepare(requests, ids, first, start, count, scope, today, withAudit: eachChunk);
                        if (keysHere)
                        {
                            Storage.Keys.WriteRange(chunk.Donors[0].Donor.Id.Value, chunk.WrappedKeys);
                        }

                        forcedAhead |= chunks.Add(chunk, forcedAhead ? null : Storage.ForceWrittenAhead);
                    }

                    // The keys forced here, while the writer inserts the last chunk; its own flush before the commit
                    // then finds nothing left to force.
                    if (keysHere && !chunks.Stopped)
                    {
                        Storage.Keys.Flush();
                    }
                }
#pragma warning disable CA1031 // the producer's exception, whatever it is, goes to the writer (Handoff.Take throws it)
                catch (Exception e)
#pragma warning restore CA1031
                {
                    failure = e;
                }
                finally
                {
                    chunks.Complete(failure);
                }
            });

        try
        {
            // The duplicate-person check of the whole batch on the writer, one read before anything is stored, while the
            // preparing thread seals the first chunk; the write took the donor numbers, so it holds the engine's lock
            // against other instances' enrolments (ADR 12), and a national ID repeated inside the batch was refused by
            // its full hash. A request the preparing thread refused ends the batch with its exception, below.
            if (!eachChunk && chunks.WaitChecked())
            {
                RefuseHeld(requests, ids, 0, requests.Count);

                // The batch's audit records, sealed here and sent before the donors (PostgreSQL: a COPY of their own,
                // which the server stores while the preparing thread seals the first chunks), so that the commit waits
                // for the donors' last chunk alone.
                var audit = new List<SealedAuditRecord>(requests.Count);
                for (var i = 0; i < requests.Count; i++)
                {
                    audit.Add(scope.SealFirst(EnrolledRecord(new DonorId(first + i), requests[i], scope)));
                }

                Storage.Audit.AppendMany(Storage.Audit.PrepareMany(audit));
            }

            // The producer's own exception, if it failed, is thrown by Take once the chunks before it are stored. The
            // writer does not wait on the producer's task when all went well: the hand-off's completion is the job's last
            // step, and a task wait would hop through the thread pool (whose spinning workers cost a core's time here).
            while (chunks.Take() is { } chunk)
            {
                // The chunk's duplicate-person check, inside the write just before the chunk is stored (LiteDB: a lookup
                // between inserts costs no round trip). The write holds the engine's writer gate, so no other
                // enrolment commits meanwhile; the write's own earlier chunks may show up as candidates, and their
                // proofs do not match, since a national ID repeated inside the batch was refused by its full hash.
                if (eachChunk)
                {
                    RefuseHeld(requests, ids, chunk.Start, chunk.Donors.Count);
                }

                if (!keysHere)
                {
                    Storage.Keys.WriteRange(chunk.Donors[0].Donor.Id.Value, chunk.WrappedKeys);
                }

                Storage.Donors.InsertEnrolled(chunk.Documents!);
                if (chunk.AuditDocuments is { } auditDocuments)
                {
                    Storage.Audit.AppendMany(auditDocuments);
                }
                donors.AddRange(chunk.Donors.Select(d => d.Donor));
            }
        }
        catch
        {
            chunks.Stop();

            // The job hands its own failure to the hand-off (Take threw it), so its task does not fault; the writer's
            // exception is the one to report once the producer has stopped.
            producer.Wait(CancellationToken.None);
            throw;
        }

        foreach (var drive in donors.GroupBy(d => d.Profile.Drive))
        {
            Storage.Reports.AddCount(today, drive.Key, Metric.Enrolled, drive.Count());
        }

        // Keys reach the disk before the donors commit: a committed donor never lacks its key.
        Storage.Keys.Flush();
        scope.Created(writes.Donor, donors);
        return donors;
    }

    /// <summary>
    /// The duplicate-person check of requests <paramref name="start"/> to <paramref name="start"/> +
    /// <paramref name="count"/>: the few donors sharing each identity, confirmed under their own keys (ADR 12).
    /// </summary>
    private void RefuseHeld(IReadOnlyList<EnrolmentRequest> requests, NationalIds ids, int start, int count)
    {
        if (_identities.FindFirstHeld(Slice(ids.Normalised, start, count), Slice(ids.Identities, start, count)) is { } held)
        {
            throw new DuplicateDonorException(held.Holder, NationalIdNumber.Mask(requests[start + held.Index].Personal.NationalId));
        }
    }

    /// <summary>An enrolled donor's first audit record.</summary>
    private static AuditRecord EnrolledRecord(DonorId id, EnrolmentRequest request, WriteScope scope) => new(
        AggregateKind.Donor, id.ToString(), 1, nameof(DonorState.Prospect), nameof(DonorState.Enrolled), nameof(DonorTrigger.Enrol), scope.Actor, request.Profile.Drive?.Value, scope.Now);

    /// <summary>A chunk's donors, sealed, in the engine's form; with their audit records when <paramref name="withAudit"/> (else the writer made them for the whole batch).</summary>
    private Chunk Prepare(IReadOnlyList<EnrolmentRequest> requests, NationalIds ids, long firstId, int start, int count, WriteScope scope, DateOnly today, bool withAudit)
    {
        var chunk = new Chunk(start, count);

        // The chunk's data keys and nonces from one call to the generator, zeroed when the chunk is sealed.
        using var random = new DataKeyBatch(count);
        for (var i = start; i < start + count; i++)
        {
            var id = new DonorId(firstId + i);
            var donor = new Donor(id, requests[i].Profile, scope.Now);
            DonorLifecycle.For(donor, policy, today).EnrolProspect();
            donor.Version = 1;

            var dataKey = random.DataKey(i - start);
            chunk.Donors.Add(new NewDonor(donor, ids.Identities[i], PersonalDataCipher.Seal(id, dataKey, DonorInputs.Normalized(requests[i].Personal), random.SealNonce(i - start)), NationalIdNumber.Proof(dataKey, ids.Normalised[i])));
            chunk.WrappedKeys.Add(Storage.Cipher.WrapDataKey(id, dataKey, random.WrapNonce(i - start)));
            if (withAudit)
            {
                chunk.Audit.Add(scope.SealFirst(EnrolledRecord(id, requests[i], scope)));
            }
        }

        // The engine's own form of the records, made here where that is cheaper than on the writer (PostgreSQL); LiteDB
        // makes its documents as it inserts them (LiteDbDonorStore.PrepareEnrolled says why).
        chunk.Documents = Storage.Donors.PrepareEnrolled(chunk.Donors);
        chunk.AuditDocuments = withAudit ? Storage.Audit.PrepareMany(chunk.Audit) : null;
        return chunk;
    }

    /// <summary>
    /// The chunks from the preparing thread to the writer, at most <paramref name="capacity"/> waiting, and the signal that
    /// the whole batch is checked. Both sides wait on a monitor, without spinning: on two cores a spinning waiter takes
    /// the time the other side (or the server) needs.
    /// </summary>
    private sealed class Handoff(int capacity)
    {
        private readonly Queue<Chunk> _chunks = new();
        private bool _checked;
        private bool _done;
        private bool _stopped;
        private System.Runtime.ExceptionServices.ExceptionDispatchInfo? _failure;

        /// <summary>True once the writer gave up (it failed): the producer stops.</summary>
        public bool Stopped
        {
            get
            {
                lock (_chunks)
                {
                    return _stopped;
                }
            }
        }

        /// <summary>
        /// Hands a chunk over, waiting while the hand-off is full; throws when the writer stopped. When the hand-off is
        /// full, <paramref name="whileFull"/> runs first, outside the lock, and the answer is true.
        /// </summary>
        public bool Add(Chunk chunk, Action? whileFull = null)
        {
            var ran = false;
            if (whileFull is not null && Full())
            {
                whileFull();
                ran = true;
            }

            lock (_chunks)
            {
                while (_chunks.Count >= capacity && !_stopped)
                {
                    Monitor.Wait(_chunks);
                }

                if (_stopped)
                {
                    throw new OperationCanceledException("The write stopped.");
                }

                _chunks.Enqueue(chunk);
                Monitor.PulseAll(_chunks);
            }

            return ran;
        }

        private bool Full()
        {
            lock (_chunks)
            {
                return _chunks.Count >= capacity && !_stopped;
            }
        }

        /// <summary>Every request of the batch is checked and hashed.</summary>
        public void Checked() => Signal(() => _checked = true);

        /// <summary>The producer ended, with its exception if it failed.</summary>
        public void Complete(Exception? failure) => Signal(() =>
        {
            _done = true;
            _failure = failure is null ? null : System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure);
        });

        /// <summary>The writer gave up: the producer stops at its next chunk.</summary>
        public void Stop() => Signal(() => _stopped = true);

        /// <summary>Waits until the batch is checked (true) or the producer ended without (false: <see cref="Take"/> throws its exception).</summary>
        public bool WaitChecked()
        {
            lock (_chunks)
            {
                while (!_checked && !_done)
                {
                    Monitor.Wait(_chunks);
                }

                return _checked;
            }
        }

        /// <summary>The next chunk, or null when the producer ended; throws the producer's exception after its chunks.</summary>
        public Chunk? Take()
        {
            lock (_chunks)
            {
                while (_chunks.Count == 0 && !_done)
                {
                    Monitor.Wait(_chunks);
                }

                if (_chunks.Count > 0)
                {
                    var chunk = _chunks.Dequeue();
                    Monitor.PulseAll(_chunks);
                    return chunk;
                }

                _failure?.Throw();
                return null;
            }
        }

        private void Signal(Action change)
        {
            lock (_chunks)
            {
                change();
                Monitor.PulseAll(_chunks);
            }
        }
    }

    private static ArraySegment<T> Slice<T>(T[] values, int start, int count) => new(values, start, count);

    /// <summary>Each request's normalised national ID, its full keyed hash (the in-batch check) and its stored identity.</summary>
    private sealed class NationalIds(int count)
    {
        public string[] Normalised { get; } = new string[count];

        public Guid[] Hashes { get; } = new Guid[count];

        public NationalIdentity[] Identities { get; } = new NationalIdentity[count];
    }

    /// <summary>One chunk of an enrolment batch, ready to insert.</summary>
    private sealed class Chunk(int start, int capacity)
    {
        /// <summary>The index in the batch of the chunk's first request.</summary>
        public int Start { get; } = start;

        public List<NewDonor> Donors { get; } = new(capacity);

        public List<SealedAuditRecord> Audit { get; } = new(capacity);

        public List<byte[]> WrappedKeys { get; } = new(capacity);

        /// <summary>The donors in the engine's form (<see cref="IDonorStore.PrepareEnrolled"/>).</summary>
        public PreparedRecords? Documents { get; set; }

        /// <summary>The audit records in the engine's form (<see cref="IAuditLog.PrepareMany"/>).</summary>
        public PreparedRecords? AuditDocuments { get; set; }
    }
}
