namespace PatternTts.Service.Text.Normalization;

/// <summary>A spoken unit: singular and plural forms.</summary>
internal sealed record SpokenUnit(string Singular, string Plural)
{
    public string For(bool one) => one ? Singular : Plural;
}

/// <summary>A currency: its main unit and, when it has one, the hundredth subunit.</summary>
internal sealed record Currency(SpokenUnit Main, SpokenUnit? Minor);

/// <summary>The word lists behind <see cref="TextNormalizer"/>, kept apart from the rules that use them.</summary>
internal static class NormalizationTables
{
    /// <summary>The keys of <see cref="Currencies"/> as one constant, for the patterns that find amounts.</summary>
    public const string CurrencySymbols = "$€£¥₹";

    public static readonly Dictionary<char, Currency> Currencies = new()
    {
        ['$'] = new(new("dollar", "dollars"), new("cent", "cents")),
        ['€'] = new(new("euro", "euros"), new("cent", "cents")),
        ['£'] = new(new("pound", "pounds"), new("penny", "pence")),
        ['¥'] = new(new("yen", "yen"), null),
        ['₹'] = new(new("rupee", "rupees"), new("paisa", "paise")),
    };

    /// <summary>Magnitude words and the suffixes that abbreviate them ("1.6k", "$2bn").</summary>
    public static readonly Dictionary<string, string> Magnitudes = new(StringComparer.Ordinal)
    {
        ["k"] = "thousand", ["K"] = "thousand",
        ["m"] = "million", ["M"] = "million", ["mn"] = "million",
        ["b"] = "billion", ["B"] = "billion", ["bn"] = "billion",
        ["t"] = "trillion", ["T"] = "trillion", ["tn"] = "trillion",
    };

    /// <summary>
    /// Units read after a number when unit normalization is on. Case matters: "MB" is megabytes, "Mb" megabits,
    /// "m" meters. Ambiguous short forms ("in", "s", "K", "A", "B") are left out on purpose.
    /// </summary>
    public static readonly Dictionary<string, SpokenUnit> Units = new(StringComparer.Ordinal)
    {
        ["mm"] = new("millimeter", "millimeters"),
        ["cm"] = new("centimeter", "centimeters"),
        ["m"] = new("meter", "meters"),
        ["km"] = new("kilometer", "kilometers"),
        ["ft"] = new("foot", "feet"),
        ["yd"] = new("yard", "yards"),
        ["mi"] = new("mile", "miles"),
        ["mg"] = new("milligram", "milligrams"),
        ["g"] = new("gram", "grams"),
        ["kg"] = new("kilogram", "kilograms"),
        ["lb"] = new("pound", "pounds"),
        ["lbs"] = new("pound", "pounds"),
        ["oz"] = new("ounce", "ounces"),
        ["ml"] = new("milliliter", "milliliters"),
        ["mL"] = new("milliliter", "milliliters"),
        ["l"] = new("liter", "liters"),
        ["L"] = new("liter", "liters"),
        ["ms"] = new("millisecond", "milliseconds"),
        ["sec"] = new("second", "seconds"),
        ["secs"] = new("second", "seconds"),
        ["min"] = new("minute", "minutes"),
        ["mins"] = new("minute", "minutes"),
        ["h"] = new("hour", "hours"),
        ["hr"] = new("hour", "hours"),
        ["hrs"] = new("hour", "hours"),
        ["°C"] = new("degree Celsius", "degrees Celsius"),
        ["°F"] = new("degree Fahrenheit", "degrees Fahrenheit"),
        ["°"] = new("degree", "degrees"),
        ["Hz"] = new("hertz", "hertz"),
        ["kHz"] = new("kilohertz", "kilohertz"),
        ["MHz"] = new("megahertz", "megahertz"),
        ["GHz"] = new("gigahertz", "gigahertz"),
        ["W"] = new("watt", "watts"),
        ["kW"] = new("kilowatt", "kilowatts"),
        ["kWh"] = new("kilowatt hour", "kilowatt hours"),
        ["V"] = new("volt", "volts"),
        ["mA"] = new("milliamp", "milliamps"),
        ["KB"] = new("kilobyte", "kilobytes"),
        ["kB"] = new("kilobyte", "kilobytes"),
        ["MB"] = new("megabyte", "megabytes"),
        ["GB"] = new("gigabyte", "gigabytes"),
        ["TB"] = new("terabyte", "terabytes"),
        ["Kb"] = new("kilobit", "kilobits"),
        ["Mb"] = new("megabit", "megabits"),
        ["Gb"] = new("gigabit", "gigabits"),
        ["kbps"] = new("kilobit per second", "kilobits per second"),
        ["Mbps"] = new("megabit per second", "megabits per second"),
        ["Gbps"] = new("gigabit per second", "gigabits per second"),
        ["mph"] = new("mile per hour", "miles per hour"),
        ["km/h"] = new("kilometer per hour", "kilometers per hour"),
        ["kph"] = new("kilometer per hour", "kilometers per hour"),
        ["m/s"] = new("meter per second", "meters per second"),
        ["px"] = new("pixel", "pixels"),
    };

    /// <summary>Names monarchs and popes share, read with an ordinal after them ("Henry VIII", "Louis XIV", "Pius XII").</summary>
    public static readonly string[] RegnalNames =
    [
        "Henry", "Edward", "George", "William", "Richard", "Charles", "James", "John", "Elizabeth", "Mary", "Victoria",
        "Anne", "Stephen", "Louis", "Philip", "Philippe", "Francis", "Frederick", "Friedrich", "Wilhelm", "Ludwig",
        "Otto", "Ferdinand", "Leopold", "Joseph", "Rudolf", "Carlos", "Felipe", "Juan", "Alfonso", "Isabella",
        "Gustav", "Gustavus", "Olaf", "Christian", "Haakon", "Harald", "Umberto", "Victor Emmanuel", "Napoleon",
        "Alexander", "Nicholas", "Peter", "Ivan", "Catherine", "Constantine", "Justinian", "Ramesses", "Ramses",
        "Thutmose", "Amenhotep", "Ptolemy", "Cleopatra", "Pius", "Benedict", "Gregory", "Leo", "Innocent", "Clement",
        "Paul", "Urban", "Boniface", "Sixtus", "Pope John Paul", "Malcolm", "David", "Robert", "Edmund", "Harold",
    ];

    /// <summary>Titles read before a capitalised name ("Dr. Smith", "St. Louis").</summary>
    public static readonly Dictionary<string, string> Titles = new(StringComparer.Ordinal)
    {
        ["Dr"] = "Doctor", ["Mr"] = "Mister", ["Mrs"] = "Missus", ["Ms"] = "Miz", ["Mx"] = "Mix",
        ["Prof"] = "Professor", ["St"] = "Saint", ["Mt"] = "Mount", ["Ft"] = "Fort",
        ["Gen"] = "General", ["Col"] = "Colonel", ["Capt"] = "Captain", ["Lt"] = "Lieutenant", ["Sgt"] = "Sergeant",
        ["Gov"] = "Governor", ["Sen"] = "Senator", ["Rep"] = "Representative", ["Rev"] = "Reverend",
        ["Pres"] = "President", ["Hon"] = "Honorable", ["Fr"] = "Father",
    };

    /// <summary>Titles common enough to be written without their period.</summary>
    public static readonly string[] TitlesWithoutPeriod = ["Dr", "Mr", "Mrs", "Ms", "Mx", "St"];

    /// <summary>Street types read after a street name ("Main St.", "Elm Dr").</summary>
    public static readonly Dictionary<string, string> StreetTypes = new(StringComparer.Ordinal)
    {
        ["St"] = "Street", ["Ave"] = "Avenue", ["Rd"] = "Road", ["Blvd"] = "Boulevard", ["Dr"] = "Drive",
        ["Ln"] = "Lane", ["Ct"] = "Court", ["Hwy"] = "Highway", ["Pkwy"] = "Parkway", ["Sq"] = "Square",
    };

    /// <summary>Abbreviations read the same wherever they appear. Case matters ("VS Code" is not "versus"), so capitalised variants are listed.</summary>
    public static readonly Dictionary<string, string> Abbreviations = new(StringComparer.Ordinal)
    {
        ["etc"] = "et cetera", ["Etc"] = "Et cetera", ["vs"] = "versus", ["Vs"] = "Versus",
        ["e.g"] = "for example", ["E.g"] = "For example", ["i.e"] = "that is", ["I.e"] = "That is",
        ["a.k.a"] = "also known as", ["aka"] = "also known as", ["A.K.A"] = "also known as",
        ["approx"] = "approximately", ["Approx"] = "Approximately", ["dept"] = "department", ["Dept"] = "Department",
        ["Inc"] = "Incorporated", ["Ltd"] = "Limited", ["Corp"] = "Corporation", ["Bros"] = "Brothers",
        ["misc"] = "miscellaneous", ["Misc"] = "Miscellaneous", ["Jr"] = "Junior", ["Sr"] = "Senior",
    };

    /// <summary>
    /// Contractions written without the apostrophe. Only forms that are not themselves English words are listed:
    /// "ill", "well", "were", "shell", "wed", "hed", "id", "its", "lets", "whore" and "shed" are deliberately absent.
    /// </summary>
    public static readonly Dictionary<string, string> Contractions = new(StringComparer.OrdinalIgnoreCase)
    {
        ["dont"] = "don't", ["doesnt"] = "doesn't", ["didnt"] = "didn't", ["cant"] = "can't", ["wont"] = "won't",
        ["isnt"] = "isn't", ["arent"] = "aren't", ["wasnt"] = "wasn't", ["werent"] = "weren't",
        ["hasnt"] = "hasn't", ["havent"] = "haven't", ["hadnt"] = "hadn't", ["couldnt"] = "couldn't",
        ["shouldnt"] = "shouldn't", ["wouldnt"] = "wouldn't", ["mustnt"] = "mustn't", ["neednt"] = "needn't",
        ["mightnt"] = "mightn't", ["shant"] = "shan't", ["aint"] = "ain't",
        ["im"] = "I'm", ["ive"] = "I've", ["youre"] = "you're", ["youve"] = "you've", ["youll"] = "you'll",
        ["youd"] = "you'd", ["theyre"] = "they're", ["theyve"] = "they've", ["theyll"] = "they'll",
        ["theyd"] = "they'd", ["weve"] = "we've", ["shes"] = "she's", ["hes"] = "he's", ["itll"] = "it'll",
        ["thats"] = "that's", ["thatll"] = "that'll", ["whats"] = "what's", ["whatre"] = "what're",
        ["wheres"] = "where's", ["howre"] = "how're", ["hows"] = "how's", ["whos"] = "who's", ["wholl"] = "who'll",
        ["theres"] = "there's", ["heres"] = "here's", ["yall"] = "y'all",
        ["couldve"] = "could've", ["shouldve"] = "should've", ["wouldve"] = "would've", ["mightve"] = "might've",
        ["mustve"] = "must've",
    };

    public static readonly string[] Months =
    [
        "January", "February", "March", "April", "May", "June",
        "July", "August", "September", "October", "November", "December",
    ];

    /// <summary>Top-level domains that mark a bare word.word as a host name; lower case only, so "U.S." is not a host.</summary>
    public static readonly string[] TopLevelDomains =
    [
        "com", "org", "net", "edu", "gov", "mil", "int", "io", "co", "ai", "dev", "app", "info", "biz", "me", "tv",
        "us", "uk", "ca", "de", "fr", "eu", "jp", "au", "nl", "ru", "ch", "se", "es", "br", "cn",
        "ly", "gg", "xyz", "cloud", "tech", "online", "site", "blog", "news", "shop", "store", "page", "sh",
    ];

    /// <summary>Symbols spoken as words when <c>replace_remaining_symbols</c> is on; an empty value means "a space".</summary>
    public static readonly Dictionary<char, string> Symbols = new()
    {
        ['&'] = "and", ['@'] = "at", ['%'] = "percent", ['+'] = "plus", ['='] = "equals", ['#'] = "hash",
        ['/'] = "slash",
        ['*'] = "", ['_'] = "", ['~'] = "", ['^'] = "", ['|'] = "", ['\\'] = "", ['<'] = "", ['>'] = "",
    };
}
