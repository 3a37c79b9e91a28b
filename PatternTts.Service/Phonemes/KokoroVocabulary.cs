using System.Text.Json;

namespace PatternTts.Service.Phonemes;

/// <summary>Kokoro v1.0's phoneme vocabulary (config.json): one code point per token, id 0 is the pad.</summary>
public sealed class KokoroVocabulary
{
    private readonly Dictionary<int, long> _ids;

    private KokoroVocabulary(Dictionary<int, long> ids) => _ids = ids;

    public static KokoroVocabulary Default { get; } = LoadEmbedded();

    public int Count => _ids.Count;

    public bool Contains(int codePoint) => _ids.ContainsKey(codePoint);

    /// <summary>Token ids for the phonemes, pads excluded. Symbols outside the vocab are dropped, as the reference does.</summary>
    public List<long> Encode(string phonemes)
    {
        var ids = new List<long>(phonemes.Length);
        foreach (var rune in phonemes.EnumerateRunes())
        {
            if (_ids.TryGetValue(rune.Value, out var id))
            {
                ids.Add(id);
            }
        }

        return ids;
    }

    /// <summary>The phonemes with every symbol the model does not know removed.</summary>
    public string Filter(string phonemes)
    {
        var builder = new System.Text.StringBuilder(phonemes.Length);
        foreach (var rune in phonemes.EnumerateRunes())
        {
            if (_ids.ContainsKey(rune.Value))
            {
                builder.Append(rune.ToString());
            }
        }

        return builder.ToString();
    }

    private static KokoroVocabulary LoadEmbedded()
    {
        using var stream = typeof(KokoroVocabulary).Assembly.GetManifestResourceStream("PatternTts.Service.Phonemes.kokoro-vocab.json")
            ?? throw new InvalidOperationException("The embedded Kokoro vocabulary is missing from the build.");
        using var document = JsonDocument.Parse(stream);
        var ids = new Dictionary<int, long>();
        foreach (var entry in document.RootElement.GetProperty("vocab").EnumerateObject())
        {
            var rune = System.Text.Rune.GetRuneAt(entry.Name, 0);
            ids[rune.Value] = entry.Value.GetInt64();
        }

        return new KokoroVocabulary(ids);
    }
}
