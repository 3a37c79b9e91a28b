using System.Text;

namespace PatternTts.Service.Synthesis.Kokoro;

public abstract record PlanItem;

/// <summary>Phonemes for one model call, with the text they came from.</summary>
public sealed record PhonemeChunk(string Text, string Phonemes, IReadOnlyList<long> Tokens, Boundary End) : PlanItem;

/// <summary>Silence asked for in the text (a pause tag).</summary>
public sealed record PauseItem(TimeSpan Duration) : PlanItem;

/// <summary>
/// Plans model calls: phonemizes clause by clause and packs them into chunks under the token limits. The first
/// chunk is kept short so the first audio needs one small model call; later chunks are larger for better prosody
/// and throughput. Clauses over a limit are cut at the longest word prefix that fits, so nothing is truncated.
/// </summary>
public sealed class ChunkPlanner(IPhonemizer phonemizer, KokoroVocabulary vocabulary, IOptions<TtsOptions> options)
{
    private sealed record Piece(string Text, string Phonemes, List<long> Tokens, Boundary End);

    public async IAsyncEnumerable<PlanItem> PlanAsync(
        IEnumerable<TextSegment> inputs,
        KokoroLanguage language,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var firstLimit = Math.Min(options.Value.FirstChunkMaxTokens, IKokoroModel.MaxPhonemeTokens);
        var laterLimit = Math.Min(options.Value.ChunkMaxTokens, IKokoroModel.MaxPhonemeTokens);
        var pending = new List<Piece>();
        var pendingTokens = 0;
        var emitted = 0;

        foreach (var input in inputs)
        {
            if (input is TextSegment.Pause silence)
            {
                if (pending.Count > 0)
                {
                    yield return Join(pending);
                    emitted++;
                    pending.Clear();
                    pendingTokens = 0;
                }

                yield return new PauseItem(silence.Duration);
                continue;
            }

            await foreach (var piece in PiecesAsync(input, language, () => emitted == 0 && pending.Count == 0 ? firstLimit : laterLimit, cancellationToken))
            {
                var limit = emitted == 0 ? firstLimit : laterLimit;
                var joinCost = pending.Count > 0 ? 1 : 0;
                if (pending.Count > 0 && pendingTokens + joinCost + piece.Tokens.Count > limit)
                {
                    yield return Join(pending);
                    emitted++;
                    pending.Clear();
                    pendingTokens = 0;
                    joinCost = 0;
                }

                pending.Add(piece);
                pendingTokens += joinCost + piece.Tokens.Count;
            }
        }

        if (pending.Count > 0)
        {
            yield return Join(pending);
        }
    }

    private async IAsyncEnumerable<Piece> PiecesAsync(
        TextSegment input,
        KokoroLanguage language,
        Func<int> currentLimit,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (input is TextSegment.Phonemes given)
        {
            var phonemes = vocabulary.Filter(given.Ipa);
            foreach (var slice in HardSplit(given.DisplayWord, phonemes, IKokoroModel.MaxPhonemeTokens))
            {
                yield return slice;
            }

            yield break;
        }

        var text = ((TextSegment.Text)input).Value;
        foreach (var clause in ClauseSplitter.Split(text))
        {
            var words = clause.Text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var start = 0;
            while (start < words.Length)
            {
                var (piece, taken) = await LongestPrefixAsync(words, start, currentLimit(), language, cancellationToken);
                start += taken;
                yield return piece with { End = start == words.Length ? clause.End : Boundary.None };
            }
        }
    }

    /// <summary>The longest run of whole words from <paramref name="start"/> whose phonemes fit the limit (binary search).</summary>
    private async Task<(Piece Piece, int Taken)> LongestPrefixAsync(
        string[] words, int start, int limit, KokoroLanguage language, CancellationToken cancellationToken)
    {
        var whole = await PhonemizeAsync(string.Join(' ', words[start..]), language, cancellationToken);
        if (whole.Tokens.Count <= limit)
        {
            return (whole, words.Length - start);
        }

        Piece? best = null;
        var bestCount = 0;
        int low = 1, high = words.Length - start - 1;
        while (low <= high)
        {
            var mid = (low + high) / 2;
            var candidate = await PhonemizeAsync(string.Join(' ', words[start..(start + mid)]), language, cancellationToken);
            if (candidate.Tokens.Count <= limit)
            {
                best = candidate;
                bestCount = mid;
                low = mid + 1;
            }
            else
            {
                high = mid - 1;
            }
        }

        if (best is not null)
        {
            return (best, bestCount);
        }

        // One word longer than the limit (a long token string): cut its phonemes rather than drop it.
        var single = await PhonemizeAsync(words[start], language, cancellationToken);
        var first = HardSplit(single.Text, single.Phonemes, limit).First();
        return (first, 1);
    }

    private async Task<Piece> PhonemizeAsync(string text, KokoroLanguage language, CancellationToken cancellationToken)
    {
        var phonemes = vocabulary.Filter(await phonemizer.PhonemizeAsync(text, language, cancellationToken));
        return new Piece(text, phonemes, vocabulary.Encode(phonemes), Boundary.None);
    }

    /// <summary>Kokoro phonemes given as they are, as model calls of at most the model's limit.</summary>
    public IEnumerable<PhonemeChunk> PlanPhonemes(string phonemes)
    {
        foreach (var piece in SplitPhonemes(phonemes, IKokoroModel.MaxPhonemeTokens))
        {
            yield return new PhonemeChunk(string.Empty, piece, vocabulary.Encode(piece), ClauseSplitter.EndOf(piece));
        }
    }

    /// <summary>
    /// Cuts phonemes into pieces of at most <paramref name="limit"/> symbols: at the last space before the limit,
    /// else after the last punctuation, else hard at the limit (one unbroken run longer than a call).
    /// </summary>
    public static IEnumerable<string> SplitPhonemes(string phonemes, int limit)
    {
        var runes = phonemes.EnumerateRunes().ToArray();
        var start = 0;
        while (start < runes.Length)
        {
            var end = Math.Min(runes.Length, start + limit);
            var next = end;
            if (end < runes.Length && runes[end].Value != ' ')
            {
                var space = Array.FindLastIndex(runes, end - 1, end - start, r => r.Value == ' ');
                var mark = Array.FindLastIndex(runes, end - 1, end - start, Rune.IsPunctuation);
                if (space > start)
                {
                    (end, next) = (space, space + 1);
                }
                else if (mark >= start)
                {
                    (end, next) = (mark + 1, mark + 1);
                }
            }

            var piece = string.Concat(runes[start..end].Select(r => r.ToString())).Trim();
            if (piece.Length > 0)
            {
                yield return piece;
            }

            start = next;
        }
    }

    /// <summary>One word's phonemes (or an override's) too long for a call, cut with the first piece carrying the word.</summary>
    private IEnumerable<Piece> HardSplit(string text, string phonemes, int limit) =>
        SplitPhonemes(phonemes, limit).Select((slice, i) => new Piece(i == 0 ? text : string.Empty, slice, vocabulary.Encode(slice), Boundary.None));

    private static PhonemeChunk Join(List<Piece> pieces)
    {
        var tokens = new List<long>();
        for (var i = 0; i < pieces.Count; i++)
        {
            if (i > 0)
            {
                tokens.Add(SpaceToken);
            }

            tokens.AddRange(pieces[i].Tokens);
        }

        return new PhonemeChunk(
            string.Join(' ', pieces.Select(p => p.Text).Where(t => t.Length > 0)),
            string.Join(' ', pieces.Select(p => p.Phonemes)),
            tokens,
            pieces[^1].End);
    }

    private static readonly long SpaceToken = KokoroVocabulary.Default.Encode(" ")[0];
}
