// The crash harness's child process (tests/DonorRegistry.Tests/Storage/CrashHarnessTests.cs): runs a mixed workload
// on a registry until it is killed, and prints each operation once the verb has returned (acknowledged), flushed:
//   ACK <kind> <id> <version> <state>
// Arguments: <database path> <registry key, base64> <seed>.
using DonorRegistry;
using DonorRegistry.Donors;
using DonorRegistry.FakeData;
using DonorRegistry.Samples;

if (args.Length != 3)
{
    Console.Error.WriteLine("usage: DonorRegistry.CrashWorkload <database path> <registry key, base64> <seed>");
    return 2;
}

var seed = int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture);
var random = new Random(seed);
var volunteers = new Volunteers(seed);
var output = new StreamWriter(Console.OpenStandardOutput()) { AutoFlush = true };
const string By = "coordinator.li";

using var registry = Registry.Open(new RegistryOptions { DatabasePath = args[0], RegistryKey = RegistryKey.FromBase64(args[1]) });
var today = DateOnly.FromDateTime(registry.TimeProvider.GetUtcNow().UtcDateTime);
var live = registry.Donors.FindByState(DonorState.Enrolled).Concat(registry.Donors.FindByState(DonorState.SampleCollected))
    .Concat(registry.Donors.FindByState(DonorState.Typed)).Concat(registry.Donors.FindByState(DonorState.Available))
    .Concat(registry.Donors.FindByState(DonorState.TemporarilyUnavailable)).Select(d => d.Id).ToList();
output.WriteLine("READY");

for (var step = 0; ; step++)
{
    if (live.Count < 3 || random.NextDouble() < 0.25)
    {
        var batch = random.NextDouble() < 0.3 ? 5 : 1;
        try
        {
            foreach (var donor in registry.Donors.EnrolMany(volunteers.Many(batch, today), "organizer.wang"))
            {
                live.Add(donor.Id);
                Ack(donor);
            }
        }
        catch (DuplicateDonorException)
        {
            // Generated volunteers of different rounds can share a national ID; the batch is refused whole and nothing is stored.
        }

        continue;
    }

    var id = live[random.Next(live.Count)];
    var current = registry.Donors.Get(id);
    if (random.NextDouble() < 0.03)
    {
        Ack(registry.Donors.Withdraw(id, By, current.Version));
        live.Remove(id);
        continue;
    }

    switch (current.State)
    {
        case DonorState.Enrolled:
            var sample = registry.Samples.Collect(id, $"TUBE-{id.Value:D6}-{step}", SampleKind.BloodEdta, "nurse.chen");
            output.WriteLine($"ACK sample {sample.Barcode} {sample.Version} {sample.State}");
            Ack(registry.Donors.Get(id));
            break;
        case DonorState.SampleCollected:
            // Each step from where the tube is: a kill may have left it shipped or received in the round before.
            var tube = registry.Samples.FindByDonor(id)[^1];
            if (tube.State == SampleState.Collected)
            {
                registry.Samples.Ship("中华骨髓库 HLA 实验室", [tube.Barcode], "nurse.chen");
            }

            if (tube.State is SampleState.Collected or SampleState.Shipped)
            {
                registry.Samples.Receive([tube.Barcode], "lab.reception");
            }

            var typed = registry.Samples.RecordTyping(tube.Barcode, Volunteers.Typing(today), "lab.hla");
            output.WriteLine($"ACK sample {typed.Barcode} {typed.Version} {typed.State}");
            Ack(registry.Donors.Get(id));
            break;
        case DonorState.Typed:
            Ack(registry.Donors.List(id, By, current.Version));
            break;
        case DonorState.Available when random.NextDouble() < 0.3:
            var opened = registry.Cases.Open(id, $"PAT-{step}", By);
            output.WriteLine($"ACK case {opened.Id.Value} {opened.Version} {opened.State}");
            Ack(registry.Donors.Get(id));
            live.Remove(id);
            break;
        case DonorState.Available:
            Ack(registry.Donors.Defer(id, today.AddDays(random.Next(10, 90)), "出国交流", By, current.Version));
            break;
        case DonorState.TemporarilyUnavailable:
            Ack(registry.Donors.EndDeferral(id, By, current.Version));
            break;
        default:
            live.Remove(id);
            break;
    }
}

void Ack(Donor donor) => output.WriteLine($"ACK donor {donor.Id} {donor.Version} {donor.State}");
