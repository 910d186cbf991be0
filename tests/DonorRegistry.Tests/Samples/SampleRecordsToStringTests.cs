using DonorRegistry.Samples;
using FluentAssertions;
using NUnit.Framework;

namespace DonorRegistry.Tests.Samples;

/// <summary>Shipments and import results read as one line, in any culture.</summary>
[SetCulture("de-DE")]
public sealed class SampleRecordsToStringTests
{
    private static readonly DateTimeOffset Dispatched = new(2026, 6, 1, 16, 0, 0, TimeSpan.FromHours(8));

    [Test]
    public void AShipment_NamesItsLabTimeSenderAndTubes() =>
        new Shipment("SHP-00000001", "HLA lab", Dispatched, ["T-1", "T-2", "T-3"], "nurse.chen").ToString()
            .Should().Be("SHP-00000001 to HLA lab at 2026-06-01T08:00:00Z by nurse.chen: 3 tubes (T-1, T-2, T-3)");

    [Test]
    public void ALargeShipment_NamesItsFirstFiveTubesAndCountsTheRest() =>
        new Shipment("SHP-00000002", "HLA lab", Dispatched, Enumerable.Range(1, 1200).Select(i => $"T-{i}").ToList(), "nurse.chen").ToString()
            .Should().Be("SHP-00000002 to HLA lab at 2026-06-01T08:00:00Z by nurse.chen: 1,200 tubes (T-1, T-2, T-3, T-4, T-5 and 1,195 more)");

    [Test]
    public void AnImportResult_CountsItsRowsAndNamesTheBadLines()
    {
        new TypingImportResult(12, 10, 1, 10, [new TypingImportError(13, "T-9", "A*24:0X is not an allele")]).ToString()
            .Should().Be("12 rows: 10 imported, 1 already imported, 10 listed; 1 bad row, at line 13");
        new TypingImportResult(3, 1, 0, 0, [new TypingImportError(2, "", "no barcode"), new TypingImportError(4, "T-3", "never shipped")]).ToString()
            .Should().Be("3 rows: 1 imported, 0 already imported, 0 listed; 2 bad rows, at lines 2, 4");
        new TypingImportResult(1, 1, 0, 1, []).ToString().Should().Be("1 row: 1 imported, 0 already imported, 1 listed; no bad rows");
    }

    [Test]
    public void AnImportError_NamesItsLineBarcodeAndReason() =>
        new TypingImportError(13, "", "the barcode is blank").ToString().Should().Be("line 13 (no barcode): the barcode is blank");
}
