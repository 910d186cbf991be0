using System.Globalization;
using DonorRegistry.Protection;

namespace DonorRegistry.Donors;

/// <summary>The checks of what a volunteer's enrolment, personal data and typing must hold; each throws <see cref="RegistryValidationException"/>.</summary>
internal static class DonorInputs
{
    public static void Enrolment(EnrolmentRequest? request, int index, DateOnly today, EligibilityPolicy policy, NationalIdFormat format)
    {
        var which = index < 0 ? "request" : $"requests[{index}]";
        if (request is null)
        {
            throw new RegistryValidationException(which, null, "is missing", "give an enrolment request for every volunteer", ValidationCode.Required);
        }

        var profile = request.Profile ?? throw new RegistryValidationException($"{which}.Profile", null, "is missing", "give sex and birth date at least", ValidationCode.Required);
        if (request.Personal is null)
        {
            throw new RegistryValidationException($"{which}.Personal", null, "is missing", "give name, national ID, phone and address", ValidationCode.Required);
        }

        Defined(profile.Sex, "Sex", "Female or Male");
        Defined(profile.Abo, "Abo", "Unknown, O, A, B or AB");
        Defined(profile.Rh, "Rh", "Unknown, Positive or Negative");
        Defined(profile.Cmv, "Cmv", "Unknown, Negative or Positive");
        if (profile.BirthDate > today)
        {
            throw new RegistryValidationException("BirthDate", profile.BirthDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), $"is in the future (today is {today:yyyy-MM-dd})", "give the volunteer's real birth date", ValidationCode.DateInFuture, Guard.Args((ValidationArgument.Today, today)));
        }

        Guard.InRange(profile.BirthDate, "BirthDate", Guard.MinDay, today, "give the volunteer's real birth date");

        var age = EligibilityPolicy.AgeOn(profile.BirthDate, today);
        if (age < policy.MinimumJoinAge || age > policy.MaximumJoinAge)
        {
            throw new DonorAgeOutOfRangeException(profile.BirthDate, today, age, policy.MinimumJoinAge, policy.MaximumJoinAge);
        }

        PersonalData(request.Personal, profile, format);
    }

    public static void PersonalData(PersonalData personal, DonorProfile profile, NationalIdFormat format)
    {
        Required(personal.FullName, "FullName", 100);
        Required(personal.Address, "Address", Guard.MaxTextLength);
        Phone(personal.Phone, "Phone");
        if (personal.EmergencyContacts is null)
        {
            throw new RegistryValidationException("EmergencyContacts", null, "is missing", "give a list, empty if the volunteer names nobody", ValidationCode.Required);
        }

        foreach (var contact in personal.EmergencyContacts)
        {
            if (contact is null)
            {
                throw new RegistryValidationException("EmergencyContacts", null, "holds an empty entry", "give name, relationship and phone for each contact", ValidationCode.Required);
            }

            Required(contact.Name, "EmergencyContact.Name", 100);
            Required(contact.Relationship, "EmergencyContact.Relationship", 50);
            Phone(contact.Phone, "EmergencyContact.Phone");
        }

        NationalIdNumber.Validate(personal.NationalId, profile, format);
    }

    public static void Typing(TypingResult? typing, DateOnly today, Hla.HlaReference release) =>
        Typing(typing, today, (locus, genotype) => Genotype(locus, genotype, release));

    /// <summary>Checks a typing as <see cref="Typing(TypingResult?, DateOnly, Hla.HlaReference)"/> does, each locus's genotype by <paramref name="genotypeCheck"/> (one that remembers the genotypes it has seen).</summary>
    public static void Typing(TypingResult? typing, DateOnly today, Action<string, string> genotypeCheck)
    {
        if (typing is null)
        {
            throw new RegistryValidationException("typing", null, "is missing", "give the lab, the day and the genotype per locus", ValidationCode.Required);
        }

        Required(typing.Lab, "Typing.Lab", 100);
        Guard.NotAfterToday(typing.TypedOn, today, "Typing.TypedOn", "give the day the lab reported");
        if (typing.Loci is null)
        {
            throw new RegistryValidationException("Typing.Loci", null, "is missing", $"give at least {string.Join(", ", TypingResult.RequiredLoci)}", ValidationCode.Required);
        }

        foreach (var (locus, genotype) in typing.Loci)
        {
            genotypeCheck(locus, genotype);
        }

        foreach (var required in TypingResult.RequiredLoci)
        {
            if (!typing.Loci.ContainsKey(required))
            {
                throw new RegistryValidationException("Typing.Loci", string.Join(",", typing.Loci.Keys), $"lacks locus {required}", $"a typing names at least {string.Join(", ", TypingResult.RequiredLoci)}", ValidationCode.Required);
            }
        }
    }

    /// <summary>Checks one locus's genotype: its shape, then the release's parser.</summary>
    public static void Genotype(string locus, string genotype, Hla.HlaReference release)
    {
        if (FormChecks.GenotypeShape(locus, genotype) is { } problem)
        {
            throw problem.ToException();
        }

        // The parser's own exceptions name the position (HlaParseException) or the name the release refuses (HlaNameException).
        release.ParseLocus(genotype, Enum.Parse<Hla.HlaLocus>(locus));
    }

    public static void Required(string? value, string field, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new RegistryValidationException(field, value, "is empty", "it is required", ValidationCode.Required);
        }

        if (value.Length > maxLength)
        {
            throw new RegistryValidationException(field, Guard.Prefix(value, 20), $"has {value.Length} characters", $"give at most {maxLength}", ValidationCode.TooLong, Guard.Args((ValidationArgument.Max, maxLength), (ValidationArgument.Length, value.Length)));
        }

        Guard.Printable(value, field, $"give 1 to {maxLength} characters, without control characters");
    }

    /// <summary>The personal data as stored: every text field in Unicode normalization form C (call after <see cref="PersonalData"/> checked it).</summary>
    public static PersonalData Normalized(PersonalData personal) =>
        personal with
        {
            FullName = Guard.Nfc(personal.FullName),
            Address = Guard.Nfc(personal.Address),
            EmergencyContacts = personal.EmergencyContacts.Select(c => c with { Name = Guard.Nfc(c.Name), Relationship = Guard.Nfc(c.Relationship) }).ToList(),
        };

    public static void Phone(string? value, string field)
    {
        if (FormChecks.PhoneNumber(value, field) is { } problem)
        {
            throw problem.ToException();
        }
    }

    public static void Defined<TEnum>(TEnum value, string field, string allowed)
        where TEnum : struct, Enum
    {
        if (!Enum.IsDefined(value))
        {
            throw new RegistryValidationException(field, value.ToString(), "is not a known value", $"use {allowed}", ValidationCode.NotOneOf, Guard.Args((ValidationArgument.Allowed, allowed)));
        }
    }
}
