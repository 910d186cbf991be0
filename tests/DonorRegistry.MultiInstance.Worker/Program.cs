// One application instance of the multi-instance tests (tests/DonorRegistry.MultiInstance.Tests, ADR 21): opens the
// registry on PostgreSQL and answers commands on stdin, one line each, until "quit" or until it is killed.
//   writers <n> <seconds> <first donor> <last donor>  n threads defer and end deferrals of random donors with the version
//                                                     each read; then "acked <id>:<version> …" and "stats …"
//   change <id>                                       one toggle; "changed <id> <version> <listed 0|1> <stopwatch timestamp>"
//   watch <id> <listed 0|1>                           "watching", then polls this instance's search until the donor is
//                                                     (not) found, every 5 ms: "seen <stopwatch timestamp>", or "timeout" after 5 s
//   enrolers <n> <seconds> <batch> <region>           n threads enrol batches of new volunteers (EnrolMany) until the time
//                                                     is up; then "enrolled <donors>" and "stats …" (the bench's
//                                                     --pg-instances mode). Thread k's resident IDs carry the 6-digit
//                                                     region code <region> + k, so no two threads, processes or runs
//                                                     given distinct codes ever make the same number.
//   listed                                            "listed <ids this instance's search finds>"
//   quit
// Timestamps are Stopwatch's (CLOCK_MONOTONIC on Linux: one clock for every process on the machine).
// Arguments: <connection string> <registry key, base64> <key-store path>; the key-store path "server" opens the registry
// with its keys on the server instead, through the same connection string (ADR 20), so that every instance may enrol.
// With "workflows <workflows schema> <steps folder> [events-only]" after them, the instance hosts the drive workflows instead
// (WorkflowsMode.cs, its own commands).
using System.Diagnostics;
using System.Globalization;
using DonorRegistry;
using DonorRegistry.Donors;
using DonorRegistry.FakeData;
using DonorRegistry.Hla;
using DonorRegistry.PostgreSql;
using DonorRegistry.Search;

if (args.Length is 6 or 7 && args[3] == "workflows")
{
    return await DonorRegistry.MultiInstance.Worker.WorkflowsMode.RunAsync(args);
}

if (args.Length != 3)
{
    Console.Error.WriteLine("usage: DonorRegistry.MultiInstance.Worker <connection string> <registry key, base64> <key-store path>");
    return 2;
}

const string By = "coordinator.li";
var output = new StreamWriter(Console.OpenStandardOutput()) { AutoFlush = true };
var outputGate = new Lock();
void Say(string line)
{
    lock (outputGate)
    {
        output.WriteLine(line);
    }
}

using var registry = Registry.Open(args[2] == "server"
    ? new RegistryOptions { RegistryKey = RegistryKey.FromBase64(args[1]) }.UsePostgreSql(args[0], keys: args[0])
    : new RegistryOptions { RegistryKey = RegistryKey.FromBase64(args[1]), KeyStorePath = args[2] }.UsePostgreSql(args[0]));
var today = DateOnly.FromDateTime(registry.TimeProvider.GetUtcNow().UtcDateTime);
var patient = new SearchRequest(HlaTyping.FromLoci(Volunteers.Typing(today).Loci)) { Limit = 10_000 };
HashSet<long> Listed() => registry.Search.Find(patient).Matches.Select(m => m.DonorId.Value).ToHashSet();
registry.Search.BuildIndex();
Say("ready");

// One toggle of a donor at the version read: deferred when available, available again when deferred.
Donor Toggle(DonorId id)
{
    var donor = registry.Donors.Get(id);
    return donor.State == DonorState.Available
        ? registry.Donors.Defer(id, today.AddDays(30), "出差", By, donor.Version)
        : registry.Donors.EndDeferral(id, By, donor.Version);
}

while (Console.ReadLine() is { } line)
{
    var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
    switch (words.FirstOrDefault())
    {
        case "writers":
            Writers(int.Parse(words[1], CultureInfo.InvariantCulture), double.Parse(words[2], CultureInfo.InvariantCulture), long.Parse(words[3], CultureInfo.InvariantCulture), long.Parse(words[4], CultureInfo.InvariantCulture));
            break;
        case "enrolers":
            Enrolers(int.Parse(words[1], CultureInfo.InvariantCulture), double.Parse(words[2], CultureInfo.InvariantCulture), int.Parse(words[3], CultureInfo.InvariantCulture), int.Parse(words[4], CultureInfo.InvariantCulture));
            break;
        case "change":
            while (true)
            {
                try
                {
                    var changed = Toggle(new DonorId(long.Parse(words[1], CultureInfo.InvariantCulture)));
                    Say($"changed {changed.Id.Value} {changed.Version} {(changed.State == DonorState.Available ? 1 : 0)} {Stopwatch.GetTimestamp()}");
                    break;
                }
                catch (ConcurrentUpdateException)
                {
                }
            }

            break;
        case "watch":
            var watched = long.Parse(words[1], CultureInfo.InvariantCulture);
            var listed = words[2] == "1";
            Say("watching");
            var until = Stopwatch.GetTimestamp() + (5 * Stopwatch.Frequency);
            while (Listed().Contains(watched) != listed && Stopwatch.GetTimestamp() < until)
            {
                // Every 5 ms: each search queues a search-log entry, whose writes share the instance's write gate with
                // the listener, so polling faster would slow down what it measures.
                Thread.Sleep(5);
            }

            var seen = Stopwatch.GetTimestamp();
            Say(Listed().Contains(watched) == listed ? $"seen {seen}" : "timeout");
            break;
        case "listed":
            Say("listed " + string.Join(',', Listed().Order()));
            break;
        case "quit":
            return 0;
        default:
            Say("unknown " + line);
            break;
    }
}

return 0;

void Writers(int count, double seconds, long first, long last)
{
    var acked = new System.Collections.Concurrent.ConcurrentBag<(long Id, int Version)>();
    int conflicts = 0, unavailable = 0;
    var unexpected = new System.Collections.Concurrent.ConcurrentBag<string>();
    var until = Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);
    var threads = Enumerable.Range(0, count).Select(n => new Thread(() =>
    {
        var random = new Random(Environment.ProcessId * 31 + n);
        while (Stopwatch.GetTimestamp() < until)
        {
            var id = new DonorId(random.NextInt64(first, last + 1));
            try
            {
                var donor = Toggle(id);
                acked.Add((donor.Id.Value, donor.Version)); // acknowledged: the verb returned after the commit
            }
            catch (ConcurrentUpdateException)
            {
                Interlocked.Increment(ref conflicts);
            }
            catch (RegistryUnavailableException)
            {
                Interlocked.Increment(ref unavailable);
                Thread.Sleep(20);
            }
            catch (Exception e)
            {
                unexpected.Add(e.GetType().Name);
            }
        }
    })).ToList();
    threads.ForEach(t => t.Start());
    threads.ForEach(t => t.Join());
    Say("acked " + string.Join(' ', acked.Select(a => $"{a.Id}:{a.Version}")));
    Say($"stats acked={acked.Count} conflicts={conflicts} unavailable={unavailable} unexpected={string.Join(',', unexpected.Distinct())}");
}

void Enrolers(int count, double seconds, int batch, int region)
{
    var enrolled = 0;
    int duplicates = 0, unavailable = 0;
    var unexpected = new System.Collections.Concurrent.ConcurrentBag<string>();
    var until = Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);
    var threads = Enumerable.Range(0, count).Select(n => new Thread(() =>
    {
        var volunteers = new Volunteers(seed: (Environment.ProcessId * 31) + n);
        var issued = new Dictionary<(DateOnly, Sex), int>();
        while (Stopwatch.GetTimestamp() < until)
        {
            try
            {
                var requests = volunteers.Many(batch, today).Select(r => WithResidentId(r, region + n, issued)).ToList();
                Interlocked.Add(ref enrolled, registry.Donors.EnrolMany(requests, By).Count);
            }
            catch (DuplicateDonorException)
            {
                Interlocked.Increment(ref duplicates); // never expected: the numbers are unique by construction
            }
            catch (RegistryUnavailableException)
            {
                Interlocked.Increment(ref unavailable);
                Thread.Sleep(20);
            }
            catch (Exception e)
            {
                unexpected.Add(e.GetType().Name);
            }
        }
    })).ToList();
    threads.ForEach(t => t.Start());
    threads.ForEach(t => t.Join());
    Say($"enrolled {enrolled}");
    Say($"stats enrolled={enrolled} duplicates={duplicates} unavailable={unavailable} unexpected={string.Join(',', unexpected.Distinct())}");
}

// A resident ID unique by construction: the thread's own region code, the birth date, and an order number counted per birth date and sex.
static EnrolmentRequest WithResidentId(EnrolmentRequest request, int region, Dictionary<(DateOnly, Sex), int> issued)
{
    var key = (request.Profile.BirthDate, request.Profile.Sex);
    var n = issued.GetValueOrDefault(key);
    issued[key] = n + 1;
    var first17 = string.Create(CultureInfo.InvariantCulture, $"{region:D6}{request.Profile.BirthDate:yyyyMMdd}{(n * 2) + (request.Profile.Sex == Sex.Male ? 1 : 0):D3}");
    int[] weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    var sum = 0;
    for (var i = 0; i < 17; i++)
    {
        sum += (first17[i] - '0') * weights[i];
    }

    return request with { Personal = request.Personal with { NationalId = first17 + "10X98765432"[sum % 11] } };
}
