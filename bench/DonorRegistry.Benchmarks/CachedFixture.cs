namespace DonorRegistry.Benchmarks;

/// <summary>A registry file built once into the temp folder and reused by later benchmark processes until its version changes.</summary>
internal static class CachedFixture
{
    public static RegistryOptions Options(string name, RegistryKey key, Action<RegistryOptions> create)
    {
        var folder = Path.Combine(Path.GetTempPath(), "donor-registry-bench");
        Directory.CreateDirectory(folder);
        var options = new RegistryOptions { DatabasePath = Path.Combine(folder, name + ".db"), RegistryKey = key, CreateIfMissing = true };
        if (!File.Exists(options.DatabasePath + ".ready"))
        {
            foreach (var stale in Directory.GetFiles(folder, Path.GetFileName(options.DatabasePath) + "*"))
            {
                File.Delete(stale);
            }

            create(options);
            File.WriteAllText(options.DatabasePath + ".ready", DateTime.UtcNow.ToString("O"));
        }

        return options;
    }
}
