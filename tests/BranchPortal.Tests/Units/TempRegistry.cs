using DonorRegistry;

namespace BranchPortal.Tests.Units;

/// <summary>A new registry in a temp folder on a given clock, for the unit tests; disposing closes it and deletes the folder.</summary>
internal sealed class TempRegistry : IDisposable
{
    private readonly string _folder;

    public TempRegistry(TimeProvider clock, Action<RegistryOptions>? configure = null)
    {
        _folder = Directory.CreateTempSubdirectory("portal-unit-").FullName;
        var options = new RegistryOptions
        {
            DatabasePath = Path.Combine(_folder, "registry.db"),
            RegistryKey = RegistryKey.Generate(),
            TimeProvider = clock,
        };
        configure?.Invoke(options);
        Registry = Registry.Create(options);
    }

    public Registry Registry { get; }

    public void Dispose()
    {
        Registry.Dispose();
        Directory.Delete(_folder, recursive: true);
    }
}
