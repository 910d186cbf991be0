namespace DonorRegistry.Hla;

/// <summary>What reading a typing may use beyond the text: the code table, the release (for pre-2010 renames) and the notes made on the way.</summary>
internal sealed class ParseContext(MacTable? macs, HlaReference? reference = null, bool convertPre2010 = false)
{
    public MacTable? Macs { get; } = macs;

    public HlaReference? Reference { get; } = reference;

    public bool ConvertPre2010 { get; } = convertPre2010;

    /// <summary>Notes made while reading (a pre-2010 name converted), kept on the typing.</summary>
    public List<string> Notes { get; } = [];

    public static ParseContext Of(MacTable? macs) => new(macs);
}
