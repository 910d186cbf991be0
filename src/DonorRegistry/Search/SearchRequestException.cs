namespace DonorRegistry.Search;

/// <summary>Thrown when a search request cannot be run as given; the message names the field and what is allowed.</summary>
public sealed class SearchRequestException : DonorRegistryException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="field">The offending field of the request.</param>
    /// <param name="problem">What is wrong and what is allowed.</param>
    public SearchRequestException(string field, string problem)
        : base($"Search request {field}: {problem}.")
    {
        Field = field;
        Problem = problem;
    }

    /// <summary>The offending field of the request.</summary>
    public string Field { get; }

    /// <summary>What is wrong and what is allowed.</summary>
    public string Problem { get; }
}
