using System.Collections.Frozen;
using System.Text;

namespace PatternTts.Service.Synthesis.Kokoro;

public abstract record PlanItem;

/// <summary>Phonemes for one model call, with the text they came from.</summary>
public sealed record PhonemeChunk(string Text, string Phonemes, IReadOnlyList<long> Tokens, Boundary End) : PlanItem;

/// <summary>Silence asked for in the text (a pause tag).</summary>
public sealed record PauseItem(TimeSpan Duration) : PlanItem;

/// <summary>
/// Plans model calls. Kokoro speaks each call as a whole utterance (a falling end, its own style row), so calls end
/// where a speaker could pause: clauses are phonemized whole and packed under the token limit. A streamed
/// request's first call is the first clause, plus the clauses after it while they fit the first-chunk limit, so
/// the first audio needs one small call that still ends at a clause mark; a request that is not streamed packs whole
/// sentences from the start. Only a clause longer than the general limit is cut inside, at its weakest word boundary
/// (before a conjunction, a relative word or a preposition), so nothing is truncated.
/// </summary>
public sealed class ChunkPlanner(IPhonemizer phonemizer, KokoroVocabulary vocabulary, IOptions<TtsOptions> options)
{
    private sealed record Piece(string Text, string Phonemes, List<long> Tokens, Boundary End);

    public async IAsyncEnumerable<PlanItem> PlanAsync(
        IEnumerable<TextSegment> inputs,
        KokoroLanguage language,
        bool streamed,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var laterLimit = Math.Min(options.Value.ChunkMaxTokens, IKokoroModel.MaxPhonemeTokens);
        var firstLimit = streamed ? Math.Min(options.Value.FirstChunkMaxTokens, laterLimit) : laterLimit;
        var pending = new List<Piece>();
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
                }

                yield return new PauseItem(silence.Duration);
                continue;
            }

            await foreach (var piece in PiecesAsync(input, language, laterLimit, cancellationToken))
            {
                if (pending.Count > 0)
                {
                    var total = TokenCount(pending) + (NeedsSpace(piece.Phonemes) ? 1 : 0) + piece.Tokens.Count;
                    var limit = emitted == 0 ? firstLimit : laterLimit;
                    // Past the first-chunk limit a call still waits for its clause mark; past the general limit it
                    // must go.
                    if (total > laterLimit || total > limit && pending[^1].End != Boundary.None)
                    {
                        // Later calls (and every call of a request that is not streamed) end at a sentence when
                        // they hold one; the clauses after it open the next call.
                        var keep = emitted == 0 && streamed ? pending.Count : LastSentenceEnd(pending) + 1;
                        yield return Join(pending[..keep]);
                        emitted++;
                        pending.RemoveRange(0, keep);
                        if (pending.Count > 0 && TokenCount(pending) + 1 + piece.Tokens.Count > laterLimit)
                        {
                            yield return Join(pending);
                            emitted++;
                            pending.Clear();
                        }
                    }
                }

                pending.Add(piece);
            }
        }

        if (pending.Count > 0)
        {
            yield return Join(pending);
        }
    }

    // The index of the last piece that ends a sentence, or the last piece when none does.
    private static int LastSentenceEnd(List<Piece> pieces)
    {
        var last = pieces.FindLastIndex(p => p.End == Boundary.Sentence);
        return last < 0 ? pieces.Count - 1 : last;
    }

    private static int TokenCount(List<Piece> pieces)
    {
        var count = 0;
        for (var i = 0; i < pieces.Count; i++)
        {
            count += pieces[i].Tokens.Count + (i > 0 && NeedsSpace(pieces[i].Phonemes) ? 1 : 0);
        }

        return count;
    }

    private async IAsyncEnumerable<Piece> PiecesAsync(
        TextSegment input,
        KokoroLanguage language,
        int limit,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (input is TextSegment.Phonemes given)
        {
            var phonemes = vocabulary.Filter(given.Ipa);
            foreach (var slice in HardSplit(given.DisplayWord, phonemes, IKokoroModel.MaxPhonemeTokens))
            {
                yield return slice with { End = ClauseSplitter.EndOf(slice.Phonemes) };
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
                var (piece, taken) = await ClausePrefixAsync(words, start, limit, language, cancellationToken);
                start += taken;
                yield return piece with { End = start == words.Length ? clause.End : Boundary.None };
            }
        }
    }

    /// <summary>
    /// The rest of a clause when it fits; otherwise the run of whole words that ends at the clause's weakest word
    /// boundary among those that fit and keep at least half the longest fitting run (binary search for that run).
    /// </summary>
    private async Task<(Piece Piece, int Taken)> ClausePrefixAsync(
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

        if (best is null)
        {
            // One word longer than the limit (a long token string): cut its phonemes rather than drop it.
            var single = await PhonemizeAsync(words[start], language, cancellationToken);
            return (HardSplit(single.Text, single.Phonemes, limit).First(), 1);
        }

        var weakest = WeakestBoundary(words, start, bestCount);
        return weakest == bestCount
            ? (best, bestCount)
            : (await PhonemizeAsync(string.Join(' ', words[start..(start + weakest)]), language, cancellationToken), weakest);
    }

    /// <summary>How many words to take (between half of <paramref name="longest"/> and all of it) so the cut falls where the clause links least.</summary>
    private static int WeakestBoundary(string[] words, int start, int longest)
    {
        var best = longest;
        var bestStrength = Strength(words, start + longest);
        for (var taken = longest - 1; taken >= Math.Max(1, (longest + 1) / 2); taken--)
        {
            var strength = Strength(words, start + taken);
            if (strength > bestStrength)
            {
                (best, bestStrength) = (taken, strength);
            }
        }

        return best;
    }

    // How good a cut before words[next] is: before a conjunction or relative word, then before a preposition, then anywhere.
    private static int Strength(string[] words, int next)
    {
        if (next >= words.Length)
        {
            return 0;
        }

        var word = words[next].Trim('"', '“', '(', '\'').ToLowerInvariant();
        return Conjunctions.Contains(word) ? 2 : Prepositions.Contains(word) ? 1 : 0;
    }

    private static readonly FrozenSet<string> Conjunctions = FrozenSet.Create(StringComparer.Ordinal,
        "and", "but", "or", "nor", "so", "yet", "because", "although", "though", "while", "whereas", "unless", "until",
        "since", "when", "where", "which", "who", "whom", "whose", "that", "if", "then", "before", "after");

    private static readonly FrozenSet<string> Prepositions = FrozenSet.Create(StringComparer.Ordinal,
        "of", "in", "on", "at", "to", "for", "with", "from", "by", "about", "into", "over", "under", "between",
        "through", "during", "without", "within", "against", "among", "across", "toward", "towards");

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
        var phonemes = new StringBuilder();
        for (var i = 0; i < pieces.Count; i++)
        {
            if (i > 0 && NeedsSpace(pieces[i].Phonemes))
            {
                tokens.Add(SpaceToken);
                phonemes.Append(' ');
            }

            tokens.AddRange(pieces[i].Tokens);
            phonemes.Append(pieces[i].Phonemes);
        }

        return new PhonemeChunk(
            string.Join(' ', pieces.Select(p => p.Text).Where(t => t.Length > 0)),
            phonemes.ToString(),
            tokens,
            pieces[^1].End);
    }

    /// <summary>misaki never puts a space before closing punctuation (a lexicon word followed by its full stop).</summary>
    private static bool NeedsSpace(string next) => next.Length == 0 || !ClosingPunctuation.Contains(next[0]);

    private const string ClosingPunctuation = ".,;:!?…)]}”»";

    private static readonly long SpaceToken = KokoroVocabulary.Default.Encode(" ")[0];
}
