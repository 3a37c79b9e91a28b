namespace PatternTts.Service.Synthesis;

/// <summary>
/// Bounds what one request may ask for, before any synthesis runs: the total of its pause tags, and its spoken
/// length estimated from the prepared text. The estimate errs long for ordinary speech, so a text at the input limit
/// read at the slowest speed still fits the default; input that normalization blows up (runs of digits or symbols
/// read as words) does not.
/// </summary>
public sealed class SpeechBudget(IOptions<TtsOptions> options)
{
    /// <summary>Characters of prepared text spoken per second at speed 1 (speech runs at 14 to 18).</summary>
    public const double CharactersPerSecond = 12;

    /// <summary>Kokoro phoneme tokens spoken per second at speed 1 (about 12 to 15).</summary>
    public const double PhonemesPerSecond = 12;

    /// <summary>The prepared segments, or <see cref="SpeechTooLongException"/> when they exceed a limit.</summary>
    public IReadOnlyList<TextSegment> Check(IReadOnlyList<TextSegment> segments, float speed)
    {
        var settings = options.Value;
        var pauses = TimeSpan.Zero;
        var spoken = 0.0;
        foreach (var segment in segments)
        {
            switch (segment)
            {
                case TextSegment.Pause pause:
                    pauses += pause.Duration;
                    break;
                case TextSegment.Text text:
                    spoken += text.Value.Length / CharactersPerSecond;
                    break;
                case TextSegment.Phonemes phonemes:
                    spoken += phonemes.Ipa.Length / PhonemesPerSecond;
                    break;
            }
        }

        if (pauses.TotalSeconds > settings.MaxTotalPauseSeconds)
        {
            throw new SpeechTooLongException(
                $"The pause tags ask for {pauses.TotalSeconds:F0} s of silence; the limit is {settings.MaxTotalPauseSeconds} s per request (TTS_MAX_TOTAL_PAUSE_SECONDS).",
                "pause_too_long");
        }

        var estimate = spoken / speed + pauses.TotalSeconds;
        if (estimate > settings.MaxAudioSeconds)
        {
            throw new SpeechTooLongException(
                $"The input would make about {estimate:F0} s of audio; the limit is {settings.MaxAudioSeconds} s per request (TTS_MAX_AUDIO_SECONDS). Send shorter input or a higher speed.",
                "audio_too_long");
        }

        return segments;
    }
}
