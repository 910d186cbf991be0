using DonorRegistry.Donors;

namespace DonorRegistry.Care;

/// <summary>A public thanks given to a donor who consented to publicity.</summary>
/// <param name="Id">Its number (REC-00000001).</param>
/// <param name="Donor">The donor.</param>
/// <param name="Kind">Certificate, honour title or World Marrow Donor Day story.</param>
/// <param name="Title">Its title or text (1 to 500 characters).</param>
/// <param name="On">The day it was given.</param>
/// <param name="ApprovedBy">Who approved it.</param>
public sealed record Recognition(string Id, DonorId Donor, RecognitionKind Kind, string Title, DateOnly On, string ApprovedBy);
