namespace DonorRegistry.Samples;

/// <summary>What an import of the lab's typing results did.</summary>
/// <param name="Rows">Data rows read (the header not counted).</param>
/// <param name="Imported">Rows whose typing was recorded now: the sample and the donor are typed.</param>
/// <param name="AlreadyImported">Rows whose very typing was recorded before (a re-import); nothing changed for them.</param>
/// <param name="Listed">Donors listed as searchable now, because their drive lists typed donors automatically.</param>
/// <param name="Errors">Rows that were not imported, with their line and reason, in file order.</param>
public sealed record TypingImportResult(int Rows, int Imported, int AlreadyImported, int Listed, IReadOnlyList<TypingImportError> Errors)
{
    /// <summary>One line a person can read: <c>12 rows: 10 imported, 1 already imported, 10 listed; 1 bad row, at line 13</c>. Each error prints its own line.</summary>
    /// <returns>The line.</returns>
    public override string ToString() =>
        $"{Readable.Count(Rows, "row")}: {Readable.Number(Imported)} imported, {Readable.Number(AlreadyImported)} already imported, {Readable.Number(Listed)} listed; "
        + (Errors.Count == 0 ? "no bad rows" : $"{Readable.Count(Errors.Count, "bad row")}, at {(Errors.Count == 1 ? "line" : "lines")} {Readable.List(Errors.Select(e => Readable.Number(e.Line)).ToList())}");
}
