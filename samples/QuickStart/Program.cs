using DonorRegistry;
using DonorRegistry.Donors;

// A new registry for this demo. Keep a real key in a secrets store: every open needs the same key.
File.Delete("chaoyang.db");
File.Delete("chaoyang.db.keys");
var key = RegistryKey.Generate();

using var registry = Registry.Open(new RegistryOptions
{
    DatabasePath = "chaoyang.db",
    RegistryKey = key,
});

var volunteer = new EnrolmentRequest(
    new DonorProfile(Sex.Female, new DateOnly(2003, 5, 14), AboGroup.A, RhD.Positive, CmvStatus.Negative, new DriveId("PKU-2026-03")),
    new PersonalData("王芳", "110105200305141023", "13912345678", "北京市海淀区颐和园路5号", []));

var donor = registry.Donors.Enrol(volunteer, by: "organizer.wang");
registry.Donors.RecordSampleCollected(donor.Id, "TUBE-000001", by: "nurse.chen");
registry.Donors.RecordTyping(donor.Id, new TypingResult("HLA lab", new DateOnly(2026, 6, 1), new Dictionary<string, string>
{
    ["A"] = "A*11:01+A*24:02",
    ["B"] = "B*46:01+B*40:01",
    ["DRB1"] = "DRB1*09:01+DRB1*15:01",
}), by: "lab.hla");
donor = registry.Donors.List(donor.Id, by: "coordinator.li");

Console.WriteLine($"{donor.Id} is {donor.State} ({donor.WmdaStatus})");
foreach (var step in registry.Donors.GetHistory(donor.Id))
{
    Console.WriteLine($"  v{step.Version} {step.Action}: {step.From} -> {step.To} by {step.Actor}");
}

WithDependencyInjection.Run(key);
await DriveAsWorkflow.RunAsync(registry);
