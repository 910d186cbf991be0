using System.Globalization;

namespace DonorRegistry.Hla;

/// <summary>
/// The names of a release from <c>hla_nom.txt</c> (<c>LOCUS*;name;added;deleted;renamed to;reason</c>): which are
/// current, which were deleted and what replaced them. Checks typed names against them.
/// </summary>
internal sealed class HlaNomenclature
{
    private const int MaxRenames = 8;
    private readonly Dictionary<(HlaLocus, string), Entry> _entries = [];
    private readonly HashSet<(HlaLocus, string)> _prefixes = [];
    private readonly Dictionary<(HlaLocus, string), List<string>> _bySuffixless = [];

    /// <summary>How many names the file lists (every locus and serological antigen, current and deleted).</summary>
    public int Count { get; private set; }

    /// <summary>Reads the file; loci the registry does not type are counted but not kept.</summary>
    public static HlaNomenclature Read(TextReader reader, string file, ref string? release)
    {
        var names = new HlaNomenclature();
        foreach (var (line, number) in HlaReference.Lines(reader))
        {
            if (HlaReference.TryHeader(line, file, number, ref release))
            {
                continue;
            }

            var parts = line.Split(';');
            if (parts.Length < 6 || parts[0].Length == 0 || parts[1].Length == 0)
            {
                throw new HlaReferenceException(file, number, line, "expected LOCUS*;name;added;deleted;renamed to;reason (six fields separated by ';')");
            }

            names.Count++;
            if (!parts[0].EndsWith('*') || !AlleleName.TryLocus(parts[0][..^1], out var locus))
            {
                continue; // serological antigens (A;2;...) and loci the registry does not type (DRB3*, MICA*, ...)
            }

            var deleted = parts[3].Length > 0;
            names._entries[(locus, parts[1])] = new Entry(deleted, parts[4].Length > 0 ? parts[4] : null, parts[3], parts[5], line);
            if (deleted)
            {
                continue;
            }

            AlleleName name;
            try
            {
                name = AlleleName.Parse($"{locus}*{parts[1]}");
            }
            catch (HlaParseException e)
            {
                throw new HlaReferenceException(file, number, line, $"the current name '{parts[1]}' is not a WHO allele name ({e.Expected})");
            }

            for (var fields = 1; fields < name.FieldCount; fields++)
            {
                names._prefixes.Add((locus, name.FieldsText(fields, withSuffix: false)));
            }

            var bare = (locus, name.FieldsText(withSuffix: false));
            if (!names._bySuffixless.TryGetValue(bare, out var list))
            {
                names._bySuffixless[bare] = list = [];
            }

            list.Add($"{locus}*{parts[1]}");
        }

        return names;
    }

    /// <summary>
    /// The name an old-style name (<c>0105N</c>) was renamed to, when the file lists it; null when it does not.
    /// An old name the file lists as deleted without successor is refused.
    /// </summary>
    public string? LegacyRename(HlaLocus locus, string old, string release)
    {
        if (!_entries.TryGetValue((locus, old), out var entry))
        {
            return null;
        }

        return entry.RenamedTo ?? throw new HlaNameException($"{locus}*{old}", release, $"{locus}*{old} was deleted on {Day(entry.DeletedOn)} ({entry.Reason}) and has no successor (hla_nom.txt: '{entry.Line}')");
    }

    /// <summary>
    /// The release's current name for a typed one, and a note when it is not the typed name; or a refusal that
    /// names the name, the release and what it would accept.
    /// </summary>
    public (AlleleName Name, string? Note) Check(AlleleName name, HlaNameRules rules, string release)
    {
        var typed = name;
        var notes = new List<string>();
        for (var hop = 0; hop < MaxRenames; hop++)
        {
            var text = name.FieldsText();
            if (_entries.TryGetValue((name.Locus, text), out var entry))
            {
                if (!entry.Deleted)
                {
                    return (name, notes.Count == 0 ? null : string.Join("; ", notes));
                }

                if (entry.RenamedTo is null)
                {
                    throw new HlaNameException(typed.ToString(), release, $"{name} was deleted on {Day(entry.DeletedOn)} ({entry.Reason}) and has no successor (hla_nom.txt: '{entry.Line}')");
                }

                var successor = AlleleName.Parse($"{name.Locus}*{entry.RenamedTo}");
                if (rules.Strict)
                {
                    throw new HlaNameException(typed.ToString(), release, $"{name} was renamed {successor} on {Day(entry.DeletedOn)} ({entry.Reason}); strict names refuse it, so type it as {successor} (hla_nom.txt: '{entry.Line}')", successor.ToString());
                }

                notes.Add($"{name} was renamed {successor} in {release} ({entry.Reason}; hla_nom.txt: '{entry.Line}')");
                name = successor;
                continue;
            }

            if (name.Suffix == '\0' && _prefixes.Contains((name.Locus, text)))
            {
                return (name, notes.Count == 0 ? null : string.Join("; ", notes));
            }

            if (_bySuffixless.TryGetValue((name.Locus, name.FieldsText(withSuffix: false)), out var variants))
            {
                var only = variants.Count == 1 ? AlleleName.Parse(variants[0]) : (AlleleName?)null;
                if (name.Suffix == '\0' && only is { IsNull: false } expressed && !rules.Strict)
                {
                    notes.Add($"{name} is written without its suffix; {release} names it {expressed}");
                    return (expressed, string.Join("; ", notes));
                }

                var why = only is { IsNull: true } && name.Suffix == '\0'
                    ? $"the release has the null allele {only}, and a name without 'N' means an expressed allele; write {only} if the lab meant it"
                    : rules.Strict && name.Suffix == '\0'
                        ? $"the release names it {string.Join(" or ", variants)}, with a suffix; strict names refuse it without"
                        : $"the release has {string.Join(" and ", variants)}, with another suffix";
                throw new HlaNameException(typed.ToString(), release, why, variants.Count == 1 ? variants[0] : null);
            }

            throw new HlaNameException(typed.ToString(), release, $"{name} is not an allele of the release (hla_nom.txt lists no such name at {name.Locus}, current or deleted)");
        }

        throw new HlaNameException(typed.ToString(), release, $"its renames do not end within {MaxRenames} steps");
    }

    private static string Day(string yyyymmdd) =>
        DateOnly.TryParseExact(yyyymmdd, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            ? day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
            : yyyymmdd;

    private sealed record Entry(bool Deleted, string? RenamedTo, string DeletedOn, string Reason, string Line);
}
