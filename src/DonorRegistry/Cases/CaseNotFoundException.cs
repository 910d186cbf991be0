using DonorRegistry.Donors;

namespace DonorRegistry.Cases;

/// <summary>Thrown when an operation names a case the registry does not hold.</summary>
public sealed class CaseNotFoundException : NotFoundException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="case">The case reference that was not found.</param>
    public CaseNotFoundException(CaseReference @case)
        : base(AggregateKind.Case, @case.ToString(), $"No case {@case} is in this registry. Use a reference returned by Open.")
    {
        Case = @case;
    }

    /// <summary>The case reference that was not found.</summary>
    public CaseReference Case { get; }
}
