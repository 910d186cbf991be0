using DonorRegistry.Donors;

namespace DonorRegistry.Care;

/// <summary>A public thanks given to a donor who consented to publicity.</summary>
/// <param name="Id">Its number (REC-00000001).</param>
/// <param name="Donor">The donor.</param>
/// <param name="Kind">Certificate, honour title or World Marrow Donor Day story.</param>
/// <param name="Title">Its title or text (1 to 500 characters).</param>
/// <param name="On">The day it was given.</param>
/// <param name="ApprovedBy">Who approved it.</param>
public sealed record Recognition(string Id, DonorId Donor, RecognitionKind Kind, string Title, DateOnly On, string ApprovedBy)
{
    /// <summary>One line a person can read: <c>REC-00000001 Certificate for DR-00000042 on 2026-12-20: 造血干细胞捐献荣誉证书 (approved by director.zhang)</c>.</summary>
    /// <returns>The line.</returns>
    public override string ToString() => $"{Id} {Kind} for {Donor} on {Readable.Day(On)}: {Title} (approved by {ApprovedBy})";
}
