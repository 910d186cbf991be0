namespace DonorRegistry;

/// <summary>
/// The root of every exception the library throws for a domain, storage or protection failure.
/// Catch this to handle all of them; the sealed subtypes carry the offending values.
/// </summary>
public abstract class DonorRegistryException : Exception
{
    /// <summary>Creates the exception with a message that says what was wrong and what is allowed.</summary>
    /// <param name="message">The full message.</param>
    /// <param name="innerException">The underlying cause, if any.</param>
    protected DonorRegistryException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
