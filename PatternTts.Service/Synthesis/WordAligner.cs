using System.Text;

namespace PatternTts.Service.Synthesis;

/// <summary>What a caption's times rest on, as <c>timestamp_source</c> reports it.</summary>
public static class WordTimingSources
{
    /// <summary>The model's predicted per-token durations.</summary>
    public const string ModelDurations = "model_durations";

    /// <summary>espeak-ng's word events while it spoke.</summary>
    public const string EspeakEvents = "espeak_events";

    /// <summary>The chunk's voiced span shared out by phoneme count: the export has no duration output.</summary>
    public const string Estimated = "estimated";
}

/// <summary>
/// Puts each word of a chunk on the chunk's shaped audio. Times are first found in the engine's own samples, then
/// moved by what <see cref="ChunkShaper"/> trimmed from the start and clamped to the voiced part, so a caption
/// never points into cut silence or the added pause.
/// </summary>
public static class WordAligner
{
    private const double SampleRate = Audio.AudioConstants.SampleRate;

    private sealed record Word(string Display, int Start, int End, int Weight);

    /// <summary>
    /// Captions for one model call: from its per-phoneme durations when it has them (one per phoneme plus a pad at
    /// each end, in units of <paramref name="samplesPerUnit"/> samples), else estimated from the voiced span.
    /// </summary>
    public static (IReadOnlyList<WordTiming> Words, string Source) FromDurations(
        string text, string phonemes, long[]? durations, int samplesPerUnit, ReadOnlySpan<float> audio, int trimmedLead, int voicedLength)
    {
        var runes = phonemes.EnumerateRunes().ToArray();
        if (durations is not null && durations.Length == runes.Length + 2)
        {
            // The leading pad's duration is the silence before the first phoneme.
            var spans = new (long Start, long End)[runes.Length];
            var position = durations[0] * samplesPerUnit;
            for (var i = 0; i < runes.Length; i++)
            {
                var next = position + durations[i + 1] * samplesPerUnit;
                spans[i] = (position, next);
                position = next;
            }

            return (Place(Align(text, runes, spans, (durations[0] * samplesPerUnit, position)), trimmedLead, voicedLength), WordTimingSources.ModelDurations);
        }

        var (first, last) = ChunkShaper.VoicedRange(audio);
        return (Estimate(text, runes, first, Math.Max(first, last + 1), trimmedLead, voicedLength), WordTimingSources.Estimated);
    }

    /// <summary>
    /// Captions from word starts reported while speaking: each is a character index into <paramref name="text"/>
    /// and the sample, in <paramref name="samples"/>'s rate, where that word begins.
    /// </summary>
    public static IReadOnlyList<WordTiming> FromWordStarts(
        string text, IEnumerable<(int TextIndex, long Sample)> wordStarts, ReadOnlySpan<float> samples, int trimmedLead, int voicedLength)
    {
        var words = Words(text);
        if (words.Count == 0)
        {
            return [];
        }

        var (first, last) = ChunkShaper.VoicedRange(samples);
        var rangeEnd = Math.Max(first, last + 1);
        var starts = new long?[words.Count];
        foreach (var (index, sample) in wordStarts)
        {
            var word = words.FindIndex(w => index >= w.Start && index < w.End);
            if (word >= 0 && starts[word] is null)
            {
                starts[word] = sample;
            }
        }

        var spans = FillGaps(words, starts, first, rangeEnd);
        return Place([.. words.Select((w, i) => (w.Display, spans[i].Start, spans[i].End))], trimmedLead, voicedLength);
    }

    private static IReadOnlyList<WordTiming> Estimate(string text, Rune[] runes, int first, int end, int trimmedLead, int voicedLength)
    {
        var spans = new (long Start, long End)[runes.Length];
        for (var i = 0; i < runes.Length; i++)
        {
            spans[i] = (first + (long)(end - first) * i / runes.Length, first + (long)(end - first) * (i + 1) / runes.Length);
        }

        return Place(Align(text, runes, spans, (first, end)), trimmedLead, voicedLength);
    }

    /// <summary>
    /// Maps words to phoneme groups (the phonemes between spaces). espeak sometimes merges short words
    /// ("of the" → one group); then each word takes a share of the chunk's letters in proportion to its own.
    /// </summary>
    private static List<(string Word, long Start, long End)> Align(string text, Rune[] runes, (long Start, long End)[] spans, (long Start, long End) whole)
    {
        var words = Words(text);
        // A group spans its first to last letter: punctuation around a word is pause, not the word.
        var groups = new List<(int First, int Last)>();
        var letters = new List<int>();
        var groupFirst = -1;
        var groupLast = -1;
        for (var i = 0; i <= runes.Length; i++)
        {
            if (i == runes.Length || runes[i].Value == ' ')
            {
                if (groupFirst >= 0)
                {
                    groups.Add((groupFirst, groupLast));
                }

                groupFirst = -1;
                continue;
            }

            if (Rune.IsLetter(runes[i]))
            {
                groupFirst = groupFirst < 0 ? i : groupFirst;
                groupLast = i;
                letters.Add(i);
            }
        }

        if (words.Count == groups.Count)
        {
            return [.. words.Select((w, i) => (w.Display, spans[groups[i].First].Start, spans[groups[i].Last].End))];
        }

        if (letters.Count == 0)
        {
            return [.. words.Select((w, i) => (w.Display, whole.Start + (whole.End - whole.Start) * i / words.Count, whole.Start + (whole.End - whole.Start) * (i + 1) / words.Count))];
        }

        var total = words.Sum(w => w.Weight);
        var result = new List<(string, long, long)>(words.Count);
        var before = 0;
        foreach (var word in words)
        {
            var from = Math.Min(letters.Count - 1, (int)((long)before * letters.Count / total));
            before += word.Weight;
            var to = Math.Max(from, (int)Math.Ceiling((double)before * letters.Count / total) - 1);
            result.Add((word.Display, spans[letters[from]].Start, spans[letters[Math.Min(to, letters.Count - 1)]].End));
        }

        return result;
    }

    /// <summary>Words without their own start take a share, by letters, of the time between the starts around them.</summary>
    private static (long Start, long End)[] FillGaps(List<Word> words, long?[] starts, long rangeStart, long rangeEnd)
    {
        var anchors = new List<(int Index, long Sample)>();
        if (starts[0] is null)
        {
            anchors.Add((0, rangeStart));
        }

        for (var i = 0; i < words.Count; i++)
        {
            if (starts[i] is { } sample && (anchors.Count == 0 || sample >= anchors[^1].Sample))
            {
                anchors.Add((i, Math.Min(sample, rangeEnd)));
            }
        }

        anchors.Add((words.Count, Math.Max(rangeEnd, anchors[^1].Sample)));
        var result = new (long Start, long End)[words.Count];
        for (var a = 0; a + 1 < anchors.Count; a++)
        {
            var (from, fromSample) = anchors[a];
            var (to, toSample) = anchors[a + 1];
            var weight = 0;
            for (var i = from; i < to; i++)
            {
                weight += words[i].Weight;
            }

            var done = 0;
            for (var i = from; i < to; i++)
            {
                result[i].Start = fromSample + (toSample - fromSample) * done / Math.Max(weight, 1);
                done += words[i].Weight;
            }
        }

        for (var i = 0; i < words.Count; i++)
        {
            result[i].End = i + 1 < words.Count ? result[i + 1].Start : Math.Max(rangeEnd, result[i].Start);
        }

        return result;
    }

    /// <summary>Model samples → seconds on the shaped chunk, kept inside its voiced part and in order.</summary>
    private static List<WordTiming> Place(IReadOnlyList<(string Word, long Start, long End)> words, int trimmedLead, int voicedLength)
    {
        var result = new List<WordTiming>(words.Count);
        var previousEnd = 0.0;
        foreach (var (word, start, end) in words)
        {
            var startTime = Math.Max(previousEnd, Math.Clamp(start - trimmedLead, 0, voicedLength) / SampleRate);
            var endTime = Math.Max(startTime, Math.Clamp(end - trimmedLead, 0, voicedLength) / SampleRate);
            result.Add(new WordTiming(word, startTime, endTime));
            previousEnd = endTime;
        }

        return result;
    }

    /// <summary>The spoken words of a text: whitespace-separated runs holding a letter or digit, edge punctuation removed.</summary>
    private static List<Word> Words(string text)
    {
        var words = new List<Word>();
        var i = 0;
        while (i < text.Length)
        {
            while (i < text.Length && char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            var start = i;
            while (i < text.Length && !char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            var token = text[start..i];
            var display = token.Trim(EdgePunctuation);
            var weight = display.Count(char.IsLetterOrDigit);
            if (weight > 0)
            {
                words.Add(new Word(display, start, i, weight));
            }
        }

        return words;
    }

    private static readonly char[] EdgePunctuation = [.. ".,;:!?¡¿—–-…\"'«»“”‘’()[]{}*_~".ToCharArray()];
}
