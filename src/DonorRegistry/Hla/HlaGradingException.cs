namespace DonorRegistry.Hla;

/// <summary>Thrown when a grader is asked something it cannot grade (loci that differ, an undefined threshold); the message says what is allowed.</summary>
public sealed class HlaGradingException : DonorRegistryException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="argument">The offending argument.</param>
    /// <param name="problem">What is wrong and what is allowed.</param>
    public HlaGradingException(string argument, string problem)
        : base($"Cannot grade with {argument}: {problem}.")
    {
        Argument = argument;
        Problem = problem;
    }

    /// <summary>The offending argument.</summary>
    public string Argument { get; }

    /// <summary>What is wrong and what is allowed.</summary>
    public string Problem { get; }
}
