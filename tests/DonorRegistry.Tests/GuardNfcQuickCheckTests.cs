using System.Text;
using FluentAssertions;
using NUnit.Framework;

namespace DonorRegistry.Tests;

/// <summary>
/// <see cref="Guard.Nfc"/> answers "already form C" without ICU for text of characters below U+0300 and CJK unified
/// ideographs; it agrees with ICU on every such character, on random text of them, and leaves other text to ICU.
/// </summary>
public sealed class GuardNfcQuickCheckTests
{
    private static readonly (int From, int To)[] QuickRanges = [(0, 0x2FF), (0x3400, 0x4DBF), (0x4E00, 0x9FFF)];

    [Test]
    public void EveryCharacterItPasses_IsInFormC()
    {
        foreach (var (from, to) in QuickRanges)
        {
            for (var c = from; c <= to; c++)
            {
                var text = ((char)c).ToString();
                Guard.IsNfcByQuickCheck(text).Should().BeTrue();
                text.IsNormalized(NormalizationForm.FormC).Should().BeTrue($"U+{c:X4} is in form C");
            }
        }
    }

    [Test]
    public void RandomTextOfThoseCharacters_AgreesWithIcu()
    {
        var random = new Random(13);
        for (var n = 0; n < 20_000; n++)
        {
            var text = new string(Enumerable.Range(0, random.Next(1, 12)).Select(_ =>
            {
                var (from, to) = QuickRanges[random.Next(QuickRanges.Length)];
                return (char)random.Next(from, to + 1);
            }).ToArray());

            Guard.IsNfcByQuickCheck(text).Should().BeTrue();
            text.IsNormalized(NormalizationForm.FormC).Should().BeTrue();
            Guard.Nfc(text).Should().BeSameAs(text);
        }
    }

    [TestCase("Zoe\u0301 王", "Zo\u00e9 王")]
    [TestCase("\uF900", "\u8C48")] // a CJK compatibility ideograph: not form C
    [TestCase("\u1100\u1161", "\uAC00")] // Hangul jamo compose
    [TestCase("王\u302A", "王\u302A")] // an ideographic tone mark, combining class 218: ICU's answer
    public void OtherText_IsLeftToIcu(string text, string expected)
    {
        Guard.IsNfcByQuickCheck(text).Should().BeFalse();
        Guard.Nfc(text).Should().Be(expected).And.Be(text.Normalize(NormalizationForm.FormC));
    }
}
