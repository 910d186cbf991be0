using System.Globalization;
using DonorRegistry.Access;
using DonorRegistry.Audit;
using DonorRegistry.Cases;
using DonorRegistry.Donors;
using DonorRegistry.Storage;

namespace DonorRegistry.Care;

/// <content>Publicity consent and recognition: who may be thanked in public, and what may be published of them.</content>
public sealed partial class CareOperations
{
    // ---- Publicity and recognition ------------------------------------------------------------------

    /// <summary>Records the donor's consent to publicity (their name and story in public thanks).</summary>
    /// <param name="donor">The donor.</param>
    /// <param name="by">Who recorded it.</param>
    /// <exception cref="DonorNotFoundException">No such donor.</exception>
    /// <exception cref="CareRuleException">The donor withdrew from the registry: withdrawal ends publicity for good.</exception>
    /// <exception cref="AccessDeniedException">The actor may not take this action (<see cref="PermissionPolicy"/>, <see cref="RegistryOptions.RequireRoles"/>).</exception>
    public void GivePublicityConsent(DonorId donor, Actor by) => SetConsent(donor, true, by);

    /// <summary>Records that the donor withdrew consent to publicity; from now they appear in no recognition list or export.</summary>
    /// <param name="donor">The donor.</param>
    /// <param name="by">Who recorded it.</param>
    /// <exception cref="DonorNotFoundException">No such donor.</exception>
    /// <exception cref="AccessDeniedException">The actor may not take this action (<see cref="PermissionPolicy"/>, <see cref="RegistryOptions.RequireRoles"/>).</exception>
    public void WithdrawPublicityConsent(DonorId donor, Actor by) => SetConsent(donor, false, by);

    /// <summary>
    /// Whether the donor consents to publicity now. A donor who withdrew from the registry never does: the withdrawal
    /// revokes the consent in its own write, and a withdrawal recorded before that rule counts as revoked too.
    /// </summary>
    /// <param name="donor">The donor.</param>
    /// <returns>True with consent.</returns>
    public bool HasPublicityConsent(DonorId donor) =>
        _writes.Storage.Donations.HasPublicityConsent(donor) && _writes.Storage.Donors.Find(donor)?.Value.State is { } state && state != DonorState.Withdrawn;

    /// <summary>
    /// The second change of a withdrawal's write (<see cref="DonorOperations.Withdraw"/>): publicity consent is revoked
    /// in the same transaction as the donor's withdrawal, so the donor leaves every recognition list and export at
    /// once. The recognitions themselves stay, as anonymous counts in the reports.
    /// </summary>
    internal static void EndPublicity(WriteScope scope, IDonationStore store, DonorId donor)
    {
        if (store.HasPublicityConsent(donor))
        {
            store.SetPublicityConsent(donor, false, scope.Actor, scope.Now);
        }
    }

    /// <summary>Recognises a donor who donated and consents to publicity.</summary>
    /// <param name="donor">The donor.</param>
    /// <param name="kind">Certificate, honour title or story.</param>
    /// <param name="title">Its title or text (1 to 500 characters).</param>
    /// <param name="on">The day given: not in the future.</param>
    /// <param name="by">Who approved it.</param>
    /// <returns>The recognition.</returns>
    /// <exception cref="RegistryValidationException">The kind is unknown, the title blank, too long or with control characters, or the day in the future.</exception>
    /// <exception cref="DonorNotFoundException">No such donor.</exception>
    /// <exception cref="CareRuleException">The donor never donated, or has not consented to publicity (a donor who withdrew never has).</exception>
    /// <exception cref="AccessDeniedException">The actor may not take this action (<see cref="PermissionPolicy"/>, <see cref="RegistryOptions.RequireRoles"/>).</exception>
    public Recognition Recognise(DonorId donor, RecognitionKind kind, string title, DateOnly on, Actor by)
    {
        if (!Enum.IsDefined(kind))
        {
            throw new RegistryValidationException("Recognition.Kind", ((int)kind).ToString(CultureInfo.InvariantCulture), "is not a recognition", "use Certificate, HonourTitle or WorldMarrowDonorDayStory", ValidationCode.NotOneOf, Guard.Args((ValidationArgument.Allowed, "Certificate, HonourTitle, WorldMarrowDonorDayStory")));
        }

        var text = Guard.Text(title, nameof(title));
        NotFuture(on, "Recognition.On", Today());
        return _writes.Write(by, RegistryAction.Recognise, scope =>
        {
            _donors.Get(donor);
            if (FindByDonor(donor).Count == 0)
            {
                throw new CareRuleException("donation", $"Donor {donor} never donated; recognition is for donors who gave.");
            }

            if (!HasPublicityConsent(donor))
            {
                throw new CareRuleException("publicity consent", $"Donor {donor} has not consented to publicity; record their consent before recognising them in public.");
            }

            var recognition = new Recognition("REC-" + _writes.Storage.Next(Sequence.Recognition).ToString("D8", CultureInfo.InvariantCulture), donor, kind, text, on, scope.Actor);
            _writes.Storage.Donations.InsertRecognition(recognition);
            return recognition;
        });
    }

    /// <summary>
    /// The recognitions given between two days that may be published now: donors who withdrew consent are left
    /// out, and inside the anonymity period the collection day and centre are left out.
    /// </summary>
    /// <param name="from">The first day.</param>
    /// <param name="to">The last day, on or after <paramref name="from"/>.</param>
    /// <returns>The entries, by day.</returns>
    /// <exception cref="RegistryValidationException"><paramref name="to"/> is before <paramref name="from"/>.</exception>
    public IReadOnlyList<RecognitionEntry> FindPublishableRecognitions(DateOnly from, DateOnly to)
    {
        Guard.Period(from, to);

        var today = Today();
        return _writes.Storage.Donations.FindRecognitions(from, to)
            .Where(r => HasPublicityConsent(r.Donor))
            .Select(r =>
            {
                var last = FindByDonor(r.Donor).OrderBy(d => d.Details.CollectionEnd).Last().Details;
                var anonymousUntil = last.CollectionEnd.AddYears(_policy.AnonymityYears).AddDays(-1);
                var open = today > anonymousUntil;
                return new RecognitionEntry(r, last.CollectionEnd.Year, last.Product, open ? last.CollectionEnd : null, open ? last.Centre : null, anonymousUntil);
            })
            .OrderBy(e => e.Recognition.On).ThenBy(e => e.Recognition.Id, StringComparer.Ordinal)
            .ToList();
    }
}
