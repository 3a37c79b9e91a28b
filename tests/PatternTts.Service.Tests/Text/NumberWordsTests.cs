namespace PatternTts.Service.Tests.Text;

public sealed class NumberWordsTests
{
    [Theory]
    [InlineData(0, "zero")]
    [InlineData(7, "seven")]
    [InlineData(13, "thirteen")]
    [InlineData(40, "forty")]
    [InlineData(56, "fifty-six")]
    [InlineData(100, "one hundred")]
    [InlineData(101, "one hundred one")]
    [InlineData(1001, "one thousand one")]
    [InlineData(999_999, "nine hundred ninety-nine thousand nine hundred ninety-nine")]
    [InlineData(7_890_000, "seven million eight hundred ninety thousand")]
    [InlineData(1_000_000_000_000, "one trillion")]
    [InlineData(-15, "minus fifteen")]
    public void CardinalReadsWholeNumbers(long value, string expected) => Assert.Equal(expected, NumberWords.Cardinal(value));

    [Theory]
    [InlineData(1, "first")]
    [InlineData(2, "second")]
    [InlineData(3, "third")]
    [InlineData(5, "fifth")]
    [InlineData(8, "eighth")]
    [InlineData(9, "ninth")]
    [InlineData(12, "twelfth")]
    [InlineData(20, "twentieth")]
    [InlineData(21, "twenty-first")]
    [InlineData(100, "one hundredth")]
    [InlineData(1003, "one thousand third")]
    public void OrdinalChangesOnlyTheLastWord(long value, string expected) => Assert.Equal(expected, NumberWords.Ordinal(value));

    [Theory]
    [InlineData(1999, "nineteen ninety-nine")]
    [InlineData(2024, "twenty twenty-four")]
    [InlineData(2000, "two thousand")]
    [InlineData(2008, "two thousand eight")]
    [InlineData(2010, "twenty ten")]
    [InlineData(1905, "nineteen oh five")]
    [InlineData(1900, "nineteen hundred")]
    [InlineData(1066, "ten sixty-six")]
    [InlineData(800, "eight hundred")]
    public void YearReadsInPairs(int year, string expected) => Assert.Equal(expected, NumberWords.Year(year));

    [Theory]
    [InlineData("0427", "zero four two seven")]
    [InlineData("192", "one nine two")]
    public void DigitsReadsOneByOne(string digits, string expected) => Assert.Equal(expected, NumberWords.Digits(digits));

    [Theory]
    [InlineData("56.789", "fifty-six point seven eight nine")]
    [InlineData("-0.5", "minus zero point five")]
    [InlineData(".25", "point two five")]
    [InlineData("1,234", "one thousand two hundred thirty-four")]
    [InlineData("12345678901234567890123", "one two three four five six seven eight nine zero one two three four five six seven eight nine zero one two three")]
    public void NumberReadsWrittenNumbers(string written, string expected) => Assert.Equal(expected, NumberWords.Number(written));
}
