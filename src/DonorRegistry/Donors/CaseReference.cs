namespace DonorRegistry.Donors;

/// <summary>
/// An opaque reference to the match case a donor is reserved for. It never carries patient identity:
/// the donor's record holds this and nothing else about the patient.
/// </summary>
public readonly record struct CaseReference
{
    /// <summary>The longest reference accepted.</summary>
    public const int MaxLength = 64;

    /// <summary>Creates a case reference.</summary>
    /// <param name="value">1 to 64 letters, digits, '-', '_' or '.'.</param>
    /// <exception cref="RegistryValidationException">The reference is empty, too long or has other characters.</exception>
    public CaseReference(string value)
    {
        Guard.NotNull(value, nameof(value), "give a value; null is not allowed");
        if (!Guard.IsCode(value, MaxLength))
        {
            throw new RegistryValidationException(nameof(value), null, "is not allowed", $"Case reference '{Guard.Prefix(value)}' is not valid; use 1 to {MaxLength} ASCII letters, digits, '-', '_' or '.'.", $"Case reference '{Guard.Prefix(value)}' is not valid; use 1 to {MaxLength} ASCII letters, digits, '-', '_' or '.'.", ValidationCode.BadFormat, Guard.Args((ValidationArgument.Expected, $"1-{MaxLength} A-Z a-z 0-9 - _ .")));
        }

        Value = value;
    }

    /// <summary>The reference.</summary>
    public string Value { get; }

    /// <inheritdoc />
    public override string ToString() => Value ?? string.Empty;
}
