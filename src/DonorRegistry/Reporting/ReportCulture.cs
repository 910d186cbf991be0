using System.Globalization;
using DonorRegistry.Care;
using DonorRegistry.Cases;
using DonorRegistry.Donors;
using DonorRegistry.Drives;

namespace DonorRegistry.Reporting;

/// <summary>
/// The language of what a branch hands out: report lines, CSV and XLSX headers, chart texts. Two are kept,
/// Chinese (<c>zh-CN</c>, the default) and English (<c>en</c>); every label has both. A host chooses one per export
/// or chart call (<see cref="ReportExportOptions.Culture"/>, <c>ChartOptions.Culture</c> in DonorRegistry.Charts):
/// a report is data, its labels are chosen when it is written.
/// </summary>
public sealed class ReportCulture
{
    /// <summary>The culture names <see cref="Get"/> accepts, as the message of a refused name lists them.</summary>
    public const string Accepted = "zh-CN (also zh, zh-Hans, zh-Hans-CN) or en (also en-US, en-GB)";

    private ReportCulture(string name, bool chinese)
    {
        Name = name;
        IsChinese = chinese;
    }

    /// <summary>Chinese, simplified, as in mainland China: <c>zh-CN</c>. The default.</summary>
    public static ReportCulture Chinese { get; } = new("zh-CN", chinese: true);

    /// <summary>English: <c>en</c>.</summary>
    public static ReportCulture English { get; } = new("en", chinese: false);

    /// <summary>The culture's name: <c>zh-CN</c> or <c>en</c>.</summary>
    public string Name { get; }

    /// <summary>Whether the labels are Chinese (a chart then needs a CJK font).</summary>
    public bool IsChinese { get; }

    /// <summary>The culture of a name, case-insensitive.</summary>
    /// <param name="name">zh-CN (also zh, zh-Hans, zh-Hans-CN) or en (also en-US, en-GB).</param>
    /// <returns>The culture.</returns>
    /// <exception cref="RegistryValidationException">The name is blank or not one of those.</exception>
    public static ReportCulture Get(string name)
    {
        switch (name?.Trim().ToUpperInvariant())
        {
            case "ZH-CN" or "ZH" or "ZH-HANS" or "ZH-HANS-CN":
                return Chinese;
            case "EN" or "EN-US" or "EN-GB":
                return English;
            default:
                throw new RegistryValidationException("Culture", name, string.IsNullOrWhiteSpace(name) ? "is blank" : "is not a culture reports are written in", "give " + Accepted);
        }
    }

    /// <summary>The culture's name.</summary>
    /// <returns><see cref="Name"/>.</returns>
    public override string ToString() => Name;

    /// <summary>A report line's label: <c>血样入库</c> or <c>Samples entered</c>.</summary>
    /// <param name="line">The line.</param>
    /// <returns>The label.</returns>
    public string Label(ReportLine line)
    {
        Guard.NotNull(line, nameof(line), "give a report line");
        if (line.Metric.StartsWith(CasesAt, StringComparison.Ordinal) && Enum.TryParse<CaseState>(line.Metric[CasesAt.Length..], ignoreCase: true, out var stage))
        {
            return IsChinese ? "配型案例：" + Stage(stage) : "Cases at " + Stage(stage);
        }

        return Labels.TryGetValue(line.Metric, out var text) ? Pick(text.Zh, text.En) : line.Metric;
    }

    /// <summary>A metric's label by its code: <c>samples_entered</c> is <c>血样入库</c> or <c>Samples entered</c>.</summary>
    /// <param name="metric">The code, as <see cref="ReportLine.Metric"/> gives it (not a <c>cases_at_</c> line).</param>
    /// <returns>The label.</returns>
    /// <exception cref="RegistryValidationException">The code is not a report line's.</exception>
    public string Label(string metric) =>
        metric is not null && Labels.TryGetValue(metric, out var text)
            ? Pick(text.Zh, text.En)
            : throw new RegistryValidationException(nameof(metric), metric, "is not a report line's code", "give one of " + string.Join(", ", Labels.Keys));

    /// <summary>What a report line means, in a sentence: the rule of what it counts.</summary>
    /// <param name="line">The line.</param>
    /// <returns>The sentence.</returns>
    public string Meaning(ReportLine line)
    {
        Guard.NotNull(line, nameof(line), "give a report line");
        if (!IsChinese)
        {
            return line.Meaning;
        }

        if (line.Metric.StartsWith(CasesAt, StringComparison.Ordinal) && Enum.TryParse<CaseState>(line.Metric[CasesAt.Length..], ignoreCase: true, out var stage))
        {
            return $"其中现在（报告日）处于“{Stage(stage)}”的案例";
        }

        if (line.Metric == "potential_matches" && line.Counts == ReportCounts.People)
        {
            return "本活动的志愿者中已开启配型案例的人数";
        }

        return Labels.TryGetValue(line.Metric, out var text) ? text.ZhMeaning : line.Meaning;
    }

    /// <summary>A section's name: <c>招募</c> or <c>Recruitment</c>.</summary>
    /// <param name="section">recruitment, registry, matching, donation, care or recognition.</param>
    /// <returns>The name; an unknown section as given.</returns>
    public string Section(string section) => section switch
    {
        "recruitment" => Pick("招募", "Recruitment"),
        "registry" => Pick("入库", "Registry"),
        "matching" => Pick("配型", "Matching"),
        "donation" => Pick("捐献", "Donation"),
        "care" => Pick("关怀随访", "Care"),
        "recognition" => Pick("表彰", "Recognition"),
        "volunteers" => Pick("志愿者", "Volunteers"),
        _ => section,
    };

    /// <summary>What a line counts: <c>人次</c>/<c>人</c>/<c>处</c>, or events/people/places.</summary>
    /// <param name="counts">The kind.</param>
    /// <returns>The word.</returns>
    public string Counts(ReportCounts counts) => counts switch
    {
        ReportCounts.People => Pick("人", "people"),
        ReportCounts.Places => Pick("处", "places"),
        _ => Pick("次", "events"),
    };

    /// <summary>A match case's stage: <c>已采集</c> or <c>Collected</c>.</summary>
    /// <param name="stage">The stage.</param>
    /// <returns>The name.</returns>
    public string Stage(CaseState stage) => stage switch
    {
        CaseState.PotentialMatch => Pick("初配", "potential match"),
        CaseState.DonorContacted => Pick("已联系", "donor contacted"),
        CaseState.Declined => Pick("婉拒", "declined"),
        CaseState.Consented => Pick("同意", "consented"),
        CaseState.CtSampleRequested => Pick("待高分辨血样", "CT sample requested"),
        CaseState.CtTyped => Pick("高分辨完成", "CT typed"),
        CaseState.Selected => Pick("被选中", "selected"),
        CaseState.WorkupRequested => Pick("待体检", "work-up requested"),
        CaseState.InformationSession => Pick("知情谈话", "information session"),
        CaseState.MedicalExam => Pick("体检", "medical exam"),
        CaseState.Cleared => Pick("体检合格", "cleared"),
        CaseState.Mobilizing => Pick("动员", "mobilizing"),
        CaseState.Apheresis => Pick("单采", "apheresis"),
        CaseState.MarrowHarvest => Pick("骨髓采集", "marrow harvest"),
        CaseState.Collected => Pick("已采集", "collected"),
        CaseState.ProductDelivered => Pick("已送达", "product delivered"),
        CaseState.Closed => Pick("已结案", "closed"),
        CaseState.Cancelled => Pick("已取消", "cancelled"),
        _ => stage.ToString(),
    };

    /// <summary>A drive's kind: <c>高校</c>/<c>社区</c> or Campus/Community.</summary>
    /// <param name="kind">The kind.</param>
    /// <returns>The name.</returns>
    public string Kind(DriveKind kind) => kind switch
    {
        DriveKind.Campus => Pick("高校", "Campus"),
        DriveKind.Community => Pick("社区", "Community"),
        _ => kind.ToString(),
    };

    /// <summary>A recognition's kind: <c>荣誉证书</c> or Certificate.</summary>
    /// <param name="kind">The kind.</param>
    /// <returns>The name.</returns>
    public string Kind(RecognitionKind kind) => kind switch
    {
        RecognitionKind.Certificate => Pick("荣誉证书", "Certificate"),
        RecognitionKind.HonourTitle => Pick("荣誉称号", "Honour title"),
        RecognitionKind.WorldMarrowDonorDayStory => Pick("世界骨髓捐献者日故事", "World Marrow Donor Day story"),
        _ => kind.ToString(),
    };

    /// <summary>A donated product: <c>外周血造血干细胞</c> or PBSC.</summary>
    /// <param name="product">The product.</param>
    /// <returns>The name.</returns>
    public string Product(DonationProduct product) => product switch
    {
        DonationProduct.Pbsc => Pick("外周血造血干细胞", "PBSC"),
        DonationProduct.BoneMarrow => Pick("骨髓", "Bone marrow"),
        DonationProduct.Lymphocytes => Pick("淋巴细胞", "Lymphocytes"),
        _ => product.ToString(),
    };

    /// <summary>An appreciation occasion: <c>春节</c> or Spring Festival.</summary>
    /// <param name="occasion">The occasion.</param>
    /// <returns>The name.</returns>
    public string Occasion(AppreciationOccasion occasion) => occasion switch
    {
        AppreciationOccasion.AtDonation => Pick("捐献时", "At donation"),
        AppreciationOccasion.AfterDonation => Pick("捐献后", "After donation"),
        AppreciationOccasion.SpringFestival => Pick("春节", "Spring Festival"),
        AppreciationOccasion.MidAutumnFestival => Pick("中秋节", "Mid-Autumn Festival"),
        AppreciationOccasion.WorldMarrowDonorDay => Pick("世界骨髓捐献者日", "World Marrow Donor Day"),
        _ => occasion.ToString(),
    };

    /// <summary>A share as a percentage with one decimal, <c>57.1%</c>; empty for none.</summary>
    /// <param name="share">The share (1 is 100%), or null.</param>
    /// <returns>The text.</returns>
    public static string Percent(double? share) => share is { } v ? (v * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%" : string.Empty;

    /// <summary>One of two texts: the Chinese one for <see cref="Chinese"/>, else the English one.</summary>
    /// <param name="chinese">The Chinese text.</param>
    /// <param name="english">The English text.</param>
    /// <returns>The text in this culture.</returns>
    public string Pick(string chinese, string english) => IsChinese ? chinese : english;

    private const string CasesAt = "cases_at_";

    private static readonly Dictionary<string, (string Zh, string En, string ZhMeaning)> Labels = new(StringComparer.Ordinal)
    {
        ["lectures"] = ("科普讲座", "Lectures", "举办的造血干细胞知识讲座（按举办日计）"),
        ["lecture_venues"] = ("讲座地点", "Lecture venues", "这些讲座的不同地点"),
        ["attendees"] = ("听众", "Attendees", "讲座的听众（同一人听两场计两次）"),
        ["enrolled"] = ("报名登记", "Enrolments", "报名登记的次数（退出后再次报名计两次）"),
        ["samples_collected"] = ("采集血样", "Samples collected", "采集的血样，含重新采集"),
        ["donors_sampled"] = ("采样人数", "Donors sampled", "提供这些血样的志愿者"),
        ["samples_entered"] = ("血样入库", "Samples entered", "分型结果录入资料库的血样（按导入日计）"),
        ["donors_listed"] = ("志愿者入库", "Donors listed", "首次列为可检索的志愿者（入库）"),
        ["searches"] = ("患者检索", "Searches", "为患者进行的检索"),
        ["potential_matches"] = ("初配结果", "Potential matches", "这些检索返回的初配志愿者"),
        ["cases_opened"] = ("配型案例", "Cases opened", "开启的配型案例"),
        ["donations"] = ("捐献", "Donations", "采集次数，按最后采集日计（为同一患者再次捐献再计一次）"),
        ["donors_who_donated"] = ("捐献人数", "Donors who donated", "完成这些采集的捐献者"),
        ["follow_ups_done"] = ("完成随访", "Follow-ups done", "完成的随访检查"),
        ["follow_ups_overdue"] = ("逾期随访", "Follow-ups overdue", "期内在报告日（或期末）前到期而未完成的随访检查"),
        ["visits_done"] = ("慰问", "Visits made", "进行的慰问"),
        ["visits_skipped"] = ("未慰问（有原因）", "Visits skipped", "有原因未进行的慰问"),
        ["visits_due"] = ("待慰问", "Visits due", "期内到期而未进行也未说明原因的慰问（期间未结束时含稍后到期的）"),
        ["recognitions"] = ("表彰", "Recognitions", "给予的表彰"),
        ["recognitions_publishable"] = ("可公开的表彰", "Publishable recognitions", "其中捐献者现在同意公开的"),
    };
}
