namespace DonorRegistry.Hla;

/// <summary>
/// Thrown when an allele name is well formed but the loaded IPD-IMGT/HLA release refuses it: the name is not in
/// <c>hla_nom.txt</c>, was deleted without a successor, was renamed and strict names were asked for, or lacks the
/// expression suffix the release gives it.
/// </summary>
public sealed class HlaNameException : DonorRegistryException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="name">The name as typed.</param>
    /// <param name="release">The release checked against, such as <c>IPD-IMGT/HLA 3.58.0</c>.</param>
    /// <param name="problem">What is wrong and what is allowed.</param>
    /// <param name="suggestion">The name the release would accept instead, if there is one.</param>
    public HlaNameException(string name, string release, string problem, string? suggestion = null)
        : base($"{Guard.Prefix(name)} is refused by {release}: {problem}.")
    {
        Name = name;
        Release = release;
        Problem = problem;
        Suggestion = suggestion;
    }

    /// <summary>The name as typed.</summary>
    public string Name { get; }

    /// <summary>The release checked against.</summary>
    public string Release { get; }

    /// <summary>What is wrong and what is allowed.</summary>
    public string Problem { get; }

    /// <summary>The name the release would accept instead, if there is one.</summary>
    public string? Suggestion { get; }
}
