using DonorRegistry.Donors;

namespace DonorRegistry.Storage;

/// <summary>
/// An engine other than the built-in LiteDB one, chosen in the options (<see cref="RegistryOptions.Engine"/>): an
/// engine package (DonorRegistry.PostgreSql) sets it through its own extension of <see cref="RegistryOptions"/>.
/// <see cref="Registry.Create"/> and <see cref="Registry.Open"/> open the storage through it instead of LiteDB.
/// </summary>
internal interface IStorageEngine
{
    /// <summary>How the engine names the registry it opens (a server and database; never a password).</summary>
    string Describe();

    /// <summary>True when the engine keeps the per-donor keys itself (on the server, ADR 20), so <see cref="RegistryOptions.KeyStorePath"/> stays unset.</summary>
    bool KeysOnServer { get; }

    /// <summary>True when no registry exists there yet: what <see cref="RegistryOptions.CreateIfMissing"/> creates over.</summary>
    bool NothingExists(RegistryOptions options);

    /// <summary>Opens an existing registry, or creates a new one (<paramref name="create"/>), checking everything before writing.</summary>
    IRegistryStorage Open(RegistryOptions options, EligibilityPolicy policy, DateTimeOffset now, bool create);
}
