namespace BranchPortal.Tests.Journeys;

/// <summary>The demo accounts the portal prints at start-up (samples/BranchPortal/Accounts/DemoAccounts.cs).</summary>
internal static class Demo
{
    public const string Organizer = "organizer.wang";
    public const string OrganizerPassword = "demo-Organizer-2026";
    public const string Lab = "lab.chen";
    public const string LabPassword = "demo-Lab-2026";
    public const string Coordinator = "coordinator.li";
    public const string CoordinatorPassword = "demo-Coordinator-2026";
    public const string Administrator = "admin.zhao";
    public const string AdministratorPassword = "demo-Administrator-2026";
    public const string Viewer = "viewer.liu";
    public const string ViewerPassword = "demo-Viewer-2026";

    /// <summary>The demo drive whose enrolment is open.</summary>
    public const string OpenDrive = "UIBE-2026-AUT";
}
