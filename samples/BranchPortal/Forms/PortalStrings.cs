using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging;

namespace BranchPortal.Forms;

/// <summary>
/// The portal's strings (<see cref="SharedResource"/>) as pages and views receive them, with the operator's log beside
/// them: a storage failure or a workflow time-out a page shows in general words (<see cref="LibraryErrors.Message(IStringLocalizer, Exception)"/>)
/// has its English detail (a path, the disk's words) logged here, for the operator, not the page.
/// </summary>
/// <param name="factory">The localizer factory.</param>
/// <param name="log">The operator's log.</param>
public sealed class PortalStrings(IStringLocalizerFactory factory, ILogger<PortalStrings> log) : IStringLocalizer<SharedResource>
{
    private readonly IStringLocalizer _strings = factory.Create(typeof(SharedResource));

    /// <summary>The operator's log.</summary>
    public ILogger Log { get; } = log;

    /// <inheritdoc />
    public LocalizedString this[string name] => _strings[name];

    /// <inheritdoc />
    public LocalizedString this[string name, params object[] arguments] => _strings[name, arguments];

    /// <inheritdoc />
    public IEnumerable<LocalizedString> GetAllStrings(bool includeParentCultures) => _strings.GetAllStrings(includeParentCultures);
}

/// <summary>The operator's log entries of <see cref="LibraryErrors"/>.</summary>
internal static partial class LibraryErrorLog
{
    /// <summary>A failure the page showed in general words, with the library's English detail.</summary>
    [LoggerMessage(EventId = 4101, Level = LogLevel.Error, Message = "The page showed a general message for {Type}: {Detail}")]
    public static partial void LibraryFailed(this ILogger log, string type, string detail, Exception error);
}
