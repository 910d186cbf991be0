using BranchPortal.Accounts;
using DonorRegistry.Access;

namespace BranchPortal.Pages.Admin;

/// <summary>What the admin pages share: the roles as the library names them, and the portal's own password rule.</summary>
public static class AdminForms
{
    /// <summary>The shortest password the portal accepts when an administrator sets one.</summary>
    public const int MinPasswordLength = 10;

    /// <summary>Every role, in the order the pages show them.</summary>
    public static IReadOnlyList<PortalRole> AllRoles { get; } = Enum.GetValues<PortalRole>();

    /// <summary>The library's roles for the portal's.</summary>
    /// <param name="roles">The roles ticked.</param>
    /// <returns>The library's roles.</returns>
    public static List<Role> ToLibrary(IEnumerable<PortalRole> roles) => [.. roles.Distinct().Select(r => Enum.Parse<Role>(r.ToString()))];

    /// <summary>The portal's roles for the library's.</summary>
    /// <param name="roles">The library's roles.</param>
    /// <returns>The portal's roles.</returns>
    public static List<PortalRole> ToPortal(IEnumerable<Role> roles) => [.. roles.Select(r => Enum.Parse<PortalRole>(r.ToString()))];

    /// <summary>The portal's check of a new password typed twice: the key of the problem, or null.</summary>
    /// <param name="password">The password.</param>
    /// <param name="again">The password typed again.</param>
    /// <returns>A resource key, or null when it is acceptable.</returns>
    public static string? PasswordProblem(string? password, string? again) =>
        string.IsNullOrEmpty(password) ? "Error.Required"
        : password.Length < MinPasswordLength ? "Admin.PasswordTooShort"
        : password != again ? "Admin.PasswordsDiffer"
        : null;
}
