using System.Collections.Concurrent;
using System.Globalization;
using System.Text.RegularExpressions;

namespace PatternTts.Service.Voices;

public sealed class VoiceNotFoundException(string voice, string? detail = null)
    : Exception(detail ?? $"Voice '{voice}' not found. GET /v1/audio/voices lists the available voices.")
{
    public string Voice { get; } = voice;
}

public class VoiceExpressionException(string message) : Exception(message)
{
    public VoiceExpressionException(string expression, string badPart)
        : this($"Voice expression '{expression}' is malformed at '{badPart}'. Use 'a+b', 'a(2)+b(1)' or 'a-b'.")
    {
    }
}

/// <summary>A mix of more distinct voices, or a longer expression, than one request may ask for.</summary>
public sealed class VoiceExpressionTooLargeException(string message, bool tooManyVoices) : VoiceExpressionException(message)
{
    public bool TooManyVoices { get; } = tooManyVoices;
}

/// <summary>
/// Finds voices by id, alias or mix expression. Files are read on first use and kept; each distinct mix
/// expression is computed once and cached.
/// </summary>
public sealed partial class VoiceStore(IOptions<TtsOptions> options, ILogger<VoiceStore> logger, ISavedVoices? saved = null)
{
    /// <summary>Distinct mixes kept at once (522 KB each): clients choose the expressions, so the cache is bounded.</summary>
    public const int MaxCachedMixes = 64;

    /// <summary>Mixes kept on disk at most when saving is allowed.</summary>
    public const int MaxSavedVoices = 32;

    /// <summary>Distinct voices one mix may name; each costs a pass over a 522 KB voice.</summary>
    public const int MaxMixedVoices = 8;

    /// <summary>Longest voice expression: room for eight voices with weights, and a bound on what reaches headers.</summary>
    public const int MaxExpressionLength = 256;

    private readonly ConcurrentDictionary<string, Lazy<VoicePack>> _packs = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentQueue<string> _mixes = new();
    private readonly Lazy<string?> _directory = new(() => PathLookup.Find(options.Value.VoicesPath, Directory.Exists));

    public string? VoicesDirectory => _directory.Value;

    /// <summary>Where combined voices are kept when the operator allows saving (the voices folder may be read-only).</summary>
    public string? SavedVoicesDirectory =>
        options.Value.AllowVoiceSaving ? Path.Combine(options.Value.TempDir, "voices") : null;

    /// <summary>The voice ids that have a file on disk (saved mixes included), sorted.</summary>
    public IReadOnlyList<string> AvailableVoices =>
        [.. new[] { VoicesDirectory, SavedVoicesDirectory }
            .Where(dir => dir is not null && Directory.Exists(dir))
            .SelectMany(dir => Directory.EnumerateFiles(dir!, "*.bin"))
            .Select(Path.GetFileNameWithoutExtension)
            .OfType<string>()
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)];

    /// <summary>
    /// A file name for a mix that reads back as one voice id: <c>af_bella(2)+af_sky(1)</c> becomes
    /// <c>af_bella_2_plus_af_sky_1</c>. It starts with the first voice, whose letter gives the language.
    /// </summary>
    public static string MixName(string expression)
    {
        var name = new System.Text.StringBuilder(expression.Length + 8);
        var canonical = VoiceName().Replace(expression.Trim(), match => Canonical(match.Value));
        foreach (var c in canonical.ToLowerInvariant())
        {
            name.Append(c switch
            {
                '+' => "_plus_",
                '-' => "_minus_",
                '.' => "p",
                '(' => "_",
                _ when char.IsAsciiLetterOrDigit(c) || c == '_' => c.ToString(),
                _ => string.Empty,
            });
        }

        return name.ToString();
    }

    /// <summary>
    /// Keeps <paramref name="voice"/> as <c>&lt;name&gt;.bin</c> in <see cref="SavedVoicesDirectory"/>; null when
    /// saving is off or <see cref="MaxSavedVoices"/> mixes are kept already (each is 522 KB of disk, and clients
    /// choose them).
    /// </summary>
    public async Task<string?> SaveAsync(string name, VoicePack voice, CancellationToken cancellationToken)
    {
        if (SavedVoicesDirectory is not { } dir)
        {
            return null;
        }

        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, name + ".bin");
        if (!File.Exists(path) && Directory.EnumerateFiles(dir, "*.bin").Count() >= MaxSavedVoices)
        {
            LogSavedVoicesFull(logger, name, MaxSavedVoices);
            return null;
        }

        // Written aside and moved, so a concurrent reader never loads half a file.
        var temporary = path + $".{Guid.NewGuid():N}.tmp";
        await File.WriteAllBytesAsync(temporary, voice.ToBytes(), cancellationToken);
        File.Move(temporary, path, overwrite: true);
        _packs.TryRemove("file:" + name, out _);
        LogSaved(logger, name);
        return path;
    }

    /// <summary>Resolves <c>af_heart</c>, <c>alloy</c>, <c>af_bella(2)+af_sky(1)</c> or <c>af_bella-af_sky</c>.</summary>
    public VoicePack Resolve(string expression)
    {
        var key = expression.Trim();
        if (key.Length == 0)
        {
            throw new VoiceExpressionException(expression, expression);
        }

        if (key.Length > MaxExpressionLength)
        {
            throw new VoiceExpressionTooLargeException(
                $"The voice expression is {key.Length} characters; the limit is {MaxExpressionLength}.", tooManyVoices: false);
        }

        try
        {
            return _packs.GetOrAdd(key, k => new Lazy<VoicePack>(() => Build(k))).Value;
        }
        catch (Exception)
        {
            // A failed resolution must not stay cached: the file may appear later.
            _packs.TryRemove(key, out _);
            throw;
        }
    }

    public static string Canonical(string voiceId) =>
        VoiceCatalog.Aliases.TryGetValue(voiceId, out var target) ? target : voiceId.ToLowerInvariant();

    private VoicePack Build(string expression)
    {
        var terms = Parse(expression);
        if (terms.Count == 1 && terms[0].Sign > 0 && terms[0].Weight is null)
        {
            return LoadFile(terms[0].Voice);
        }

        // Weights are normalised over every term, subtracted ones included, as the legacy container does; a voice
        // named twice is mixed once with its signed weights summed, which gives the same result.
        var total = terms.Sum(t => t.Weight ?? 1.0);
        var voices = terms
            .GroupBy(t => Canonical(t.Voice), StringComparer.Ordinal)
            .Select(g => (Voice: g.Key, Weight: g.Sum(t => t.Sign * (t.Weight ?? 1.0))))
            .ToList();
        if (voices.Count > MaxMixedVoices)
        {
            throw new VoiceExpressionTooLargeException(
                $"The mix names {voices.Count} distinct voices; the limit is {MaxMixedVoices}.", tooManyVoices: true);
        }

        voices.RemoveAll(v => v.Weight == 0);
        if (voices.Count == 0)
        {
            throw new VoiceExpressionException($"Voice expression '{expression}' cancels itself out: every voice is subtracted as much as it is added.");
        }

        var packs = voices.Select(v => LoadFile(v.Voice)).ToList();
        var scales = voices.Select(v => (float)(v.Weight / total)).ToArray();
        _mixes.Enqueue(expression);
        while (_mixes.Count > MaxCachedMixes && _mixes.TryDequeue(out var oldest))
        {
            _packs.TryRemove(oldest, out _);
        }

        // The voices are found now, so a bad name is a 400 at once; the mixing itself waits for first use.
        return new VoicePack(expression, LoadFile(terms[0].Voice).LanguageCode, () => Mix(expression, packs, scales));
    }

    private float[] Mix(string expression, List<VoicePack> packs, float[] scales)
    {
        var mixed = new float[VoicePack.Rows * VoicePack.StyleSize];
        for (var i = 0; i < packs.Count; i++)
        {
            var data = packs[i].Data;
            for (var j = 0; j < mixed.Length; j++)
            {
                mixed[j] += scales[i] * data[j];
            }
        }

        LogMixed(logger, expression, packs.Count);
        return mixed;
    }

    /// <summary>Keeps <paramref name="recipe"/> under its stable id when saving is allowed; null when it is not.</summary>
    public SavedVoice? SaveRecipe(string recipe)
    {
        if (!options.Value.AllowVoiceSaving || saved is null)
        {
            return null;
        }

        var voice = saved.Find(SavedVoice.IdOf(recipe)) ?? new SavedVoice(SavedVoice.IdOf(recipe), recipe.Trim(), DateTimeOffset.UtcNow);
        saved.Save(voice);
        return voice;
    }

    /// <summary>The saved voices with their recipes.</summary>
    public IReadOnlyList<SavedVoice> SavedVoices => saved?.All() ?? [];

    private VoicePack LoadFile(string voice)
    {
        if (SavedVoice.IsId(voice))
        {
            var recipe = saved?.Find(voice) ?? throw new VoiceNotFoundException(
                voice, $"Voice id '{voice}' is not known. Save a mix with POST /v1/audio/voices/combine (TTS_ALLOW_VOICE_SAVING) and use the id it returns.");
            return Resolve(recipe.Recipe);
        }

        var id = Canonical(voice);
        var path = new[] { VoicesDirectory, SavedVoicesDirectory }
            .Where(dir => dir is not null)
            .Select(dir => Path.Combine(dir!, id + ".bin"))
            .FirstOrDefault(File.Exists);
        if (path is null)
        {
            throw VoicesDirectory is null
                ? new VoiceNotFoundException(
                    voice,
                    $"Voice '{voice}' is unavailable: no voice files were found at '{options.Value.VoicesPath}' (run scripts/install-voices.sh).")
                : new VoiceNotFoundException(voice);
        }

        return _packs.GetOrAdd("file:" + id, _ => new Lazy<VoicePack>(() => VoicePack.Load(path))).Value;
    }

    private sealed record Term(int Sign, string Voice, double? Weight);

    private static List<Term> Parse(string expression)
    {
        var terms = new List<Term>();
        var position = 0;
        var sign = 1;
        while (true)
        {
            var match = TermPattern().Match(expression, position);
            if (!match.Success || match.Index != position)
            {
                throw new VoiceExpressionException(expression, Rest(expression, position));
            }

            double? weight = null;
            if (match.Groups["w"].Success)
            {
                if (!double.TryParse(match.Groups["w"].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var w) || w <= 0 || !double.IsFinite(w))
                {
                    throw new VoiceExpressionException(expression, match.Value.Trim());
                }

                weight = w;
            }

            terms.Add(new Term(sign, match.Groups["v"].Value, weight));
            position = match.Index + match.Length;
            if (position == expression.Length)
            {
                break;
            }

            var op = expression[position];
            if (op is not ('+' or '-') || position == expression.Length - 1)
            {
                throw new VoiceExpressionException(expression, Rest(expression, position));
            }

            sign = op == '+' ? 1 : -1;
            position++;
        }

        if (terms.All(t => t.Sign < 0) || terms[0].Sign < 0)
        {
            throw new VoiceExpressionException(expression, expression);
        }

        return terms;
    }

    private static string Rest(string expression, int position) =>
        position >= expression.Length ? expression : expression[position..];

    [GeneratedRegex(@"[A-Za-z][A-Za-z0-9_]*")]
    private static partial Regex VoiceName();

    [GeneratedRegex(@"\s*(?<v>[A-Za-z][A-Za-z0-9_]*)\s*(?:\(\s*(?<w>[^)]*)\))?\s*")]
    private static partial Regex TermPattern();

    [LoggerMessage(EventId = 22, Level = LogLevel.Warning, Message = "Did not save combined voice {Name}: {Limit} saved voices are kept already")]
    private static partial void LogSavedVoicesFull(ILogger logger, string name, int limit);

    [LoggerMessage(EventId = 21, Level = LogLevel.Information, Message = "Saved combined voice {Name}")]
    private static partial void LogSaved(ILogger logger, string name);

    [LoggerMessage(EventId = 20, Level = LogLevel.Information, Message = "Mixed voice {Expression} from {Terms} terms")]
    private static partial void LogMixed(ILogger logger, string expression, int terms);
}
