using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;

namespace BranchPortal.Accounts;

/// <summary>How a sign-in ended.</summary>
public enum SignInOutcome
{
    /// <summary>The password was right; the user is signed in.</summary>
    Succeeded,

    /// <summary>Unknown user, wrong password or a disabled account: one answer for all three, so names cannot be probed.</summary>
    Failed,

    /// <summary>The account is locked after too many wrong passwords; even the right one is refused until the lock ends.</summary>
    LockedOut,
}

/// <summary>Checks passwords with ASP.NET Core Identity's <see cref="PasswordHasher{TUser}"/>, counts failures, and makes the user's claims.</summary>
/// <param name="accounts">The accounts.</param>
/// <param name="time">The clock.</param>
public sealed class PortalSignIn(IAccountStore accounts, TimeProvider time)
{
    /// <summary>The claim that carries the display name.</summary>
    public const string DisplayNameClaim = "display_name";

    private static readonly PasswordHasher<PortalAccount> Hasher = new();

    /// <summary>A hash to check against when the user is unknown, so that the answer takes as long as for a known user.</summary>
    private static readonly Lazy<string> DecoyHash = new(() => Hasher.HashPassword(null!, Guid.NewGuid().ToString("N")));

    /// <summary>Hashes a password for the store.</summary>
    /// <param name="password">The password.</param>
    /// <returns>The hash.</returns>
    public static string Hash(string password) => Hasher.HashPassword(null!, password);

    /// <summary>Checks a user name and password.</summary>
    /// <param name="userName">The name typed.</param>
    /// <param name="password">The password typed.</param>
    /// <returns>The outcome, and the signed-in principal when it succeeded.</returns>
    public (SignInOutcome Outcome, ClaimsPrincipal? User) Check(string? userName, string? password)
    {
        var account = string.IsNullOrWhiteSpace(userName) ? null : accounts.Find(userName);
        if (account is null || account.Disabled)
        {
            Hasher.VerifyHashedPassword(null!, DecoyHash.Value, password ?? string.Empty);
            return (SignInOutcome.Failed, null);
        }

        if (account.IsLockedAt(time.GetUtcNow()))
        {
            return (SignInOutcome.LockedOut, null);
        }

        if (Hasher.VerifyHashedPassword(account, account.PasswordHash, password ?? string.Empty) == PasswordVerificationResult.Failed)
        {
            account = accounts.RecordFailedSignIn(account.UserName);
            return (account.IsLockedAt(time.GetUtcNow()) ? SignInOutcome.LockedOut : SignInOutcome.Failed, null);
        }

        account = accounts.RecordSignIn(account.UserName);
        return (SignInOutcome.Succeeded, Principal(account));
    }

    /// <summary>The signed-in principal of an account: its name, display name and roles.</summary>
    /// <param name="account">The account.</param>
    /// <returns>The principal, for the sign-in cookie.</returns>
    public static ClaimsPrincipal Principal(PortalAccount account)
    {
        ArgumentNullException.ThrowIfNull(account);
        var claims = new List<Claim>
        {
            new(ClaimTypes.Name, account.UserName),
            new(DisplayNameClaim, account.DisplayName),
        };
        claims.AddRange(account.Roles.Select(r => new Claim(ClaimTypes.Role, r.ToString())));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, CookieAuthenticationDefaults.AuthenticationScheme));
    }
}
