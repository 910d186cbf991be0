namespace DonorRegistry.Reporting;

/// <summary>One place's values over the years, for <see cref="ReportCharts.PlacesByYear"/>.</summary>
/// <param name="Name">The place's name, as people know it (北京第二外国语学院).</param>
/// <param name="Code">A short code in Latin letters (BISU), shown instead of the name when no CJK font is installed.</param>
/// <param name="Values">A value per year, in the years' order.</param>
public sealed record PlaceSeries(string Name, string Code, IReadOnlyList<int> Values);
