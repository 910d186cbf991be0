using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace BranchPortal.Forms;

/// <summary>
/// One-time tokens for forms that must not act twice (the enrolment form): the page issues one with the form, the
/// post takes it back, and a second post of the same form (a double click, a reload, the back button) finds it gone.
/// Tokens expire after <see cref="Lifetime"/>; a form shown again after a refused post gets a new one.
/// </summary>
/// <param name="time">The clock.</param>
public sealed class OneTimeFormTokens(TimeProvider time)
{
    /// <summary>How long a form's token stays good.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(2);

    private readonly ConcurrentDictionary<string, (string Owner, DateTimeOffset Expires)> _issued = new(StringComparer.Ordinal);

    /// <summary>Issues a token for a user's form.</summary>
    /// <param name="owner">The user (a token is good only for its owner).</param>
    /// <returns>The token.</returns>
    public string Issue(string owner)
    {
        var now = time.GetUtcNow();
        foreach (var stale in _issued.Where(e => e.Value.Expires <= now).Select(e => e.Key).ToList())
        {
            _issued.TryRemove(stale, out _);
        }

        var token = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        _issued[token] = (owner, now + Lifetime);
        return token;
    }

    /// <summary>Takes a token back: true once for a token issued to this user and not expired; false ever after.</summary>
    /// <param name="token">The token the form posted.</param>
    /// <param name="owner">The user posting.</param>
    /// <returns>Whether the form may act.</returns>
    public bool TryRedeem(string? token, string owner) =>
        token is not null && _issued.TryRemove(token, out var issued) && issued.Owner == owner && issued.Expires > time.GetUtcNow();
}
