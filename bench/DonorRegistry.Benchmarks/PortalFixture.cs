using System.Diagnostics;
using System.Globalization;
using System.Text;
using DonorRegistry.Access;
using DonorRegistry.Donors;
using DonorRegistry.Drives;
using DonorRegistry.FakeData;
using DonorRegistry.Samples;

namespace DonorRegistry.Benchmarks;

/// <summary>
/// A real registry for the web portal's load test (<c>--portal-fixture N FOLDER</c>): N volunteers recruited through
/// the verbs in campus drives of 1,000 (enrolment with personal data, sample, shipment, receipt, typing results,
/// listing), so every donor page, search and report reads what a branch's registry holds. Written with OS-buffered
/// commits to save set-up time; the key is written to <c>registry.key</c> beside the file (base64), for the portal's
/// <c>--key-file</c>, with an administrator and a coordinator for the test (their names and passwords in
/// <c>coordinator.user</c> and <c>coordinator.password</c>, the donor count in <c>donors</c>). Run on a folder that
/// already holds a fixture, it only adds what is missing of the accounts and files.
/// </summary>
internal static class PortalFixture
{
    private const int PerDrive = 1_000;
    private const string By = "load-fixture";
    private const string Lab = "北京市红十字血液中心 HLA 实验室";

    public static int Run(int volunteers, string folder)
    {
        if (File.Exists(Path.Combine(folder, "registry.db")))
        {
            return AddAccounts(folder);
        }

        Directory.CreateDirectory(folder);
        var key = RegistryKey.Generate();
        var keyFile = Path.Combine(folder, "registry.key");
        File.WriteAllText(keyFile, key.ToBase64());
        var options = new RegistryOptions
        {
            DatabasePath = Path.Combine(folder, "registry.db"),
            RegistryKey = key,
            CreateIfMissing = true,
            Durability = Durability.OsBuffered,
        };
        var watch = Stopwatch.StartNew();
        using (var registry = Registry.Open(options))
        {
            var today = Workloads.Today();
            var people = new Volunteers(seed: 100_000);
            var hla = new SyntheticHla(seed: 100_000) { ThreeLocusShare = 0 };
            for (var drive = 0; drive * PerDrive < volunteers; drive++)
            {
                var count = Math.Min(PerDrive, volunteers - (drive * PerDrive));
                var id = new DriveId(string.Create(CultureInfo.InvariantCulture, $"LOAD-{drive + 1:D4}"));
                registry.Drives.Plan(new DrivePlan(id, $"高校捐献者招募 {drive + 1}", DriveKind.Campus, "朝阳区红十字会", "报告厅", today, today, count), By);
                registry.Drives.RecordLecture(id, "报告厅", today, 200, "志愿者讲师", By);
                registry.Drives.OpenEnrolment(id, By);
                var donors = registry.Drives.EnrolMany(id, people.Many(count, today).ToList(), By);
                var barcodes = new List<string>(count);
                for (var i = 0; i < donors.Count; i++)
                {
                    var barcode = string.Create(CultureInfo.InvariantCulture, $"L{drive + 1:D4}{i + 1:D5}");
                    registry.Samples.Collect(donors[i].Id, barcode, SampleKind.BloodEdta, By);
                    barcodes.Add(barcode);
                }

                registry.Drives.CloseEnrolment(id, By);
                registry.Samples.Ship(Lab, barcodes, By);
                registry.Samples.Receive(barcodes, By);
                var csv = Encoding.UTF8.GetBytes(LabResults.Csv(barcodes.Select(b => (b, hla.Next(today)))));
                registry.Samples.ImportTypingResults(new MemoryStream(csv), Lab, today, By);
                registry.Drives.ListTypedDonors(id, By);
                registry.Drives.Close(id, By);
                if ((drive + 1) % 10 == 0)
                {
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{(drive + 1) * PerDrive:N0} volunteers recruited, {watch.Elapsed.TotalSeconds:F0} s"));
                }
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"registry of {registry.Donors.CountByState()[DonorState.Available]:N0} available donors in {options.DatabasePath}, key in {keyFile}; {watch.Elapsed.TotalSeconds:F0} s"));
        }

        return AddAccounts(folder);
    }

    private static int AddAccounts(string folder)
    {
        var options = new RegistryOptions
        {
            DatabasePath = Path.Combine(folder, "registry.db"),
            RegistryKey = RegistryKey.FromBase64(File.ReadAllText(Path.Combine(folder, "registry.key")).Trim()),
        };
        using var registry = Registry.Open(options);
        var hasher = new Microsoft.AspNetCore.Identity.PasswordHasher<object>();
        const string Admin = "admin.load";
        const string Coordinator = "coordinator.load";
        var password = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(12));
        if (registry.Users.Find(Admin) is null)
        {
            registry.Users.AddFirstAdministrator(Admin, "负载测试管理员", hasher.HashPassword(new object(), password));
        }

        if (registry.Users.Find(Coordinator) is null)
        {
            registry.Users.Add(Coordinator, "负载测试协调员", [Role.Coordinator], hasher.HashPassword(new object(), password), Actor.For(Admin, Role.Administrator));
            File.WriteAllText(Path.Combine(folder, "coordinator.user"), Coordinator);
            File.WriteAllText(Path.Combine(folder, "coordinator.password"), password);
        }

        File.WriteAllText(Path.Combine(folder, "donors"), registry.Donors.CountByState().Values.Sum().ToString(CultureInfo.InvariantCulture));
        Console.WriteLine($"accounts of the load test in {folder}: {Coordinator} (password in coordinator.password)");
        return 0;
    }
}
