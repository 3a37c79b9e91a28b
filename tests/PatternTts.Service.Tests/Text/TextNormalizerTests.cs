namespace PatternTts.Service.Tests.Text;

public sealed class TextNormalizerTests
{
    private static readonly TextNormalizer Normalizer = new();
    private static readonly NormalizationOptions WithUnits = new() { UnitNormalization = true };

    private static string Normalize(string text) => Normalizer.Normalize(text, NormalizationOptions.Default);

    // The written forms a speech client sends most, in one place, read the way a person would say them.
    [Fact]
    public void CurrencySymbolsOfThePatternsAreTheCurrenciesOfTheTable()
    {
        Assert.Equal(NormalizationTables.Currencies.Keys.Order(), NormalizationTables.CurrencySymbols.Order());
    }

    [Theory]
    [InlineData("7,890,000", "seven million eight hundred ninety thousand")]
    [InlineData("56.789", "fifty-six point seven eight nine")]
    [InlineData("-12", "minus twelve")]
    [InlineData("1.6k", "one point six thousand")]
    [InlineData("$25.05k", "twenty-five point zero five thousand dollars")]
    [InlineData("1.35 million", "one point three five million")]
    [InlineData("21st", "twenty-first")]
    [InlineData("3rd", "third")]
    [InlineData("1/2", "one half")]
    [InlineData("1-2", "one to two")]
    [InlineData("45%", "forty-five percent")]
    [InlineData("98.6%", "ninety-eight point six percent")]
    [InlineData("$50.3", "fifty dollars and thirty cents")]
    [InlineData("€30.2", "thirty euros and twenty cents")]
    [InlineData("£12.50", "twelve pounds and fifty pence")]
    [InlineData("$5.3 thousand", "five point three thousand dollars")]
    [InlineData("-$6.9 million", "minus six point nine million dollars")]
    [InlineData("10:35 pm", "ten thirty-five PM")]
    [InlineData("5:03 am", "five oh three AM")]
    [InlineData("13:42", "thirteen forty-two")]
    [InlineData("3:00", "three o'clock")]
    [InlineData("2024-03-15", "March fifteenth, twenty twenty-four")]
    [InlineData("Jan. 5th", "January fifth")]
    [InlineData("March 3, 2021", "March third, twenty twenty-one")]
    [InlineData("1999", "nineteen ninety-nine")]
    [InlineData("2024", "twenty twenty-four")]
    [InlineData("1990s", "nineteen nineties")]
    [InlineData("https://example.com/path", "example dot com slash path")]
    [InlineData("api.example.com:8443", "api dot example dot com colon eight four four three")]
    [InlineData("192.168.1.1", "one nine two dot one six eight dot one dot one")]
    [InlineData("user@example.com", "user at example dot com")]
    [InlineData("(555) 123-4567", "five five five, one two three, four five six seven")]
    [InlineData("R&D @ Acme: 2+2=4 #1", "R and D at Acme: two plus two equals four number one")]
    [InlineData("Dr. Smith, Mr. Li, Mrs. Roe, St. Paul, etc.", "Doctor Smith, Mister Li, Missus Roe, Saint Paul, et cetera.")]
    [InlineData("Youre here, howre you?", "You're here, how're you?")]
    public void CommonWrittenFormsReadAsAPersonWouldSayThem(string input, string expected) => Assert.Equal(expected, Normalize(input));

    [Theory]
    [InlineData("5 km, 2 kg, 20°C, 3 hrs, 1 KB, 5 MB, 2 GB", "five kilometers, two kilograms, twenty degrees Celsius, three hours, one kilobyte, five megabytes, two gigabytes")]
    public void IssueUnitExamplesReadAsSpokenWhenEnabled(string input, string expected) =>
        Assert.Equal(expected, Normalizer.Normalize(input, WithUnits));

    [Theory]
    [InlineData("7,890,000", "seven million eight hundred ninety thousand")]
    [InlineData("56.789", "fifty-six point seven eight nine")]
    [InlineData("It fell to -42 overnight.", "It fell to minus forty-two overnight.")]
    [InlineData("1.6k followers", "one point six thousand followers")]
    [InlineData("1.35 million", "one point three five million")]
    [InlineData("the 21st century", "the twenty-first century")]
    [InlineData("3rd place", "third place")]
    [InlineData("the 100th day", "the one hundredth day")]
    [InlineData("1/2 cup", "one half cup")]
    [InlineData("3/4 of them", "three quarters of them")]
    [InlineData("2/3 majority", "two thirds majority")]
    [InlineData("1 1/2 hours", "one and one half hours")]
    [InlineData("1-2 days", "one to two days")]
    [InlineData("45%", "forty-five percent")]
    [InlineData("98.6%", "ninety-eight point six percent")]
    [InlineData("10-20% off", "ten to twenty percent off")]
    [InlineData("0.5", "zero point five")]
    [InlineData("123 apples", "one hundred twenty-three apples")]
    [InlineData("1,000,000,000", "one billion")]
    [InlineData("5M users", "five million users")]
    [InlineData("agent 007", "agent zero zero seven")]
    [InlineData("version 1.2.3", "version one point two point three")]
    [InlineData("COVID-19", "COVID-nineteen")]
    [InlineData("1, 2, 3", "one, two, three")]
    [InlineData("24/7 support", "twenty-four seven support")]
    [InlineData("98/100", "ninety-eight hundredths")]
    [InlineData("rated 4.5/5", "rated four point five out of five")]
    [InlineData("a 16:9 screen", "a sixteen to nine screen")]
    [InlineData("2 x 3", "two times three")]
    [InlineData("at 1.5x speed", "at one point five times speed")]
    [InlineData("v2.0", "version two point zero")]
    [InlineData("call 911", "call nine one one")]
    public void NumbersAreReadAsWords(string input, string expected) => Assert.Equal(expected, Normalize(input));

    [Theory]
    [InlineData("$50.3", "fifty dollars and thirty cents")]
    [InlineData("€30.2", "thirty euros and twenty cents")]
    [InlineData("£12.50", "twelve pounds and fifty pence")]
    [InlineData("$5.3 thousand", "five point three thousand dollars")]
    [InlineData("-$6.9 million", "minus six point nine million dollars")]
    [InlineData("$25.05k", "twenty-five point zero five thousand dollars")]
    [InlineData("$1", "one dollar")]
    [InlineData("$0.99", "ninety-nine cents")]
    [InlineData("$1.01", "one dollar and one cent")]
    [InlineData("£1.01", "one pound and one penny")]
    [InlineData("¥500", "five hundred yen")]
    [InlineData("$1,000,000", "one million dollars")]
    [InlineData("$12.00", "twelve dollars")]
    [InlineData("$10-$20", "ten dollars to twenty dollars")]
    [InlineData("raised $2bn", "raised two billion dollars")]
    [InlineData("It costs $5.", "It costs five dollars.")]
    [InlineData("$1 million", "one million dollars")]
    [InlineData("$5/month", "five dollars per month")]
    public void MoneyIsReadWithCurrencyAndCents(string input, string expected) => Assert.Equal(expected, Normalize(input));

    [Theory]
    [InlineData("10:35 pm", "ten thirty-five PM")]
    [InlineData("5:03 am", "five oh three AM")]
    [InlineData("13:42", "thirteen forty-two")]
    [InlineData("3:00", "three o'clock")]
    [InlineData("15:00", "fifteen hundred")]
    [InlineData("12:00 pm", "twelve PM")]
    [InlineData("10:35:20", "ten thirty-five and twenty seconds")]
    [InlineData("at 3pm", "at three PM")]
    [InlineData("See you at 11 a.m.", "See you at eleven AM.")]
    [InlineData("Meet at 10 p.m. tomorrow", "Meet at ten PM tomorrow")]
    [InlineData("at 7:45 P.M., then", "at seven forty-five PM, then")]
    [InlineData("open 9:00-17:00", "open nine o'clock to seventeen hundred")]
    [InlineData("at 00:00", "at midnight")]
    [InlineData("from 2-3pm", "from two to three PM")]
    public void TimesAreReadTheWayPeopleSayThem(string input, string expected) => Assert.Equal(expected, Normalize(input));

    [Theory]
    [InlineData("2024-03-15", "March fifteenth, twenty twenty-four")]
    [InlineData("Jan. 5th", "January fifth")]
    [InlineData("March 3, 2021", "March third, twenty twenty-one")]
    [InlineData("Dec 31", "December thirty-first")]
    [InlineData("12/25/2024", "December twenty-fifth, twenty twenty-four")]
    [InlineData("5 March 2021", "the fifth of March, twenty twenty-one")]
    [InlineData("the 4th of July", "the fourth of July")]
    [InlineData("in 1999", "in nineteen ninety-nine")]
    [InlineData("in 2024", "in twenty twenty-four")]
    [InlineData("in 2000", "in two thousand")]
    [InlineData("in 2005", "in two thousand five")]
    [InlineData("in 1905", "in nineteen oh five")]
    [InlineData("the 1990s", "the nineteen nineties")]
    [InlineData("the 1800s", "the eighteen hundreds")]
    [InlineData("the '80s", "the eighties")]
    [InlineData("the 1960's", "the nineteen sixties")]
    [InlineData("the 2010s", "the twenty tens")]
    [InlineData("in Jan 2024", "in January twenty twenty-four")]
    [InlineData("Sept. 11, 2001", "September eleventh, two thousand one")]
    [InlineData("2024-3-5", "March fifth, twenty twenty-four")]
    public void DatesAndYearsAreReadAsSpoken(string input, string expected) => Assert.Equal(expected, Normalize(input));

    [Theory]
    [InlineData("https://example.com/path", "example dot com slash path")]
    [InlineData("Visit example.com.", "Visit example dot com.")]
    [InlineData("www.example.org", "www dot example dot org")]
    [InlineData("http://localhost:8080/api", "localhost colon eight zero eight zero slash api")]
    [InlineData("api.example.com:8443", "api dot example dot com colon eight four four three")]
    [InlineData("localhost:5000", "localhost colon five zero zero zero")]
    [InlineData("https://example.com/search?q=tts&lang=en", "example dot com slash search question mark q equals tts and lang equals en")]
    [InlineData("https://my-site.dev/blog_post", "my dash site dot dev slash blog underscore post")]
    [InlineData("(see https://example.com/docs).", "(see example dot com slash docs).")]
    [InlineData("user@example.com", "user at example dot com")]
    [InlineData("john.doe@mail.example.co.uk", "john dot doe at mail dot example dot co dot uk")]
    [InlineData("Write to support+tts@example.io.", "Write to support plus tts at example dot io.")]
    [InlineData("192.168.1.1", "one nine two dot one six eight dot one dot one")]
    [InlineData("10.0.0.1:8080", "one zero dot zero dot zero dot one colon eight zero eight zero")]
    [InlineData("(555) 123-4567", "five five five, one two three, four five six seven")]
    [InlineData("+1 555 123 4567", "plus one, five five five, one two three, four five six seven")]
    [InlineData("555-123-4567", "five five five, one two three, four five six seven")]
    [InlineData("1-800-555-0199", "one, eight hundred, five five five, zero one nine nine")]
    [InlineData("+44 20 7946 0958", "plus four four, two zero, seven nine four six, zero nine five eight")]
    [InlineData("555-1234 ext. 5", "five five five, one two three four extension five")]
    [InlineData("hello@openai.com", "hello at openai dot com")]
    public void AddressesAreSpelledOut(string input, string expected) => Assert.Equal(expected, Normalize(input));

    [Theory]
    [InlineData("5 km", "five kilometers")]
    [InlineData("1 km", "one kilometer")]
    [InlineData("2.5kg", "two point five kilograms")]
    [InlineData("-5°C", "minus five degrees Celsius")]
    [InlineData("98.6°F", "ninety-eight point six degrees Fahrenheit")]
    [InlineData("3 hrs", "three hours")]
    [InlineData("1 hr", "one hour")]
    [InlineData("100 MB", "one hundred megabytes")]
    [InlineData("10 GB", "ten gigabytes")]
    [InlineData("512 KB", "five hundred twelve kilobytes")]
    [InlineData("60 mph", "sixty miles per hour")]
    [InlineData("100 km/h", "one hundred kilometers per hour")]
    [InlineData("5-10 km", "five to ten kilometers")]
    [InlineData("30 min", "thirty minutes")]
    [InlineData("the 1990s", "the nineteen nineties")]
    public void UnitsAreExpandedWhenEnabled(string input, string expected) =>
        Assert.Equal(expected, Normalizer.Normalize(input, WithUnits));

    // Read as a person would, with the default options (issue: speech fidelity).
    [Theory]
    [InlineData("Apartment 4B", "Apartment four B")]
    [InlineData("4K video", "four K video")]
    [InlineData("1.6K views", "one point six thousand views")]
    [InlineData("$2.5B in revenue", "two point five billion dollars in revenue")]
    [InlineData("a £3M deal", "a three million pounds deal")]
    [InlineData("in 1492 Columbus sailed", "in fourteen ninety-two Columbus sailed")]
    [InlineData("In 1066, the Normans came.", "In ten sixty-six, the Normans came.")]
    [InlineData("since 1215 the charter", "since twelve fifteen the charter")]
    [InlineData("in 1200 cases", "in twelve hundred cases")]
    [InlineData("It cost 1492 dollars", "It cost one thousand four hundred ninety-two dollars")]
    [InlineData("He ran 5 km and lifted 20 kg", "He ran five kilometers and lifted twenty kilograms")]
    [InlineData("Add 500 mg or 2 ml or 3 l", "Add five hundred milligrams or two milliliters or three liters")]
    [InlineData("It is 10 m long. I'm here", "It is ten meters long. I'm here")]
    [InlineData("2 hrs and 5 min and 30 sec", "two hours and five minutes and thirty seconds")]
    [InlineData("It is 21°C or 70°F", "It is twenty-one degrees Celsius or seventy degrees Fahrenheit")]
    [InlineData("up 5%", "up five percent")]
    [InlineData("She is 5'7\" tall", "She is five feet seven inches tall")]
    [InlineData("He is 6' tall", "He is six feet tall")]
    [InlineData("€5.50 and 50p", "five euros and fifty cents and fifty pence")]
    [InlineData("a 1p coin", "a one penny coin")]
    [InlineData("1080p video", "ten eighty p video")]
    [InlineData("Chapter IV", "Chapter four")]
    [InlineData("World War II and World War I.", "World War two and World War one.")]
    [InlineData("Part III", "Part three")]
    [InlineData("Henry VIII and Louis XIV", "Henry the eighth and Louis the fourteenth")]
    [InlineData("Elizabeth I of England", "Elizabeth the first of England")]
    [InlineData("Mary I love you", "Mary I love you")]
    [InlineData("Dr. Smith lives on Sunset Dr. now", "Doctor Smith lives on Sunset Drive now")]
    [InlineData("St. Louis and Baker St.", "Saint Louis and Baker Street.")]
    [InlineData("Mt. Hood", "Mount Hood")]
    [InlineData("Q3 results", "Q three results")]
    [InlineData("10-15 people", "ten to fifteen people")]
    [InlineData("pages 10 - 15", "pages ten to fifteen")]
    [InlineData("1/2 cup and 3/4 mile", "one half cup and three quarters mile")]
    [InlineData("4 July 1976", "the fourth of July, nineteen seventy-six")]
    [InlineData("site.com?q=cats&page=2", "site dot com question mark q equals cats and page equals two")]
    [InlineData("Wait - what?", "Wait — what?")]
    [InlineData("The U.S. and the E.U.", "The US and the EU.")]
    public void TextIsReadAsAPersonWouldReadIt(string input, string expected) => Assert.Equal(expected, Normalize(input));

    [Theory]
    [InlineData("AT&T", "AT and T")]
    [InlineData("cats & dogs", "cats and dogs")]
    [InlineData("meet @home", "meet at home")]
    [InlineData("the % sign", "the percent sign")]
    [InlineData("C++", "C plus plus")]
    [InlineData("C# code", "C sharp code")]
    [InlineData("a+b", "a plus b")]
    [InlineData("x = y", "x equals y")]
    [InlineData("1+1=2", "one plus one equals two")]
    [InlineData("#blessed", "hashtag blessed")]
    [InlineData("the # key", "the hash key")]
    [InlineData("#1 fan", "number one fan")]
    [InlineData("and/or", "and or")]
    [InlineData("5 > 3", "five greater than three")]
    [InlineData("see <https://fsf.org/>", "see fsf dot org")]
    [InlineData("*important*", "important")]
    [InlineData("snake_case", "snake case")]
    public void SymbolsAreSpoken(string input, string expected) => Assert.Equal(expected, Normalize(input));

    [Theory]
    [InlineData("Dr. Smith", "Doctor Smith")]
    [InlineData("Mr. Jones", "Mister Jones")]
    [InlineData("Mrs. Brown", "Missus Brown")]
    [InlineData("Ms. Lee", "Miz Lee")]
    [InlineData("Mr Jones", "Mister Jones")]
    [InlineData("Mr. and Mrs. Smith", "Mister and Missus Smith")]
    [InlineData("Gen. Patton met Sgt. Pepper on Mt. Everest", "General Patton met Sergeant Pepper on Mount Everest")]
    [InlineData("1600 Pennsylvania Ave. in D.C.", "sixteen hundred Pennsylvania Avenue in DC.")]
    [InlineData("St. Louis", "Saint Louis")]
    [InlineData("Prof. Xavier", "Professor Xavier")]
    [InlineData("123 Main St. Then we left.", "one hundred twenty-three Main Street. Then we left.")]
    [InlineData("on Elm St and Oak", "on Elm Street and Oak")]
    [InlineData("Dr. Smith lives at 5 Elm Dr.", "Doctor Smith lives at five Elm Drive.")]
    [InlineData("apples, pears, etc.", "apples, pears, et cetera.")]
    [InlineData("apples, pears, etc. and more", "apples, pears, et cetera and more")]
    [InlineData("cats vs. dogs", "cats versus dogs")]
    [InlineData("e.g., apples", "for example, apples")]
    [InlineData("i.e. the end", "that is the end")]
    [InlineData("Acme Inc.", "Acme Incorporated.")]
    [InlineData("No. 5", "number five")]
    [InlineData("Martin Luther King Jr. was", "Martin Luther King Junior was")]
    [InlineData("coffee w/ milk", "coffee with milk")]
    [InlineData("VS Code", "VS Code")]
    public void TitlesAndAbbreviationsAreExpanded(string input, string expected) => Assert.Equal(expected, Normalize(input));

    [Theory]
    [InlineData("Youre right", "You're right")]
    [InlineData("howre you", "how're you")]
    [InlineData("I dont know", "I don't know")]
    [InlineData("I cant go", "I can't go")]
    [InlineData("it wont work", "it won't work")]
    [InlineData("im here", "I'm here")]
    [InlineData("Im here", "I'm here")]
    [InlineData("it isnt", "it isn't")]
    [InlineData("theyre late", "they're late")]
    [InlineData("I DONT", "I DON'T")]
    [InlineData("you shouldve", "you should've")]
    [InlineData("Thats it", "That's it")]
    [InlineData("send an IM", "send an IM")]
    public void ContractionsGetTheirApostrophes(string input, string expected) => Assert.Equal(expected, Normalize(input));

    [Theory]
    [InlineData("We were well, its ill wind; lets see the shell and hell we shed.")]
    [InlineData("I'm sure you're right and they'll agree.")]
    public void RealWordsAreNotTakenForContractions(string input) => Assert.Equal(input, Normalize(input));

    [Theory]
    [InlineData("item(s)", "items")]
    [InlineData("Select the file(s) now.", "Select the files now.")]
    public void OptionalPluralsAreResolved(string input, string expected) => Assert.Equal(expected, Normalize(input));

    [Fact]
    public void NormalizeOffReturnsTextUnchanged()
    {
        // Arrange
        const string text = "Pay $5 at 10:35 pm to user@example.com, Dr. Smith & co.";

        // Act
        var result = Normalizer.Normalize(text, new NormalizationOptions { Normalize = false });

        // Assert
        Assert.Same(text, result);
    }

    [Fact]
    public void UnitsAreReadByDefault() => Assert.Equal("five kilometers", Normalize("5 km"));

    [Theory]
    [InlineData("5 km", "five km")]
    [InlineData("100 km/h", "one hundred km per h")]
    public void UnitsStayAbbreviatedWhenUnitNormalizationIsSwitchedOff(string input, string expected) =>
        Assert.Equal(expected, Normalizer.Normalize(input, new NormalizationOptions { UnitNormalization = false }));

    [Fact]
    public void UrlNormalizationOffLeavesUrlsAlone()
    {
        var options = new NormalizationOptions { UrlNormalization = false, ReplaceRemainingSymbols = false };

        Assert.Equal("Visit example.com today", Normalizer.Normalize("Visit example.com today", options));
    }

    [Fact]
    public void EmailNormalizationOffLeavesEmailsAlone()
    {
        var options = new NormalizationOptions { EmailNormalization = false, ReplaceRemainingSymbols = false };

        var result = Normalizer.Normalize("Mail user@example.com now", options);

        Assert.Contains("@", result);
        Assert.DoesNotContain(" at ", result);
    }

    [Fact]
    public void PhoneNormalizationOffDoesNotReadDigitGroups()
    {
        var options = new NormalizationOptions { PhoneNormalization = false };

        var result = Normalizer.Normalize("Call (555) 123-4567", options);

        Assert.DoesNotContain("five five five", result);
    }

    [Fact]
    public void OptionalPluralizationOffKeepsMarker()
    {
        var options = new NormalizationOptions { OptionalPluralizationNormalization = false };

        Assert.Equal("item(s)", Normalizer.Normalize("item(s)", options));
    }

    [Fact]
    public void ReplaceRemainingSymbolsOffKeepsSymbols()
    {
        var options = new NormalizationOptions { ReplaceRemainingSymbols = false };

        Assert.Equal("AT&T and C++", Normalizer.Normalize("AT&T and C++", options));
    }

    [Theory]
    [InlineData("I have 5.", "I have five.")]
    [InlineData("It is 3.5.", "It is three point five.")]
    [InlineData("Email me at user@example.com.", "Email me at user at example dot com.")]
    [InlineData("The IP is 10.0.0.1.", "The IP is one zero dot zero dot zero dot one.")]
    [InlineData("Go to https://example.com/a.", "Go to example dot com slash a.")]
    [InlineData("Call 555-123-4567.", "Call five five five, one two three, four five six seven.")]
    [InlineData("It ended in 1999. Then it began.", "It ended in nineteen ninety-nine. Then it began.")]
    [InlineData("We left at 3:00. Nobody saw.", "We left at three o'clock. Nobody saw.")]
    [InlineData("Bring fruit, bread, etc. Then go.", "Bring fruit, bread, et cetera. Then go.")]
    [InlineData("See you at 11 p.m. Bring food.", "See you at eleven PM. Bring food.")]
    public void SentenceEndingPeriodsAreNeverReadAsDot(string input, string expected)
    {
        var result = Normalize(input);

        Assert.Equal(expected, result);
        Assert.EndsWith(".", result);
    }

    [Fact]
    public void OrdinaryProseComesBackUnchanged()
    {
        // Arrange
        const string prose = """
            The quick brown fox jumps over the lazy dog. She said, "Well, we were tired; it's fine!"
            Then—after a long pause…they left? Yes: they did. Nobody knew why, and nobody asked (not even Anna).
            """;

        // Act
        var result = Normalize(prose);

        // Assert
        Assert.Equal(prose, result);
    }

    [Fact]
    public void NoWordOfTheInputIsLost()
    {
        // Arrange
        const string text = "On March 3, 2021 Dr. Smith paid $50.3 for 2 tickets at 10:35 pm; call (555) 123-4567 or email user@example.com.";

        // Act
        var result = Normalize(text);

        // Assert
        Assert.Equal(
            "On March third, twenty twenty-one Doctor Smith paid fifty dollars and thirty cents for two tickets at ten thirty-five PM; call five five five, one two three, four five six seven or email user at example dot com.",
            result);
        foreach (var word in new[] { "On", "paid", "for", "tickets", "at", "call", "or", "email" })
        {
            Assert.Contains(word, result.Split(' ', ',', ';', '.'));
        }
    }

    [Fact]
    public void ProsodyPunctuationIsKept()
    {
        var result = Normalize("Wait, 5 minutes; then go! Ready? Yes: now — or never…");

        Assert.Equal("Wait, five minutes; then go! Ready? Yes: now — or never…", result);
    }

    [Theory]
    [InlineData("123456789012345678901234567890")]
    [InlineData("123456789012345678901234567890th")]
    [InlineData("$123456789012345678901234567890.55")]
    [InlineData("123456789012345678901234567890/123456789012345678901234567890")]
    [InlineData("99999999999999999999%")]
    [InlineData("[pause:1s] ]][[ (s) $ . , - : / % @ # & ... ")]
    public void HugeOrOddInputNeverThrows(string input)
    {
        var result = Normalizer.Normalize(input, WithUnits);

        Assert.False(string.IsNullOrWhiteSpace(result));
    }

    [Fact]
    public void NormalizerIsSafeToShareAcrossThreads()
    {
        var inputs = Enumerable.Range(0, 200).Select(i => $"Item {i} costs ${i}.50 at {i % 12 + 1}:05 pm").ToArray();
        var expected = inputs.Select(Normalize).ToArray();

        var actual = inputs.AsParallel().AsOrdered().Select(Normalize).ToArray();

        Assert.Equal(expected, actual);
    }
}
