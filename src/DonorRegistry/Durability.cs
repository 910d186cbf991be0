namespace DonorRegistry;

/// <summary>When a committed change is on the disk (<see cref="RegistryOptions.Durability"/>).</summary>
public enum Durability
{
    /// <summary>
    /// A verb returns only once its commit is forced to the disk (an fsync of the LiteDB log file), so an
    /// acknowledged change survives a power loss or an operating-system crash. It costs one disk flush per
    /// commit; writers that commit at the same time share one flush. The default.
    /// </summary>
    Durable = 0,

    /// <summary>
    /// A verb returns once its commit is handed to the operating system, which writes it to the disk later
    /// (LiteDB 5's own behaviour). A crash of the process loses nothing, but a power loss or an
    /// operating-system crash can lose the changes of the last seconds, acknowledged or not. The file
    /// stays consistent: the log is still forced to the disk before LiteDB copies it into the database file.
    /// </summary>
    OsBuffered = 1,
}
