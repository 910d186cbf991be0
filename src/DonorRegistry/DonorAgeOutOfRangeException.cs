namespace DonorRegistry;

/// <summary>Thrown when a volunteer's age on the day of enrolment is outside the policy's join range.</summary>
public sealed class DonorAgeOutOfRangeException : RegistryValidationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="birthDate">The volunteer's birth date.</param>
    /// <param name="onDate">The day the age was computed for.</param>
    /// <param name="age">The age in whole years on that day.</param>
    /// <param name="minimumAge">The youngest age allowed to join.</param>
    /// <param name="maximumAge">The oldest age allowed to join.</param>
    public DonorAgeOutOfRangeException(DateOnly birthDate, DateOnly onDate, int age, int minimumAge, int maximumAge)
        : base("BirthDate", birthDate.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), $"gives age {age} on {onDate:yyyy-MM-dd}", $"volunteers join from age {minimumAge} to {maximumAge}", $"A volunteer born {birthDate:yyyy-MM-dd} is {age} on {onDate:yyyy-MM-dd}; volunteers may join the registry from age {minimumAge} to {maximumAge} inclusive.", ValidationCode.AgeOutOfRange, Guard.Args((ValidationArgument.Age, age), (ValidationArgument.Min, minimumAge), (ValidationArgument.Max, maximumAge)))
    {
        BirthDate = birthDate;
        OnDate = onDate;
        Age = age;
        MinimumAge = minimumAge;
        MaximumAge = maximumAge;
    }

    /// <summary>The volunteer's birth date.</summary>
    public DateOnly BirthDate { get; }

    /// <summary>The day the age was computed for.</summary>
    public DateOnly OnDate { get; }

    /// <summary>The age in whole years on <see cref="OnDate"/>.</summary>
    public int Age { get; }

    /// <summary>The youngest age allowed to join.</summary>
    public int MinimumAge { get; }

    /// <summary>The oldest age allowed to join.</summary>
    public int MaximumAge { get; }
}
