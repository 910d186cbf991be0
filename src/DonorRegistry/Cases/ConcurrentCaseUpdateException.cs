using DonorRegistry.Donors;

namespace DonorRegistry.Cases;

/// <summary>Thrown when a case step expected the case at one version and another writer changed it since. Nothing is stored.</summary>
public sealed class ConcurrentCaseUpdateException : DonorRegistryException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="case">The case.</param>
    /// <param name="expectedVersion">The version the caller read.</param>
    /// <param name="actualVersion">The version now stored.</param>
    public ConcurrentCaseUpdateException(CaseReference @case, int expectedVersion, int actualVersion)
        : base($"Case {@case} was expected at version {expectedVersion} but is at version {actualVersion}: someone else changed it. Reload the case and try again.")
    {
        Case = @case;
        ExpectedVersion = expectedVersion;
        ActualVersion = actualVersion;
    }

    /// <summary>The case.</summary>
    public CaseReference Case { get; }

    /// <summary>The version the caller read.</summary>
    public int ExpectedVersion { get; }

    /// <summary>The version now stored.</summary>
    public int ActualVersion { get; }
}
