namespace DonorRegistry.Access;

/// <summary>
/// What a person does at the branch. A role allows the <see cref="RegistryAction"/>s that
/// <see cref="PermissionPolicy"/> maps to it; an <see cref="Actor"/> may hold several.
/// </summary>
public enum Role
{
    /// <summary>Runs drives and lectures, enrols volunteers, collects and ships samples.</summary>
    Organizer,

    /// <summary>The typing lab: receives samples, rejects them, records typing results.</summary>
    Lab,

    /// <summary>Lists, defers and searches donors; runs match cases, donations, care, visits and recognition.</summary>
    Coordinator,

    /// <summary>Manages users, removes and reactivates donors, reads reports and the access log.</summary>
    Administrator,

    /// <summary>Reads reports, nothing else.</summary>
    Viewer,
}
