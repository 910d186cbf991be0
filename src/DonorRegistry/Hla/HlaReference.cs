namespace DonorRegistry.Hla;

/// <summary>
/// The reference tables grading needs beyond the names themselves: G groups (<c>hla_nom_g.txt</c>), P groups
/// (<c>hla_nom_p.txt</c>) and serological antigens (<c>rel_dna_ser.txt</c>) from an IPD-IMGT/HLA release, and
/// optionally NMDP multiple-allele codes. Without them (<see cref="None"/>) grading uses the fields alone
/// and says so in every result.
/// </summary>
public sealed partial class HlaReference
{
    private readonly Dictionary<(HlaLocus, string), string> _gGroups;
    private readonly Dictionary<(HlaLocus, string), string> _pGroups;
    private readonly Dictionary<(HlaLocus, string), string> _serology;
    private readonly Dictionary<(HlaLocus, string), AlleleName[]> _alleles;
    private readonly HlaNomenclature? _names;
    private readonly Dpb1TceTable? _tce;

    private HlaReference(
        HlaReference tables,
        MacTable? macs,
        HlaNameRules rules)
        : this(tables._gGroups, tables._pGroups, tables._serology, tables._alleles, tables._names, tables.Release, macs, rules, tables.Catalog, tce: tables._tce)
    {
    }

    private HlaReference(
        Dictionary<(HlaLocus, string), string> gGroups,
        Dictionary<(HlaLocus, string), string> pGroups,
        Dictionary<(HlaLocus, string), string> serology,
        Dictionary<(HlaLocus, string), AlleleName[]> alleles,
        HlaNomenclature? names,
        string? release,
        MacTable? macs,
        HlaNameRules rules,
        AlleleCatalog? catalog = null,
        IEnumerable<AlleleName>? all = null,
        IEnumerable<(HlaLocus, string, string?, string?)>? relations = null,
        Dpb1TceTable? tce = null)
    {
        _alleles = alleles;
        _tce = tce;
        _gGroups = gGroups;
        _pGroups = pGroups;
        _serology = serology;
        _names = names;
        Release = release;
        Macs = macs;
        NameRules = rules;
        Catalog = catalog ?? new AlleleCatalog(all ?? [], GGroup, PGroup, Serology, relations ?? []);
    }

    /// <summary>The release's alleles as integers, and the cache of graded name pairs, shared by every grader of this release.</summary>
    internal AlleleCatalog Catalog { get; }

    /// <summary>No reference tables: grading compares the allele names' fields only, and names are checked for form, not against a release.</summary>
    public static HlaReference None { get; } = new([], [], [], [], null, null, null, HlaNameRules.Default);

    /// <summary>Whether serological antigens are loaded (<c>rel_dna_ser.txt</c>), so that serology typings can be read.</summary>
    internal bool HasSerology => _serology.Count > 0;

    /// <summary>Whether G and P groups are loaded.</summary>
    public bool HasGroups => _gGroups.Count > 0 && _pGroups.Count > 0;

    /// <summary>Whether names are checked against the release's <c>hla_nom.txt</c> (see <see cref="ParseTyping"/>).</summary>
    public bool ChecksNames => _names is not null;

    /// <summary>How many names the release's <c>hla_nom.txt</c> lists (all loci and serological antigens, current and deleted); 0 without it.</summary>
    public int NameCount => _names?.Count ?? 0;

    /// <summary>
    /// Whether DPB1 T-cell-epitope groups are loaded (<c>dpb_tce.csv</c>, in the release folder since the
    /// current format; 3.24.0 has none). Without them every DPB1 TCE grade is <see cref="Dpb1TceGrade.Unavailable"/>.
    /// </summary>
    public bool HasDpb1Tce => _tce is not null;

    /// <summary>The TCE groups, when loaded.</summary>
    internal Dpb1TceTable? Dpb1Tce => _tce;

    /// <summary>
    /// The DPB1 TCE group of an allele from <c>dpb_tce.csv</c> (version 2 assignment): 1 (most immunogenic) to 3,
    /// 0 when the file gives none (a null allele, not assigned, or a shorter name whose alleles span groups), or null
    /// when the name is not in the file or no file is loaded.
    /// </summary>
    /// <param name="allele">A DPB1 allele name.</param>
    /// <returns>The group.</returns>
    public int? Dpb1TceGroup(AlleleName allele) => allele.Locus == HlaLocus.DPB1 && _tce?.Lookup(allele) is { } found ? found.Group : null;

    /// <summary>The IPD-IMGT/HLA release the tables come from (from the files' <c># version:</c> line), such as <c>IPD-IMGT/HLA 3.58.0</c>, if known.</summary>
    public string? Release { get; }

    /// <summary>The multiple-allele codes, if loaded.</summary>
    public MacTable? Macs { get; }

    /// <summary>How names are checked: renamed names followed or refused, pre-2010 names refused or converted.</summary>
    public HlaNameRules NameRules { get; }

    /// <summary>
    /// Loads an IPD-IMGT/HLA release's WMDA files from a folder: <c>hla_nom.txt</c> (the names),
    /// <c>hla_nom_g.txt</c> and <c>hla_nom_p.txt</c> (G and P groups), <c>rel_dna_ser.txt</c> (serology) and
    /// <c>rel_ser_ser.txt</c> (splits and broads), and <c>dpb_tce.csv</c> (DPB1 TCE groups) when the folder has it.
    /// Both the 2016 layout (3.24.0, without <c>dpb_tce.csv</c>) and the current one with <c>#</c> header lines (3.58.0) load.
    /// </summary>
    /// <param name="folder">The folder.</param>
    /// <returns>The reference.</returns>
    /// <exception cref="HlaReferenceException">The folder is missing, lacks one of the files, or a line is corrupt or of another release.</exception>
    public static HlaReference Load(string folder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        string Required(string name)
        {
            var path = Path.Combine(folder, name);
            return File.Exists(path)
                ? path
                : throw new HlaReferenceException(path, 0, string.Empty, $"is missing; point the library at a folder of IPD-IMGT/HLA WMDA files ({string.Join(", ", Files)})");
        }

        var paths = Files.Select(Required).ToArray();
        using var names = File.OpenText(paths[0]);
        using var g = File.OpenText(paths[1]);
        using var p = File.OpenText(paths[2]);
        using var serology = File.OpenText(paths[3]);
        using var relations = File.OpenText(paths[4]);
        var tcePath = Path.Combine(folder, Dpb1TceTable.File);
        using var tce = File.Exists(tcePath) ? File.OpenText(tcePath) : null;
        return Parse(g, p, serology, names, relations, tce);
    }

    /// <summary>The files <see cref="Load"/> reads.</summary>
    private static readonly string[] Files = ["hla_nom.txt", "hla_nom_g.txt", "hla_nom_p.txt", "rel_dna_ser.txt", "rel_ser_ser.txt"];

    /// <summary>Reads the tables from their texts (the IMGT/HLA WMDA formats).</summary>
    /// <param name="gGroups">The text of <c>hla_nom_g.txt</c>.</param>
    /// <param name="pGroups">The text of <c>hla_nom_p.txt</c>.</param>
    /// <param name="serology">The text of <c>rel_dna_ser.txt</c>, or null.</param>
    /// <param name="names">The text of <c>hla_nom.txt</c>, or null (names are then checked for form only).</param>
    /// <param name="serologyRelations">The text of <c>rel_ser_ser.txt</c> (broad, split and associated antigens), or null (no Associated or Broad grades).</param>
    /// <param name="dpb1Tce">The text of <c>dpb_tce.csv</c> (DPB1 T-cell-epitope groups), or null (DPB1 TCE grades are then <see cref="Dpb1TceGrade.Unavailable"/>).</param>
    /// <returns>The reference.</returns>
    /// <exception cref="HlaReferenceException">A line is malformed, or the texts are of different releases.</exception>
    public static HlaReference Parse(TextReader gGroups, TextReader pGroups, TextReader? serology, TextReader? names = null, TextReader? serologyRelations = null, TextReader? dpb1Tce = null)
    {
        ArgumentNullException.ThrowIfNull(gGroups);
        ArgumentNullException.ThrowIfNull(pGroups);
        string? release = null;
        var nomenclature = names is null ? null : HlaNomenclature.Read(names, "hla_nom.txt", ref release);
        var alleles = new Dictionary<(HlaLocus, string), List<AlleleName>>();
        var all = new List<AlleleName>();
        var g = ReadGroups(gGroups, "hla_nom_g.txt", ref release, alleles, all);
        var p = ReadGroups(pGroups, "hla_nom_p.txt", ref release, null);
        var s = serology is null ? [] : ReadSerology(serology, ref release);
        var relations = serologyRelations is null ? [] : ReadSerologyRelations(serologyRelations, ref release);
        var tce = dpb1Tce is null ? null : Dpb1TceTable.Read(dpb1Tce, ref release);
        return new HlaReference(g, p, s, alleles.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray()), nomenclature, release, null, HlaNameRules.Default, null, all, relations, tce);
    }

    /// <summary>A copy of this reference that also expands NMDP multiple-allele codes.</summary>
    /// <param name="macs">The code table.</param>
    /// <returns>The reference with codes.</returns>
    public HlaReference WithMacTable(MacTable macs)
    {
        ArgumentNullException.ThrowIfNull(macs);
        return new HlaReference(this, macs, NameRules);
    }

    /// <summary>A copy of this reference that checks names by other rules (strict, or converting pre-2010 names).</summary>
    /// <param name="rules">The rules.</param>
    /// <returns>The reference with the rules.</returns>
    public HlaReference WithNameRules(HlaNameRules rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        return new HlaReference(this, Macs, rules);
    }

    /// <summary>The G group of an allele (alleles with identical exons 2 and 3, or exon 2 for class II), or null if unknown or ambiguous at this resolution.</summary>
    /// <param name="allele">The allele.</param>
    /// <returns>The group name, such as <c>02:01:01G</c>, or the allele's own name when it forms a group alone.</returns>
    public string? GGroup(AlleleName allele) => Lookup(_gGroups, allele);

    /// <summary>The P group of an allele (same protein in the antigen-binding domain), or null if unknown or ambiguous at this resolution.</summary>
    /// <param name="allele">The allele.</param>
    /// <returns>The group name, such as <c>02:01P</c>, or the allele's own two-field name when it forms a group alone.</returns>
    public string? PGroup(AlleleName allele) => Lookup(_pGroups, allele);

    /// <summary>
    /// The serological antigens of an allele from every column of <c>rel_dna_ser.txt</c> (<c>2</c> for A*02:01,
    /// <c>15/70</c> when the file assigns two), or null if none is assigned (not expressed, or unknown).
    /// </summary>
    /// <param name="allele">The allele.</param>
    /// <returns>The antigens, joined by '/'.</returns>
    public string? Serology(AlleleName allele) => Lookup(_serology, allele);

    /// <summary>
    /// The full-length alleles a name typed to fewer fields may be: <c>A*02:01</c> → A*02:01:01:01, A*02:01:02, ...
    /// Null alleles are left out unless the name itself is null (a typing without 'N' means an expressed allele).
    /// Without tables, or for a name the tables do not know, the name itself.
    /// </summary>
    /// <param name="allele">The allele name.</param>
    /// <returns>The alleles it may be.</returns>
    public IReadOnlyList<AlleleName> Resolve(AlleleName allele)
    {
        if (allele.FieldCount >= 4 || !_alleles.TryGetValue((allele.Locus, allele.FieldsText(withSuffix: false)), out var candidates))
        {
            return [allele];
        }

        var matching = candidates.Where(c => c.IsNull == allele.IsNull).ToArray();
        return matching.Length > 0 ? matching : [allele];
    }

    private static string? Lookup(Dictionary<(HlaLocus, string), string> table, AlleleName allele) =>
        table.TryGetValue((allele.Locus, allele.FieldsText()), out var value) || table.TryGetValue((allele.Locus, allele.FieldsText(withSuffix: false)), out value)
            ? value.Length == 0 ? null : value
            : null;

    /// <summary>
    /// Reads <c>LOCUS*;allele/allele/...;GROUP</c> lines (an empty group: the allele stands alone). Every
    /// allele maps to its group, and so does every shorter name (2 and 3 fields) whose alleles all share one
    /// group; a shorter name whose alleles span groups maps to "" (ambiguous).
    /// </summary>
    private static Dictionary<(HlaLocus, string), string> ReadGroups(
        TextReader reader, string file, ref string? release, Dictionary<(HlaLocus, string), List<AlleleName>>? alleleIndex, List<AlleleName>? all = null)
    {
        var exact = new Dictionary<(HlaLocus, string), string>();
        var prefixes = new Dictionary<(HlaLocus, string), string>();
        foreach (var (line, number) in Lines(reader))
        {
            if (TryHeader(line, file, number, ref release))
            {
                continue;
            }

            var parts = line.Split(';');
            if (parts.Length < 3 || !parts[0].EndsWith('*'))
            {
                throw new HlaReferenceException(file, number, line, "expected LOCUS*;alleles;group");
            }

            if (!AlleleName.TryLocus(parts[0][..^1], out var locus))
            {
                continue; // loci the registry does not type (DRB3, MICA, ...)
            }

            var alleles = parts[1].Split('/', StringSplitOptions.RemoveEmptyEntries);
            foreach (var allele in alleles)
            {
                var group = parts[2].Length > 0 ? parts[2] : allele;
                exact[(locus, allele)] = group;
                var name = FileName(locus, allele, file, number, line);
                all?.Add(name);
                for (var fields = 1; fields < name.FieldCount; fields++)
                {
                    var key = (locus, name.FieldsText(fields, withSuffix: false));
                    if (fields >= 2)
                    {
                        prefixes[key] = prefixes.TryGetValue(key, out var seen) && seen != group ? string.Empty : group;
                    }

                    if (alleleIndex is not null)
                    {
                        if (!alleleIndex.TryGetValue(key, out var list))
                        {
                            alleleIndex[key] = list = [];
                        }

                        list.Add(name);
                    }
                }
            }
        }

        foreach (var (key, group) in prefixes)
        {
            exact.TryAdd(key, group);
        }

        return exact;
    }

    /// <summary>
    /// Reads <c>LOCUS*;allele;unambiguous;possible;assumed;expert</c> lines. An allele's antigens are those of all four
    /// columns (each may list several, as <c>0/2</c> or <c>15/70</c>), leaving out <c>0</c> (not expressed) and <c>?</c>
    /// (unknown), joined by '/'; an empty string when none is left.
    /// </summary>
    private static Dictionary<(HlaLocus, string), string> ReadSerology(TextReader reader, ref string? release)
    {
        var table = new Dictionary<(HlaLocus, string), string>();
        var prefixes = new Dictionary<(HlaLocus, string), string>();
        foreach (var (line, number) in Lines(reader))
        {
            if (TryHeader(line, "rel_dna_ser.txt", number, ref release))
            {
                continue;
            }

            var parts = line.Split(';');
            if (parts.Length < 6 || !parts[0].EndsWith('*'))
            {
                throw new HlaReferenceException("rel_dna_ser.txt", number, line, "expected LOCUS*;allele;unambiguous;possible;assumed;expert");
            }

            if (!AlleleName.TryLocus(parts[0][..^1], out var locus))
            {
                continue;
            }

            var antigen = string.Join('/', parts[2..6].SelectMany(c => c.Split('/')).Select(a => a.Trim()).Where(a => a.Length > 0 && a != "0" && a != "?").Distinct());
            table[(locus, parts[1])] = antigen;
            var name = FileName(locus, parts[1], "rel_dna_ser.txt", number, line);
            for (var fields = 2; fields < name.FieldCount; fields++)
            {
                var key = (locus, name.FieldsText(fields, withSuffix: false));
                prefixes[key] = prefixes.TryGetValue(key, out var seen) && seen != antigen ? string.Empty : antigen;
            }
        }

        foreach (var (key, antigen) in prefixes)
        {
            table.TryAdd(key, antigen);
        }

        return table;
    }

    /// <summary>
    /// Reads <c>LOCUS;broad;splits;associated</c> lines (serological loci A, B, Cw, DR, DQ): each split gets its broad,
    /// each associated antigen its parent. Loci the registry does not match (Dw) are skipped.
    /// </summary>
    private static List<(HlaLocus, string, string?, string?)> ReadSerologyRelations(TextReader reader, ref string? release)
    {
        var relations = new List<(HlaLocus, string, string?, string?)>();
        foreach (var (line, number) in Lines(reader))
        {
            if (TryHeader(line, "rel_ser_ser.txt", number, ref release))
            {
                continue;
            }

            var parts = line.Split(';');
            if (parts.Length < 4 || parts[1].Length == 0)
            {
                throw new HlaReferenceException("rel_ser_ser.txt", number, line, "expected LOCUS;antigen;splits;associated (splits and associated antigens separated by '/')");
            }

            HlaLocus? locus = parts[0] switch
            {
                "A" => HlaLocus.A,
                "B" => HlaLocus.B,
                "Cw" or "C" => HlaLocus.C,
                "DR" => HlaLocus.DRB1,
                "DQ" => HlaLocus.DQB1,
                _ => null,
            };
            if (locus is not { } known)
            {
                continue;
            }

            relations.AddRange(parts[2].Split('/', StringSplitOptions.RemoveEmptyEntries).Select(split => (known, split, (string?)parts[1], (string?)null)));
            relations.AddRange(parts[3].Split('/', StringSplitOptions.RemoveEmptyEntries).Select(associated => (known, associated, (string?)null, (string?)parts[1])));
        }

        return relations;
    }

    private static AlleleName FileName(HlaLocus locus, string allele, string file, int number, string line)
    {
        try
        {
            return AlleleName.Parse($"{locus}*{allele}");
        }
        catch (HlaParseException e)
        {
            throw new HlaReferenceException(file, number, line, $"'{allele}' is not a WHO allele name ({e.Expected})");
        }
    }

    internal static IEnumerable<(string Line, int Number)> Lines(TextReader reader)
    {
        var number = 0;
        while (reader.ReadLine() is { } line)
        {
            number++;
            if (line.Length > 0)
            {
                yield return (line, number);
            }
        }
    }

    /// <summary>Skips a '#' header line; the version lines of all files must name one release.</summary>
    internal static bool TryHeader(string line, string file, int number, ref string? release)
    {
        if (!line.StartsWith('#'))
        {
            return false;
        }

        const string Version = "# version:";
        if (line.StartsWith(Version, StringComparison.OrdinalIgnoreCase))
        {
            var version = line[Version.Length..].Trim();
            if (release is not null && version != release)
            {
                throw new HlaReferenceException(file, number, line, $"is of {version} while the files read before it are of {release}; load one release's files together");
            }

            release = version;
        }

        return true;
    }
}
