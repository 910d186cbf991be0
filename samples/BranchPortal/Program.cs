// BranchPortal: the Chaoyang district branch's web portal on the DonorRegistry library (ASP.NET Core Razor Pages).
//
//   dotnet run --project samples/BranchPortal                         the demo registry at http://127.0.0.1:5080
//   dotnet run --project samples/BranchPortal -- --registry PATH --key-file KEYFILE     a real registry
//
// See samples/BranchPortal/README.md.

using System.Security.Cryptography;
using BranchPortal;
using BranchPortal.Accounts;
using BranchPortal.Demo;
using DonorRegistry;
using DonorRegistry.Workflows.CampusDrive;

PortalSettings settings;
try
{
    settings = PortalSettings.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"BranchPortal: {e.Message}{Environment.NewLine}{Environment.NewLine}{PortalSettings.Usage}");
    return 2;
}

if (settings.HelpRequested)
{
    Console.WriteLine(PortalSettings.Usage);
    return 0;
}

WebApplication app;
try
{
    app = PortalApp.Build(settings);
    var registry = app.Services.GetRequiredService<Registry>();
    var accounts = app.Services.GetRequiredService<IAccountStore>();
    if (settings.IsDemo)
    {
        var started = TimeProvider.System.GetTimestamp();
        var made = await DemoRegistry.SeedAsync(registry, app.Services.GetRequiredService<DriveWorkflows>(), app.Services.GetRequiredService<PortalContext>().TimeZone);
        DemoAccounts.AddTo(accounts);
        Console.WriteLine(made
            ? $"Demo registry of the Chaoyang district branch made in {TimeProvider.System.GetElapsedTime(started).TotalSeconds:0.0} s: {registry.DatabasePath}"
            : $"Demo registry of the Chaoyang district branch opened: {registry.DatabasePath}");
        Console.WriteLine("Demo accounts (kept in the demo registry):");
        foreach (var (user, display, role, password) in DemoAccounts.All)
        {
            Console.WriteLine($"  {role,-14} {user,-16} password {password,-24} {display}");
        }
    }
    else
    {
        // The first run on a registry without users makes its administrator, with a password shown once.
        Console.WriteLine($"Registry opened: {registry.DatabasePath}");
        if (accounts.FindAll().Count == 0)
        {
            var password = Convert.ToBase64String(RandomNumberGenerator.GetBytes(12));
            accounts.AddFirstAdministrator("admin", "管理员", PortalSignIn.Hash(password));
            Console.WriteLine($"First administrator: admin, password {password} (shown this once; keep it safe)");
        }
    }
}
catch (Exception e) when (e is PortalStartException or DonorRegistryException)
{
    Console.Error.WriteLine($"BranchPortal: {e.Message}");
    return 1;
}

await app.RunAsync();
return 0;
