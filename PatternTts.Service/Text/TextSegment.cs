namespace PatternTts.Service.Text;

/// <summary>A piece of input as the phonemizer sees it, produced by <see cref="SpeechTextParser"/>.</summary>
public abstract record TextSegment
{
    private TextSegment()
    {
    }

    /// <summary>Written text, still to be normalized and phonemized.</summary>
    public sealed record Text(string Value) : TextSegment;

    /// <summary>Phonemes that bypass espeak: an inline <c>[word](/phonemes/)</c> override or a lexicon hit.</summary>
    /// <param name="Ipa">Kokoro phonemes, as written.</param>
    /// <param name="DisplayWord">The word as it appeared in the input, for captions.</param>
    public sealed record Phonemes(string Ipa, string DisplayWord) : TextSegment;

    /// <summary>Silence requested by a <c>[pause:…]</c> tag.</summary>
    public sealed record Pause(TimeSpan Duration) : TextSegment;
}
