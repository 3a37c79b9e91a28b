using System.Collections.Frozen;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace PatternTts.Service.Text;

/// <summary>
/// Project-owned pronunciations (product names, acronyms) that espeak gets wrong. Lookups are case-insensitive
/// and match whole words only. Immutable and thread-safe.
/// </summary>
public sealed class PronunciationLexicon
{
    private const string ResourceSuffix = "Text.lexicon.json";

    private readonly FrozenDictionary<string, string> _entries;

    public PronunciationLexicon(IReadOnlyDictionary<string, string> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        _entries = entries
            .Where(e => !string.IsNullOrWhiteSpace(e.Key) && !string.IsNullOrWhiteSpace(e.Value))
            .ToFrozenDictionary(e => e.Key.Trim(), e => e.Value.Trim(), StringComparer.OrdinalIgnoreCase);
        WordPattern = _entries.Count == 0 ? null : BuildPattern(_entries.Keys);
    }

    public static PronunciationLexicon Empty { get; } = new(new Dictionary<string, string>());

    public int Count => _entries.Count;

    /// <summary>Matches any entry as a whole word; null when the lexicon is empty.</summary>
    internal Regex? WordPattern { get; }

    public bool TryGetPhonemes(string word, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? phonemes) =>
        _entries.TryGetValue(word, out phonemes);

    /// <summary>Reads a JSON object of word → phonemes.</summary>
    public static PronunciationLexicon Load(Stream json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var entries = JsonSerializer.Deserialize(json, LexiconJsonContext.Default.DictionaryStringString)
            ?? throw new InvalidDataException("The lexicon must be a JSON object of word to phonemes.");
        return new PronunciationLexicon(entries);
    }

    /// <summary>The lexicon shipped inside the service assembly (<c>Text/lexicon.json</c>).</summary>
    public static PronunciationLexicon LoadEmbedded()
    {
        var assembly = typeof(PronunciationLexicon).Assembly;
        var name = assembly.GetManifestResourceNames().FirstOrDefault(n => n.EndsWith(ResourceSuffix, StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"Embedded resource '{ResourceSuffix}' is missing from {assembly.GetName().Name}.");
        using var stream = assembly.GetManifestResourceStream(name)!;
        return Load(stream);
    }

    // A word must not continue into letters, digits, apostrophes, or an address ("api.example.com", "tts@host").
    private static Regex BuildPattern(IEnumerable<string> words)
    {
        var alternation = string.Join('|', words.OrderByDescending(w => w.Length).Select(Regex.Escape));
        return new Regex(
            $@"(?<![\w'’.@/\\-])(?:{alternation})(?![\w'’]|[.@/:\\-][\w]|://)",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
    }
}

[System.Text.Json.Serialization.JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class LexiconJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
