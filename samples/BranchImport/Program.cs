// BranchImport: moves a branch's LiteDB registry into the national registry on PostgreSQL (ADR 22), and verifies it.
//   dotnet run --project samples/BranchImport -- --branch chaoyang.db --branch-key branch.key \
//       --target "Host=…;Database=national;Username=registry;Search Path=chaoyang" \
//       --keys "Host=…;Database=national;Username=registry_keys;Search Path=chaoyang_keys" --national-key national.key \
//       [--workflows chaoyang.db [--workflow-target "Host=…;Database=national;Username=registry"]] [--verify-only]
// A key file holds the registry key in base64 (RegistryKey.ToBase64). --workflows names the LiteDB file the branch's
// drive and care workflows were kept in (the registry's own file by default, or WorkflowsOptions.DatabasePath); they go
// into the workflow store on PostgreSQL (schema "workflows" of --workflow-target, default --target) after the registry.
// Run it again after a stop: it goes on where it stopped. Exit code 0 when the import verifies clean, 1 when it does
// not, 2 on a usage error.
using System.Globalization;
using DonorRegistry;
using DonorRegistry.PostgreSql;
using DonorRegistry.Workflows;

var options = new Dictionary<string, string>(StringComparer.Ordinal);
var verifyOnly = false;
for (var i = 0; i < args.Length; i++)
{
    if (args[i] == "--verify-only")
    {
        verifyOnly = true;
    }
    else if (args[i].StartsWith("--", StringComparison.Ordinal) && i + 1 < args.Length)
    {
        options[args[i]] = args[++i];
    }
    else
    {
        return Usage($"'{args[i]}' is not an option");
    }
}

foreach (var required in new[] { "--branch", "--branch-key", "--target", "--national-key" })
{
    if (!options.ContainsKey(required))
    {
        return Usage($"{required} is required");
    }
}

if (options.TryGetValue("--workflows", out var workflowFile) && !File.Exists(workflowFile))
{
    return Usage($"--workflows '{workflowFile}' names no file (give the registry's file, or the workflows' own file)");
}

try
{
    var branchKey = RegistryKey.FromBase64(File.ReadAllText(options["--branch-key"]).Trim());
    var nationalKey = RegistryKey.FromBase64(File.ReadAllText(options["--national-key"]).Trim());
    RegistryOptions Target() => new RegistryOptions { RegistryKey = nationalKey }.UsePostgreSql(options["--target"], keys: options.GetValueOrDefault("--keys", options["--target"]));

    if (!verifyOnly)
    {
        var last = DateTime.MinValue;
        var progress = new InOrder<ImportProgress>(p =>
        {
            if (DateTime.UtcNow - last > TimeSpan.FromSeconds(1) || p.Total == p.Copied)
            {
                last = DateTime.UtcNow;
                Console.WriteLine(p);
            }
        });
        var result = PostgreSqlRegistry.ImportFrom(options["--branch"], branchKey, Target(), progress);
        var donors = result.Copied["donors"];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{(result.Resumed ? "Resumed and finished" : "Finished")}: {donors:N0} donors in {result.Elapsed.TotalSeconds:F1} s ({donors / result.Elapsed.TotalSeconds:F0} donors/s this run)"));
    }

    var verification = PostgreSqlRegistry.VerifyImport(options["--branch"], branchKey, Target());
    foreach (var check in verification.Checks)
    {
        Console.WriteLine(check);
    }

    Console.WriteLine(verification.IsClean ? "Verified: every count and audit trail agrees." : "NOT verified: see the lines above.");
    var clean = verification.IsClean;
    if (options.TryGetValue("--workflows", out var workflows))
    {
        var workflowTarget = options.GetValueOrDefault("--workflow-target", options["--target"]);
        if (!verifyOnly)
        {
            var last = DateTime.MinValue;
            var result = PostgreSqlWorkflows.ImportFrom(workflows, workflowTarget, new InOrder<WorkflowImportProgress>(p =>
            {
                if (DateTime.UtcNow - last > TimeSpan.FromSeconds(1) || p.Total == p.Done)
                {
                    last = DateTime.UtcNow;
                    Console.WriteLine(p);
                }
            }));
            Console.WriteLine($"{(result.Resumed ? "Workflows resumed and finished" : "Workflows finished")}: {result}");
        }

        var workflowCheck = PostgreSqlWorkflows.VerifyImport(workflows, workflowTarget);
        foreach (var check in workflowCheck.Checks)
        {
            Console.WriteLine(check);
        }

        Console.WriteLine(workflowCheck.IsClean ? "Verified: every workflow, log and event agrees." : "Workflows NOT verified: see the lines above.");
        clean &= workflowCheck.IsClean;
    }

    return clean ? 0 : 1;
}
catch (Exception e) when (e is DonorRegistryException or IOException or FormatException)
{
    Console.Error.WriteLine($"BranchImport: {e.Message}");
    return 1;
}

static int Usage(string problem)
{
    Console.Error.WriteLine($"BranchImport: {problem}.");
    Console.Error.WriteLine("Usage: dotnet run --project samples/BranchImport -- --branch FILE --branch-key KEYFILE --target CONNECTION --national-key KEYFILE [--keys CONNECTION] [--workflows FILE [--workflow-target CONNECTION]] [--verify-only]");
    return 2;
}

/// <summary>Reports on the importing thread, in order.</summary>
internal sealed class InOrder<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
