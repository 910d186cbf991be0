using System.Diagnostics.CodeAnalysis;

namespace DonorRegistry.Donors;

/// <summary>
/// Why a donor left the registry, as a WMDA/EMDIS reason code, so that exports speak the language
/// other registries use.
/// </summary>
public readonly record struct RemovalReason
{
    private RemovalReason(string code, string description)
    {
        Code = code;
        Description = description;
    }

    /// <summary><c>DO</c>: past the age at which donors leave the registry.</summary>
    public static RemovalReason TooOld { get; } = new("DO", "too old");

    /// <summary><c>DD</c>: the donor died.</summary>
    public static RemovalReason Died { get; } = new("DD", "died");

    /// <summary><c>MR</c>: medical reasons.</summary>
    public static RemovalReason Medical { get; } = new("MR", "medical reasons");

    /// <summary><c>PR</c>: personal reasons.</summary>
    public static RemovalReason Personal { get; } = new("PR", "personal reasons");

    /// <summary><c>TX</c>: removed after a transplant.</summary>
    public static RemovalReason AfterTransplant { get; } = new("TX", "after transplant");

    /// <summary><c>MO</c>: moved away.</summary>
    public static RemovalReason Moved { get; } = new("MO", "moved");

    /// <summary><c>UC</c>: unable to contact.</summary>
    public static RemovalReason UnableToContact { get; } = new("UC", "unable to contact");

    /// <summary><c>TQ</c>: typing questionable.</summary>
    public static RemovalReason TypingQuestionable { get; } = new("TQ", "typing questionable");

    /// <summary><c>OT</c>: other.</summary>
    public static RemovalReason Other { get; } = new("OT", "other");

    /// <summary><c>UK</c>: unknown.</summary>
    public static RemovalReason Unknown { get; } = new("UK", "unknown");

    /// <summary>Every reason, in WMDA order.</summary>
    public static IReadOnlyList<RemovalReason> All { get; } =
        [TooOld, Died, Medical, Personal, AfterTransplant, Moved, UnableToContact, TypingQuestionable, Other, Unknown];

    /// <summary>The two-letter WMDA code.</summary>
    public string Code { get; }

    /// <summary>The reason in words.</summary>
    public string Description { get; }

    /// <summary>Finds the reason for a WMDA code.</summary>
    /// <param name="code">A two-letter code such as <c>DO</c>.</param>
    /// <returns>The reason.</returns>
    /// <exception cref="RegistryValidationException">The code is not a WMDA removal reason.</exception>
    public static RemovalReason FromCode(string code) =>
        TryFromCode(code, out var reason)
            ? reason
            : throw new RegistryValidationException(
                nameof(code), code, "is not a WMDA removal reason code", $"use one of {string.Join(", ", All.Select(r => r.Code))}",
                $"'{code}' is not a WMDA removal reason code; use one of {string.Join(", ", All.Select(r => r.Code))}.",
                ValidationCode.NotOneOf,
                Guard.Args((ValidationArgument.Allowed, string.Join(", ", All.Select(r => r.Code)))));

    /// <summary>Finds the reason for a WMDA code.</summary>
    /// <param name="code">A two-letter code such as <c>DO</c>.</param>
    /// <param name="reason">The reason, when found.</param>
    /// <returns>Whether the code is a WMDA removal reason.</returns>
    public static bool TryFromCode([NotNullWhen(true)] string? code, out RemovalReason reason)
    {
        foreach (var candidate in All)
        {
            if (string.Equals(candidate.Code, code, StringComparison.OrdinalIgnoreCase))
            {
                reason = candidate;
                return true;
            }
        }

        reason = default;
        return false;
    }

    /// <inheritdoc />
    public override string ToString() => $"{Code} ({Description})";
}
