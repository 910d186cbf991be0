namespace DonorRegistry;

/// <summary>
/// Thrown when a registry is opened with a registry key (or file password) other than the one it was
/// created with. Nothing is read or written.
/// </summary>
public sealed class RegistryKeyMismatchException : DonorRegistryException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="path">The registry or key-store file.</param>
    /// <param name="expectedKeyId">The id of the key the file was created with, if known.</param>
    /// <param name="givenKeyId">The id of the key that was given, if known.</param>
    /// <param name="innerException">The underlying cause, if any.</param>
    public RegistryKeyMismatchException(string path, string? expectedKeyId, string? givenKeyId, Exception? innerException = null)
        : base(expectedKeyId is null
            ? $"The file password does not open '{path}'. Give the password the registry was created with."
            : $"'{path}' was created with registry key {expectedKeyId}, but key {givenKeyId} was given. Give the registry key it was created with.",
            innerException)
    {
        Path = path;
        ExpectedKeyId = expectedKeyId;
        GivenKeyId = givenKeyId;
    }

    /// <summary>The registry or key-store file.</summary>
    public string Path { get; }

    /// <summary>The id of the key the file was created with; null when the file password was wrong.</summary>
    public string? ExpectedKeyId { get; }

    /// <summary>The id of the key that was given; null when the file password was wrong.</summary>
    public string? GivenKeyId { get; }
}
