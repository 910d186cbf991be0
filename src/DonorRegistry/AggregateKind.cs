namespace DonorRegistry;

/// <summary>The kinds of record the registry keeps with a lifecycle, a version and an audit trail.</summary>
public enum AggregateKind
{
    /// <summary>A donor (<see cref="Donors.Donor"/>), identified by <see cref="Donors.DonorId"/>.</summary>
    Donor,

    /// <summary>A blood sample or swab (<see cref="Samples.Sample"/>), identified by its tube barcode.</summary>
    Sample,

    /// <summary>A match case (<see cref="Cases.MatchCase"/>), identified by its <see cref="Donors.CaseReference"/>.</summary>
    Case,

    /// <summary>A recruitment drive (<see cref="Drives.Drive"/>), identified by its <see cref="Donors.DriveId"/>.</summary>
    Drive,

    /// <summary>A donation record with its follow-ups and visits (<see cref="Care.DonationRecord"/>), identified by its DON- number.</summary>
    Donation,

    /// <summary>An outstanding drive volunteer named for festival visits (<see cref="Care.VolunteerHonour"/>), identified by its VOL- number; apart from donors.</summary>
    Volunteer,

    /// <summary>A user account of the people who sign in to a host (<see cref="Access.UserAccount"/>), identified by its user name.</summary>
    User,
}
