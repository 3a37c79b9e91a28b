namespace PatternTts.Service.Phonemes;

/// <summary>A Kokoro language (the voice name's first letter) and how espeak-ng speaks it.</summary>
public sealed record KokoroLanguage(char Code, string Name, string? EspeakVoice)
{
    public bool IsEnglish => Code is 'a' or 'b';

    public bool IsSupported => EspeakVoice is not null;

    public static readonly IReadOnlyDictionary<char, KokoroLanguage> All = new Dictionary<char, KokoroLanguage>
    {
        ['a'] = new('a', "English (US)", "en-us"),
        ['b'] = new('b', "English (UK)", "en-gb"),
        ['e'] = new('e', "Spanish", "es"),
        ['f'] = new('f', "French", "fr-fr"),
        ['h'] = new('h', "Hindi", "hi"),
        ['i'] = new('i', "Italian", "it"),
        // Kokoro was trained on misaki's Japanese and Mandarin G2P; espeak-ng's output for them is not what
        // the model expects, so these voices are listed but refused rather than spoken badly.
        ['j'] = new('j', "Japanese", null),
        ['p'] = new('p', "Portuguese (BR)", "pt-br"),
        ['z'] = new('z', "Mandarin Chinese", null),
    };

    public static bool TryGet(string? code, out KokoroLanguage language)
    {
        language = null!;
        if (string.IsNullOrWhiteSpace(code))
        {
            return false;
        }

        var key = code.Trim().ToLowerInvariant() switch
        {
            "en" or "en-us" or "a" => 'a',
            "en-gb" or "b" => 'b',
            "es" or "e" => 'e',
            "fr" or "fr-fr" or "f" => 'f',
            "hi" or "h" => 'h',
            "it" or "i" => 'i',
            "ja" or "j" => 'j',
            "pt" or "pt-br" or "p" => 'p',
            "zh" or "z" => 'z',
            _ => '\0',
        };
        return All.TryGetValue(key, out language!);
    }
}
