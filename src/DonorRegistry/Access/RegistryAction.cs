namespace DonorRegistry.Access;

/// <summary>
/// Every verb that changes or reveals something, one value each (a verb and its batch form share one: <c>Enrol</c>
/// and <c>EnrolMany</c>). <see cref="PermissionPolicy"/> maps each to the roles that may take it.
/// </summary>
public enum RegistryAction
{
    // ---- Drives, lectures, enrolment (organizer) ----

    /// <summary><see cref="Drives.DriveOperations.Plan"/>.</summary>
    PlanDrive,

    /// <summary><see cref="Drives.DriveOperations.OpenEnrolment"/>.</summary>
    OpenDriveEnrolment,

    /// <summary><see cref="Drives.DriveOperations.CloseEnrolment"/>.</summary>
    CloseDriveEnrolment,

    /// <summary><see cref="Drives.DriveOperations.Close"/>.</summary>
    CloseDrive,

    /// <summary><see cref="Drives.DriveOperations.Cancel"/>.</summary>
    CancelDrive,

    /// <summary><see cref="Drives.DriveOperations.RecordLecture"/>.</summary>
    RecordLecture,

    /// <summary><see cref="Donors.DonorOperations.Enrol"/>, <see cref="Donors.DonorOperations.EnrolMany"/> and the drive's <see cref="Drives.DriveOperations.Enrol"/>, <see cref="Drives.DriveOperations.EnrolMany"/>.</summary>
    Enrol,

    /// <summary><see cref="Donors.DonorOperations.ScreenOut"/>.</summary>
    ScreenOut,

    /// <summary><see cref="Donors.DonorOperations.Rescreen"/>.</summary>
    Rescreen,

    /// <summary><see cref="Donors.DonorOperations.UpdatePersonalData"/>.</summary>
    UpdatePersonalData,

    // ---- Samples (organizer, lab) ----

    /// <summary><see cref="Samples.SampleOperations.Collect"/>.</summary>
    CollectSample,

    /// <summary><see cref="Samples.SampleOperations.Ship"/>.</summary>
    ShipSamples,

    /// <summary><see cref="Samples.SampleOperations.Receive"/> and <see cref="Samples.SampleOperations.ReceiveShipment"/>.</summary>
    ReceiveSamples,

    /// <summary><see cref="Samples.SampleOperations.Reject"/>.</summary>
    RejectSample,

    /// <summary><see cref="Samples.SampleOperations.RecordTyping"/>.</summary>
    RecordTyping,

    /// <summary><see cref="Samples.SampleOperations.ImportTypingResults(string, string, DateOnly, Actor)"/> and its stream form.</summary>
    ImportTypingResults,

    // ---- Donors (coordinator) ----

    /// <summary><see cref="Donors.DonorOperations.List"/>.</summary>
    ListDonor,

    /// <summary><see cref="Drives.DriveOperations.ListTypedDonors"/>.</summary>
    ListTypedDonors,

    /// <summary><see cref="Donors.DonorOperations.Defer"/>.</summary>
    Defer,

    /// <summary><see cref="Donors.DonorOperations.EndDeferral"/>.</summary>
    EndDeferral,

    /// <summary><see cref="Donors.DonorOperations.ApplyCalendar"/>.</summary>
    ApplyCalendar,

    /// <summary><see cref="Donors.DonorOperations.Withdraw"/>.</summary>
    Withdraw,

    /// <summary><see cref="Search.DonorSearch.Find"/> and <see cref="Search.DonorSearch.FindByLinearScan"/>.</summary>
    Search,

    /// <summary><see cref="Donors.DonorOperations.GetPersonalData"/>: a role without it gets the data masked (<see cref="PersonalDataMask"/>).</summary>
    ReadPersonalData,

    // ---- Cases (coordinator) ----

    /// <summary><see cref="Cases.CaseOperations.Open"/>.</summary>
    OpenCase,

    /// <summary><see cref="Cases.CaseOperations.ContactDonor"/>.</summary>
    ContactDonor,

    /// <summary><see cref="Cases.CaseOperations.RecordDecline"/>.</summary>
    RecordDecline,

    /// <summary><see cref="Cases.CaseOperations.RecordConsent"/>.</summary>
    RecordConsent,

    /// <summary><see cref="Cases.CaseOperations.RequestCtSample"/>.</summary>
    RequestCtSample,

    /// <summary><see cref="Cases.CaseOperations.RecordCtTyping"/>.</summary>
    RecordCtTyping,

    /// <summary><see cref="Cases.CaseOperations.Select"/>.</summary>
    SelectDonor,

    /// <summary><see cref="Cases.CaseOperations.RequestWorkup"/>.</summary>
    RequestWorkup,

    /// <summary><see cref="Cases.CaseOperations.HoldInformationSession"/>.</summary>
    HoldInformationSession,

    /// <summary><see cref="Cases.CaseOperations.RecordMedicalExam"/>.</summary>
    RecordMedicalExam,

    /// <summary><see cref="Cases.CaseOperations.Clear"/>.</summary>
    ClearDonor,

    /// <summary><see cref="Cases.CaseOperations.StartMobilization"/>.</summary>
    StartMobilization,

    /// <summary><see cref="Cases.CaseOperations.StartApheresis"/>.</summary>
    StartApheresis,

    /// <summary><see cref="Cases.CaseOperations.StartMarrowHarvest"/>.</summary>
    StartMarrowHarvest,

    /// <summary><see cref="Cases.CaseOperations.RecordCollection"/>.</summary>
    RecordCollection,

    /// <summary><see cref="Cases.CaseOperations.DeliverProduct"/>.</summary>
    DeliverProduct,

    /// <summary><see cref="Cases.CaseOperations.Close"/>.</summary>
    CloseCase,

    /// <summary><see cref="Cases.CaseOperations.Cancel"/>.</summary>
    CancelCase,

    // ---- Donation, care, visits, recognition (coordinator) ----

    /// <summary><see cref="Care.CareOperations.RecordDonation"/>.</summary>
    RecordDonation,

    /// <summary><see cref="Care.CareOperations.RecordFollowUp"/>.</summary>
    RecordFollowUp,

    /// <summary><see cref="Care.CareOperations.MarkUnreachable"/>.</summary>
    MarkUnreachable,

    /// <summary><see cref="Care.CareOperations.MarkReachable"/>.</summary>
    MarkReachable,

    /// <summary><see cref="Care.CareOperations.RecordVisit"/>.</summary>
    RecordVisit,

    /// <summary><see cref="Care.CareOperations.SkipVisit"/>.</summary>
    SkipVisit,

    /// <summary><see cref="Care.CareOperations.GivePublicityConsent"/>.</summary>
    GivePublicityConsent,

    /// <summary><see cref="Care.CareOperations.WithdrawPublicityConsent"/>.</summary>
    WithdrawPublicityConsent,

    /// <summary><see cref="Care.CareOperations.Recognise"/>.</summary>
    Recognise,

    /// <summary><see cref="Care.CareOperations.NameOutstandingVolunteer"/>.</summary>
    NameOutstandingVolunteer,

    /// <summary><see cref="Care.CareOperations.RecordVolunteerVisit"/>.</summary>
    RecordVolunteerVisit,

    /// <summary><see cref="Care.CareOperations.SkipVolunteerVisit"/>.</summary>
    SkipVolunteerVisit,

    // ---- Administration ----

    /// <summary><see cref="Donors.DonorOperations.Remove"/>.</summary>
    RemoveDonor,

    /// <summary><see cref="Donors.DonorOperations.Reactivate"/>.</summary>
    ReactivateDonor,

    /// <summary><see cref="Reporting.ReportOperations"/>: every report, the monthly donations and the drive comparison.</summary>
    ReadReports,

    /// <summary><see cref="Registry.Backup"/>: a copy of everything, keys included.</summary>
    Backup,

    /// <summary><see cref="AccessOperations"/>: who did, tried or read what.</summary>
    ReadAccessLog,

    /// <summary><see cref="UserOperations.Add"/>.</summary>
    AddUser,

    /// <summary><see cref="UserOperations.SetRoles"/>.</summary>
    SetUserRoles,

    /// <summary><see cref="UserOperations.SetPasswordHash"/>.</summary>
    SetUserPasswordHash,

    /// <summary><see cref="UserOperations.Disable"/>.</summary>
    DisableUser,

    /// <summary><see cref="UserOperations.Enable"/>.</summary>
    EnableUser,

    /// <summary>
    /// A page or feature of the host (a web app's page) that the host's own authorization refused, recorded with
    /// <see cref="AccessOperations.RecordDenied(Actor, string, string)"/>. No verb of the library takes it, and the
    /// policy gives it to no role: the host decides who may open its pages.
    /// </summary>
    OpenHostPage,
}
