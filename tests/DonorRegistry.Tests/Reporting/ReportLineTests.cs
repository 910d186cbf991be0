using DonorRegistry.Reporting;
using FluentAssertions;
using NUnit.Framework;

namespace DonorRegistry.Tests.Reporting;

public sealed class ReportLineTests
{
    [Test]
    [SetCulture("de-DE")]
    public void AReportLine_ReadsAsSectionMetricValueWhatItCountsAndMeaning() =>
        new ReportLine("registry", "samples_entered", ReportCounts.Events, 1036, "samples entered into the registry").ToString()
            .Should().Be("registry samples_entered: 1,036 events (samples entered into the registry)");
}
