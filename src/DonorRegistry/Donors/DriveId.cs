namespace DonorRegistry.Donors;

/// <summary>
/// The code of the recruitment drive (or other source) a donor enrolled through, such as <c>PKU-2026-03</c>.
/// </summary>
public readonly record struct DriveId
{
    /// <summary>The longest code accepted.</summary>
    public const int MaxLength = 64;

    /// <summary>Creates a drive id.</summary>
    /// <param name="value">1 to 64 letters, digits, '-', '_' or '.'.</param>
    /// <exception cref="RegistryValidationException">The code is empty, too long or has other characters.</exception>
    public DriveId(string value)
    {
        Guard.NotNull(value, nameof(value), "give a value; null is not allowed");
        if (!Guard.IsCode(value, MaxLength))
        {
            throw new RegistryValidationException(nameof(value), null, "is not allowed", $"Drive id '{Guard.Prefix(value)}' is not valid; use 1 to {MaxLength} ASCII letters, digits, '-', '_' or '.'.", $"Drive id '{Guard.Prefix(value)}' is not valid; use 1 to {MaxLength} ASCII letters, digits, '-', '_' or '.'.", ValidationCode.BadFormat, Guard.Args((ValidationArgument.Expected, $"1-{MaxLength} A-Z a-z 0-9 - _ .")));
        }

        Value = value;
    }

    /// <summary>The code.</summary>
    public string Value { get; }

    /// <inheritdoc />
    public override string ToString() => Value ?? string.Empty;
}
