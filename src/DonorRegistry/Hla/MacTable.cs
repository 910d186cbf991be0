namespace DonorRegistry.Hla;

/// <summary>
/// NMDP multiple-allele codes (<c>A*02:AB</c> = <c>A*02:01/02:02</c>), read from the NMDP code file
/// (<c>alpha.v3.txt</c>: a <c>LAST UPDATED</c> line, a tab-separated <c>*</c>/<c>CODE</c>/<c>SUBTYPE</c> header, a blank
/// line, then one code and its subtype list per line; a leading <c>*</c> marks codes that list full names).
/// </summary>
public sealed class MacTable
{
    private readonly Dictionary<string, string[]> _codes;

    private MacTable(Dictionary<string, string[]> codes) => _codes = codes;

    /// <summary>How many codes the table holds.</summary>
    public int Count => _codes.Count;

    /// <summary>Reads an NMDP code file. Header lines and blank lines are skipped.</summary>
    /// <param name="reader">The file's text.</param>
    /// <returns>The table.</returns>
    /// <exception cref="HlaParseException">A code line has no subtype list, or a subtype is not numeric.</exception>
    public static MacTable Parse(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var codes = new Dictionary<string, string[]>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            var parts = line.Split(['\t', ' '], StringSplitOptions.RemoveEmptyEntries);
            var tokens = parts.Where(p => p != "*").ToArray();
            if (tokens.Length != 2 || !tokens[0].All(char.IsAsciiLetterUpper) || (tokens[0] == "CODE" && tokens[1] == "SUBTYPE"))
            {
                continue; // the "LAST UPDATED" line, the "*\tCODE\tSUBTYPE" header, blank lines
            }

            var subtypes = tokens[1].Split('/');
            foreach (var subtype in subtypes)
            {
                if (subtype.Length == 0 || !subtype.All(c => char.IsAsciiDigit(c) || c == ':'))
                {
                    throw new HlaParseException(line, line.IndexOf(tokens[1], StringComparison.Ordinal), $"a subtype list of fields such as 01/02 for code {tokens[0]}");
                }
            }

            codes[tokens[0]] = subtypes;
        }

        return new MacTable(codes);
    }

    /// <summary>A table from code → subtype list pairs (<c>("AB", "01/02")</c>), for tests and small registries.</summary>
    /// <param name="codes">The codes.</param>
    /// <returns>The table.</returns>
    public static MacTable FromCodes(IEnumerable<KeyValuePair<string, string>> codes)
    {
        ArgumentNullException.ThrowIfNull(codes);
        var text = string.Join('\n', codes.Select(kv => $"{kv.Key}\t{kv.Value}"));
        return Parse(new StringReader(text));
    }

    /// <summary>Whether the table knows a code.</summary>
    /// <param name="code">The letters, such as AB.</param>
    /// <returns>Whether it is known.</returns>
    public bool Contains(string code) => _codes.ContainsKey(code);

    /// <summary>The alleles a code stands for at a locus and family: <c>A*02:AB</c> → A*02:01, A*02:02.</summary>
    internal IReadOnlyList<AlleleName> Expand(HlaLocus locus, int family, string code, string text, int position)
    {
        if (!_codes.TryGetValue(code, out var subtypes))
        {
            throw new HlaParseException(text, position, $"a multiple-allele code the loaded table knows, not '{code}'");
        }

        var alleles = new List<AlleleName>(subtypes.Length);
        foreach (var subtype in subtypes)
        {
            // Allele-specific codes list second fields (01/02); generic ones list whole names (01:01/02:01).
            var name = subtype.Contains(':', StringComparison.Ordinal) ? $"{locus}*{subtype}" : $"{locus}*{family:D2}:{subtype}";
            alleles.Add(AlleleName.Parse(name));
        }

        return alleles;
    }
}
