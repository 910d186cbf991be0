using System.Globalization;
using DonorRegistry;
using DonorRegistry.Donors;
using DonorRegistry.Drives;
using DonorRegistry.Workflows.CampusDrive;
using Microsoft.Extensions.Localization;

namespace BranchPortal.Forms;

/// <summary>A problem of one row of a volunteer sheet: its row number, its column (empty for the row as a whole) and the message.</summary>
/// <param name="Row">The row number as the spreadsheet shows it (the header is row 1); 0 for the sheet as a whole.</param>
/// <param name="Column">The column's header name, or empty.</param>
/// <param name="Message">The library's message, or the portal's own words.</param>
public sealed record RowProblem(int Row, string Column, string Message);

/// <summary>What a bulk enrolment did: the donors enrolled (all rows), or the problems (and nobody enrolled).</summary>
/// <param name="Enrolled">The donors, in row order; empty when any row was refused.</param>
/// <param name="Problems">Each refused row's problems, by row.</param>
public sealed record BulkOutcome(IReadOnlyList<Donor> Enrolled, IReadOnlyList<RowProblem> Problems);

/// <summary>
/// Enrols the rows of a volunteer sheet (<see cref="VolunteerSheet"/>) through a drive, all or none. Each row is checked
/// as the single enrolment form checks it: required cells, then the library's <see cref="FormChecks"/> (resident ID with
/// its birth date and sex, phone numbers), then whether the person is already in the registry
/// (<see cref="DonorOperations.FindByNationalId"/>, reported with <see cref="DuplicateDonorException"/>'s message) or
/// twice in the sheet. Only when no row has a problem are all rows enrolled in one call,
/// <see cref="DriveWorkflows.Enrol"/> (one transaction); if the library refuses that call (an age outside the join range,
/// say) nobody is enrolled and its message is put on the row it is about, found by the value it names (the library checks
/// the rows in order and stops at the first it refuses).
/// </summary>
/// <param name="workflows">The drive workflows.</param>
/// <param name="donors">The registry's donors.</param>
/// <param name="t">The strings.</param>
public sealed class BulkEnrolment(DriveWorkflows workflows, DonorOperations donors, IStringLocalizer<SharedResource> t)
{
    private static readonly Dictionary<string, string> Columns = new(StringComparer.OrdinalIgnoreCase)
    {
        ["FullName"] = "name",
        ["NationalId"] = "national_id",
        ["Sex"] = "sex",
        ["BirthDate"] = "birth_date",
        ["Phone"] = "phone",
        ["Address"] = "address",
        ["Abo"] = "abo",
        ["Rh"] = "rh",
        ["Cmv"] = "cmv",
        ["EmergencyContacts"] = "contact_name",
        ["EmergencyContact.Name"] = "contact_name",
        ["EmergencyContact.Relationship"] = "contact_relationship",
        ["EmergencyContact.Phone"] = "contact_phone",
    };

    /// <summary>Checks every row and, when none has a problem, enrols them all in one call.</summary>
    /// <param name="drive">The drive, its enrolment open.</param>
    /// <param name="rows">The sheet's rows.</param>
    /// <param name="by">Who enrols them.</param>
    /// <returns>The donors, or the problems.</returns>
    public BulkOutcome Enrol(DriveId drive, IReadOnlyList<SheetRow> rows, DonorRegistry.Access.Actor by)
    {
        var problems = new List<RowProblem>();
        var requests = new List<EnrolmentRequest>(rows.Count);
        var seen = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        foreach (var row in rows)
        {
            var before = problems.Count;
            var request = Check(row, problems);
            if (problems.Count == before && request is not null)
            {
                var id = request.Personal.NationalId.Trim();
                if (seen.ContainsKey(id))
                {
                    problems.Add(new RowProblem(row.Row, "national_id", LibraryErrors.Message(t, new DuplicateDonorException(null, Mask(id)))));
                }
                else if (donors.FindByNationalId(id) is { } existing)
                {
                    problems.Add(new RowProblem(row.Row, "national_id", LibraryErrors.Message(t, new DuplicateDonorException(existing, Mask(id)))));
                }

                seen[id] = row.Row;
                requests.Add(request);
            }
        }

        if (problems.Count > 0)
        {
            return new BulkOutcome([], problems);
        }

        try
        {
            return new BulkOutcome(workflows.Enrol(drive, requests, by), []);
        }
        catch (DonorAgeOutOfRangeException e)
        {
            var at = rows.Zip(requests).FirstOrDefault(p => p.Second.Profile.BirthDate == e.BirthDate).First;
            problems.Add(new RowProblem(at?.Row ?? 0, at is null ? string.Empty : "birth_date", LibraryErrors.Message(t, e)));
        }
        catch (RegistryValidationException e)
        {
            var column = Columns.TryGetValue(e.Field, out var c) ? c : string.Empty;
            var at = column.Length == 0 || e.Value is null ? null : rows.FirstOrDefault(r => string.Equals(r.Cells[column], e.Value, StringComparison.OrdinalIgnoreCase));
            problems.Add(new RowProblem(at?.Row ?? 0, at is null ? string.Empty : column, LibraryErrors.Message(t, e)));
        }
        catch (DuplicateDonorException e)
        {
            var at = rows.FirstOrDefault(r => Mask(r.Cells["national_id"]) == e.MaskedNationalId);
            problems.Add(new RowProblem(at?.Row ?? 0, "national_id", LibraryErrors.Message(t, e)));
        }

        return new BulkOutcome([], problems);
    }

    /// <summary>The library's way of naming an ID number in a message: the first 6 and last 4 characters.</summary>
    /// <param name="value">The number.</param>
    /// <returns>The masked number.</returns>
    public static string Mask(string value)
    {
        var v = value.Trim();
        return v.Length <= 10 ? new string('*', v.Length) : v[..6] + new string('*', v.Length - 10) + v[^4..];
    }

    private EnrolmentRequest? Check(SheetRow row, List<RowProblem> problems)
    {
        string Cell(string column) => row.Cells[column];
        void Add(string column, string message) => problems.Add(new RowProblem(row.Row, column, message));
        var before = problems.Count;

        foreach (var column in new[] { "name", "national_id", "sex", "phone", "address" })
        {
            if (Cell(column).Length == 0)
            {
                Add(column, t["Error.Required"]);
            }
        }

        Sex? sex = Cell("sex") switch
        {
            "" => null,
            var s when s is "女" || s.Equals("F", StringComparison.OrdinalIgnoreCase) || s.Equals("Female", StringComparison.OrdinalIgnoreCase) => DonorRegistry.Donors.Sex.Female,
            var s when s is "男" || s.Equals("M", StringComparison.OrdinalIgnoreCase) || s.Equals("Male", StringComparison.OrdinalIgnoreCase) => DonorRegistry.Donors.Sex.Male,
            var s => Bad("sex", s),
        };

        DateOnly? birth = null;
        if (Cell("birth_date") is { Length: > 0 } birthText)
        {
            if (DateOnly.TryParseExact(birthText, ["yyyy-MM-dd", "yyyy/M/d", "yyyyMMdd"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            {
                birth = day;
            }
            else
            {
                Add("birth_date", t["Bulk.BadValue", birthText]);
            }
        }
        else if (Cell("national_id") is { Length: 18 } id
            && DateOnly.TryParseExact(id[6..14], "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var fromId))
        {
            // The birth date may be left out: the resident ID number holds it (characters 7 to 14).
            birth = fromId;
        }
        else if (Cell("national_id").Length > 0)
        {
            Add("birth_date", t["Error.Required"]);
        }

        var abo = Parse<AboGroup>("abo");
        var rh = Parse<RhD>("rh");
        var cmv = Parse<CmvStatus>("cmv");

        if (Cell("national_id").Length > 0 && FormChecks.ResidentId(Cell("national_id"), birth, sex) is { } idProblem)
        {
            Add("national_id", LibraryErrors.Message(t, idProblem));
        }

        if (Cell("phone").Length > 0 && FormChecks.PhoneNumber(Cell("phone")) is { } phoneProblem)
        {
            Add("phone", LibraryErrors.Message(t, phoneProblem));
        }

        var hasContact = Cell("contact_name").Length > 0 || Cell("contact_relationship").Length > 0 || Cell("contact_phone").Length > 0;
        if (hasContact)
        {
            foreach (var column in new[] { "contact_name", "contact_relationship" })
            {
                if (Cell(column).Length == 0)
                {
                    Add(column, t["Error.Required"]);
                }
            }

            if (FormChecks.PhoneNumber(Cell("contact_phone"), "EmergencyContact.Phone") is { } contactProblem)
            {
                Add("contact_phone", LibraryErrors.Message(t, contactProblem));
            }
        }

        if (problems.Count > before || sex is null || birth is null)
        {
            return null;
        }

        return new EnrolmentRequest(
            new DonorProfile(sex.Value, birth.Value, abo ?? AboGroup.Unknown, rh ?? RhD.Unknown, cmv ?? CmvStatus.Unknown, null),
            new PersonalData(Cell("name"), Cell("national_id"), Cell("phone"), Cell("address"),
                hasContact ? [new EmergencyContact(Cell("contact_name"), Cell("contact_relationship"), Cell("contact_phone"))] : []));

        Sex? Bad(string column, string value)
        {
            Add(column, t["Bulk.BadValue", value]);
            return null;
        }

        TEnum? Parse<TEnum>(string column)
            where TEnum : struct, Enum
        {
            var text = Cell(column);
            if (text.Length == 0)
            {
                return null;
            }

            if (!text.All(char.IsAsciiDigit) && Enum.TryParse<TEnum>(text, ignoreCase: true, out var value) && Enum.IsDefined(value))
            {
                return value;
            }

            Add(column, t["Bulk.BadValue", text]);
            return null;
        }
    }
}
