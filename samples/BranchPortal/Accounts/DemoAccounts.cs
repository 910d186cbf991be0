namespace BranchPortal.Accounts;

/// <summary>The demo's users, one per role, with passwords that are printed at start-up. Only the demo registry gets them.</summary>
public static class DemoAccounts
{
    /// <summary>The accounts: user name, display name, role, password.</summary>
    public static IReadOnlyList<(string UserName, string DisplayName, PortalRole Role, string Password)> All { get; } =
    [
        ("organizer.wang", "王芳 (招募组织者)", PortalRole.Organizer, "demo-Organizer-2026"),
        ("lab.chen", "陈静 (HLA 实验室)", PortalRole.Lab, "demo-Lab-2026"),
        ("coordinator.li", "李娜 (协调员)", PortalRole.Coordinator, "demo-Coordinator-2026"),
        ("admin.zhao", "赵强 (管理员)", PortalRole.Administrator, "demo-Administrator-2026"),
        ("viewer.liu", "刘洋 (只读)", PortalRole.Viewer, "demo-Viewer-2026"),
    ];

    /// <summary>Adds the demo accounts to a store.</summary>
    /// <param name="store">The store.</param>
    public static void AddTo(IAccountStore store)
    {
        foreach (var (user, display, role, password) in All)
        {
            if (store.Find(user) is null)
            {
                store.Add(user, display, [role], PortalSignIn.Hash(password));
            }
        }
    }
}
