namespace DonorRegistry.Reporting;

/// <summary>
/// How <see cref="ReportExport"/> writes a file a branch hands out: in which language (headers, labels, kinds) and,
/// for CSV, whether the file starts with a UTF-8 byte order mark (Excel on Chinese Windows reads a CSV without one as
/// GBK and garbles it). Checked before anything is written.
/// </summary>
public sealed class ReportExportOptions
{
    /// <summary>The language of headers and labels: <c>zh-CN</c> (the default) or <c>en</c>; see <see cref="ReportCulture.Get"/>.</summary>
    public string Culture { get; set; } = ReportCulture.Chinese.Name;

    /// <summary>Whether a CSV starts with a UTF-8 byte order mark; null (the default): yes for Chinese, no for English.</summary>
    public bool? ByteOrderMark { get; set; }

    /// <summary>The options checked: the culture, and whether a CSV gets a byte order mark.</summary>
    /// <exception cref="RegistryValidationException">The culture is not one reports are written in.</exception>
    internal (ReportCulture Culture, bool Bom) Resolve()
    {
        var culture = ReportCulture.Get(Culture);
        return (culture, ByteOrderMark ?? culture.IsChinese);
    }
}
