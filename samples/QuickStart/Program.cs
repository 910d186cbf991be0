using DonorRegistry;
using DonorRegistry.Donors;
using DonorRegistry.Hla;
using DonorRegistry.Samples;
using DonorRegistry.Search;

// A new registry for this demo, in out/quickstart. Keep a real key in a secrets store: every open needs the same key.
var folder = Directory.CreateDirectory(Path.Combine("out", "quickstart")).FullName;
File.Delete(Path.Combine(folder, "chaoyang.db"));
File.Delete(Path.Combine(folder, "chaoyang.db.keys"));
File.Delete(Path.Combine(folder, "chaoyang.db.keys.withdrawals"));
var key = RegistryKey.Generate();

using var registry = Registry.Create(new RegistryOptions
{
    DatabasePath = Path.Combine(folder, "chaoyang.db"),
    RegistryKey = key,
});

var volunteer = new EnrolmentRequest(
    new DonorProfile(Sex.Female, new DateOnly(2003, 5, 14), AboGroup.A, RhD.Positive, CmvStatus.Negative, new DriveId("CUC-2026-03")),
    new PersonalData(FullName: "王芳", NationalId: "110105200305141023", Phone: "13912345678", Address: "北京市朝阳区定福庄东街1号", EmergencyContacts: []));

// The organizer enrols the volunteer and collects a blood sample; the lab receives and types it.
var donor = registry.Donors.Enrol(volunteer, by: "organizer.wang");
registry.Samples.Collect(donor.Id, "TUBE-000001", SampleKind.BloodEdta, by: "nurse.chen");
registry.Samples.Ship("HLA lab", ["TUBE-000001"], by: "nurse.chen");
registry.Samples.Receive(["TUBE-000001"], by: "lab.reception");
registry.Samples.RecordTyping("TUBE-000001", new TypingResult("HLA lab", new DateOnly(2026, 6, 1), new Dictionary<string, string>
{
    ["A"] = "A*11:01+A*24:02",
    ["B"] = "B*46:01+B*40:01",
    ["DRB1"] = "DRB1*09:01+DRB1*15:01",
}), by: "lab.hla");
donor = registry.Donors.List(donor.Id, by: "coordinator.li");

Console.WriteLine($"{donor.Id} is {donor.State} ({donor.WmdaStatus})");
foreach (var step in registry.Donors.GetHistory(donor.Id))
{
    Console.WriteLine($"  {step}");
}

// A coordinator searches for a patient typed at the same loci: the search compares the loci the patient is typed at.
var patient = HlaTyping.Parse("A*11:01+A*24:02 B*46:01+B*40:01 DRB1*09:01+DRB1*15:01");
var found = registry.Search.Find(new SearchRequest(patient));
Console.WriteLine($"The search found {found.Matches.Count} donor(s); first: {found.Matches[0].DonorId}, {found.Matches[0].Count}.");

WithDependencyInjection.Run(key);
await DriveAsWorkflow.RunAsync(registry);
