using Microsoft.Extensions.Logging;

namespace DonorRegistry.Reporting;

/// <summary>
/// How <see cref="ReportCharts"/> draws: in which language, with which font, and where it logs. Checked before
/// anything is drawn or written.
/// </summary>
/// <remarks>
/// Chinese labels need a CJK font. Without <see cref="FontPath"/> the charts ask fontconfig for one
/// (<c>fc-match 'Noto Sans CJK SC:lang=zh-cn'</c>, kept only when <c>fc-list :lang=zh</c> lists it; on Debian the
/// package <c>fonts-noto-cjk</c>). When none is installed a Chinese chart is drawn with English labels, and a
/// warning is logged; names in the data (drives, places) are then replaced by their codes.
/// </remarks>
public sealed class ChartOptions
{
    /// <summary>The language of titles, axes and labels: <c>zh-CN</c> (the default) or <c>en</c>; see <see cref="ReportCulture.Get"/>.</summary>
    public string Culture { get; set; } = ReportCulture.Chinese.Name;

    /// <summary>A TrueType or OpenType font file (.ttf, .otf, or a .ttc collection, whose simplified-Chinese face is taken) to draw with; null to ask fontconfig.</summary>
    public string? FontPath { get; set; }

    /// <summary>Where the fallback to English labels is logged; null for nowhere.</summary>
    public ILogger? Logger { get; set; }

    /// <summary>
    /// Checks the options as every chart call does, so that a host can refuse them before it starts its work: the
    /// culture is known, the font path (when given) is a font; and says whether a CJK font will draw the charts.
    /// </summary>
    /// <returns>True when a CJK font draws the charts; false when there is none and a Chinese chart falls back to English.</returns>
    /// <exception cref="RegistryValidationException">The culture is unknown, or the font path is blank, does not exist or is not a font.</exception>
    public bool Check() => ChartFont.Resolve(this, log: false).Cjk;
}
