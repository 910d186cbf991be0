using DonorRegistry.Donors;
using DonorRegistry.Hla;
using DonorRegistry.Protection;

namespace DonorRegistry;

/// <summary>
/// The checks a form makes before it calls a verb: the very checks the verbs make, so a form and the library
/// never disagree. Each returns null when the value is good, or the problem (field, masked value, what is wrong,
/// what is allowed) to show beside the field.
/// </summary>
/// <example>
/// <code>
/// if (FormChecks.ResidentId(input.Text, birthDate, sex) is { } problem)
/// {
///     ShowError(problem.Message);
/// }
/// </code>
/// </example>
public static class FormChecks
{
    /// <summary>Checks a Chinese resident ID number (居民身份证号码): 18 characters, the ISO 7064 MOD 11-2 check character, and, when given, the birth date and sex it holds.</summary>
    /// <param name="value">The number as typed (spaces around it and a lower-case x are accepted).</param>
    /// <param name="birthDate">The birth date the form shows, to check against characters 7 to 14; null to skip.</param>
    /// <param name="sex">The sex the form shows, to check against the 17th character; null to skip.</param>
    /// <returns>Null when the number is good, else the problem.</returns>
    public static FormProblem? ResidentId(string? value, DateOnly? birthDate = null, Sex? sex = null) =>
        NationalIdNumber.Check(value, birthDate, sex, NationalIdFormat.ChineseResidentId);

    /// <summary>Checks a phone number: 5 to 32 characters of digits, spaces, '+', '-', '(' and ')', with at least 5 digits.</summary>
    /// <param name="value">The number as typed.</param>
    /// <param name="field">The field's name for the message.</param>
    /// <returns>Null when the number is good, else the problem.</returns>
    public static FormProblem? PhoneNumber(string? value, string field = "Phone")
    {
        if (string.IsNullOrWhiteSpace(value) || value.Length > 32
            || value.Count(char.IsAsciiDigit) < 5
            || !value.All(c => char.IsAsciiDigit(c) || c is '+' or '-' or ' ' or '(' or ')'))
        {
            return new FormProblem(field, MaskPhone(value), "is not a phone number", "use 5 to 32 characters of digits, spaces, '+', '-', '(' and ')'")
            {
                Code = string.IsNullOrWhiteSpace(value) ? ValidationCode.Required : ValidationCode.BadFormat,
                Arguments = string.IsNullOrWhiteSpace(value) ? RegistryValidationException.NoArguments : Guard.Args((ValidationArgument.Expected, "+86 138-0013-8000")),
            };
        }

        return null;
    }

    /// <summary>
    /// Checks one locus's genotype as a lab writes it (<c>A*02:01+A*24:02</c>) with the WHO nomenclature parser.
    /// </summary>
    /// <param name="locus">The locus: A, B, C, DRB1, DQB1 or DPB1.</param>
    /// <param name="genotype">The genotype.</param>
    /// <param name="release">The IMGT/HLA release (and MAC table) the registry loads, so names are checked as the verbs check them; null checks the nomenclature alone.</param>
    /// <returns>Null when the genotype is good, else the problem (with the position of the first error, or the name the release refuses).</returns>
    public static FormProblem? Genotype(string locus, string? genotype, HlaReference? release = null)
    {
        if (GenotypeShape(locus, genotype) is { } problem)
        {
            return problem;
        }

        try
        {
            (release ?? HlaReference.None).ParseLocus(genotype!, Enum.Parse<HlaLocus>(locus));
            return null;
        }
        catch (Exception e) when (e is HlaParseException or HlaNameException)
        {
            return new FormProblem($"Typing.{locus}", Guard.Prefix(genotype), e.Message.TrimEnd('.'), "write it in WHO nomenclature, e.g. A*02:01+A*24:02")
            {
                Code = ValidationCode.BadFormat,
                Arguments = Guard.Args((ValidationArgument.Expected, "A*02:01+A*24:02")),
            };
        }
    }

    /// <summary>What a genotype must be before the parser reads it: a locus the registry types, and 1 to 2,000 characters.</summary>
    internal static FormProblem? GenotypeShape(string locus, string? genotype)
    {
        if (locus is null || !TypingResult.KnownLoci.Contains(locus))
        {
            return new FormProblem("Typing.Loci", Guard.Prefix(locus), "is not a locus the registry types", $"use {string.Join(", ", TypingResult.KnownLoci)}")
            {
                Code = ValidationCode.NotOneOf,
                Arguments = Guard.Args((ValidationArgument.Allowed, string.Join(", ", TypingResult.KnownLoci))),
            };
        }

        if (string.IsNullOrWhiteSpace(genotype) || genotype.Length > 2000)
        {
            return new FormProblem($"Typing.{locus}", Guard.Prefix(genotype), "is not an HLA genotype", "write it as the lab does, e.g. A*02:01+A*24:02")
            {
                Code = string.IsNullOrWhiteSpace(genotype) ? ValidationCode.Required : ValidationCode.TooLong,
                Arguments = string.IsNullOrWhiteSpace(genotype) ? RegistryValidationException.NoArguments : Guard.Args((ValidationArgument.Max, 2000), (ValidationArgument.Length, genotype.Length)),
            };
        }

        return null;
    }

    /// <summary>Masks a phone number for a message: its last four digits stay.</summary>
    internal static string? MaskPhone(string? value) =>
        value is null ? null : value.Length <= 4 ? new string('*', value.Length) : new string('*', Math.Min(value.Length, 40) - 4) + value[^4..];
}

/// <summary>What is wrong with a value a form holds: the field, the value (masked where it is personal data), the problem and what is allowed.</summary>
/// <param name="Field">The field's name.</param>
/// <param name="Value">The value, masked or shortened.</param>
/// <param name="Problem">What is wrong.</param>
/// <param name="Allowed">What would be accepted.</param>
public sealed record FormProblem(string Field, string? Value, string Problem, string Allowed)
{
    /// <summary>The value, masked or shortened (at most its first 40 characters, control characters escaped).</summary>
    public string? Value { get; init; } = Guard.Prefix(Value);

    /// <summary>The message a verb would throw for this value.</summary>
    public string Message => $"{Field} '{Value}' {Problem}; {Allowed}.";

    /// <summary>The message.</summary>
    /// <returns><see cref="Message"/>.</returns>
    public override string ToString() => Message;

    /// <summary>The kind of rule broken, for a host to translate the message; <see cref="ValidationCode.Unspecified"/> where the library has no code for it yet.</summary>
    public ValidationCode Code { get; init; }

    /// <summary>The values a translated message needs, by the names of <see cref="ValidationArgument"/>; empty when there are none.</summary>
    public IReadOnlyDictionary<string, string> Arguments { get; init; } = RegistryValidationException.NoArguments;

    /// <summary>Throws the problem as the verbs do.</summary>
    /// <exception cref="RegistryValidationException">Always.</exception>
    internal RegistryValidationException ToException() => new(Field, Value, Problem, Allowed, Code, Arguments);
}
