namespace DonorRegistry.Hla;

/// <summary>How names are checked against the loaded release (<see cref="HlaReference.WithNameRules"/>).</summary>
public sealed record HlaNameRules
{
    /// <summary>
    /// Whether renamed or deleted names, and names written without the suffix the release gives them, are refused
    /// rather than followed to the release's current name with a note. Default false: followed, with a note on the typing.
    /// </summary>
    public bool Strict { get; init; }

    /// <summary>
    /// Whether pre-2010 names without colons (<c>A*0201</c>) are converted to the current nomenclature (<c>A*02:01</c>,
    /// or the name <c>hla_nom.txt</c> renamed them to) with a note. Default false: refused, with the current spelling in the message.
    /// </summary>
    public bool ConvertPre2010Names { get; init; }

    /// <summary>The defaults: renamed names followed with a note, pre-2010 names refused.</summary>
    public static HlaNameRules Default { get; } = new();
}
