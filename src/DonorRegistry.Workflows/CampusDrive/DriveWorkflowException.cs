using DonorRegistry.Donors;

namespace DonorRegistry.Workflows.CampusDrive;

/// <summary>
/// Thrown when a drive's workflow cannot take a request: an event out of order or raised twice, a drive without a
/// workflow (or with one already), a tube that is not the drive's. Nothing was published or stored. The library's
/// refusals carry a <see cref="Code"/> and named <see cref="Arguments"/> for a host to say them in its own language.
/// </summary>
public sealed class DriveWorkflowException : DonorRegistryException
{
    private static readonly IReadOnlyDictionary<string, string> NoArguments = new Dictionary<string, string>();

    /// <summary>Creates the exception (<see cref="DriveRefusal.Unspecified"/>).</summary>
    /// <param name="drive">The drive.</param>
    /// <param name="message">What was refused and what is allowed instead.</param>
    public DriveWorkflowException(DriveId drive, string message)
        : base(message)
    {
        Drive = drive;
    }

    /// <summary>Creates the exception with its code and the values a translated message needs.</summary>
    internal DriveWorkflowException(DriveId drive, string message, DriveRefusal code, params (string Name, string? Value)[] arguments)
        : this(drive, message)
    {
        Code = code;
        var named = new Dictionary<string, string>(StringComparer.Ordinal) { [DriveRefusalArgument.Drive] = drive.ToString() };
        foreach (var (name, value) in arguments)
        {
            named[name] = value ?? string.Empty;
        }

        Arguments = named;
    }

    /// <summary>The drive.</summary>
    public DriveId Drive { get; }

    /// <summary>Why the request was refused; <see cref="DriveRefusal.Unspecified"/> for an exception made by the public constructor.</summary>
    public DriveRefusal Code { get; }

    /// <summary>The values a translated message needs, by the names of <see cref="DriveRefusalArgument"/> (always <c>drive</c> with a code); empty without a code.</summary>
    public IReadOnlyDictionary<string, string> Arguments { get; } = NoArguments;
}
