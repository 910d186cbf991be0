namespace DonorRegistry.Workflows.DonorCare;

/// <summary>Thrown when a donation's care workflow cannot take a request (its care already runs as a workflow). Nothing is started or stored.</summary>
public sealed class CareWorkflowException : DonorRegistryException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="donation">The donation's number.</param>
    /// <param name="message">What was refused and what to do instead.</param>
    public CareWorkflowException(string donation, string message)
        : base(message)
    {
        Donation = donation;
    }

    /// <summary>The donation's number.</summary>
    public string Donation { get; }
}
