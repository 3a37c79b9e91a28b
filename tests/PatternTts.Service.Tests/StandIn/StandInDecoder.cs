namespace PatternTts.Service.Tests.StandIn;

/// <summary>One padded token as the stand-in model rendered it.</summary>
/// <param name="TokenId">The token id fed (0 for the pads).</param>
/// <param name="VoiceIndex">The position of the voice in <see cref="StandInVoices.Write"/>.</param>
/// <param name="StyleRow">The style row fed.</param>
/// <param name="Length">Samples in the segment (600 × duration units).</param>
public sealed record StandInSegment(long TokenId, int VoiceIndex, int StyleRow, int Length);

/// <summary>Inverts the encoding documented on <see cref="StandInModelBuilder"/>.</summary>
public static class StandInDecoder
{
    private const float GridScale = 16_777_216f; // 2^24

    /// <summary>
    /// Decodes stand-in audio into segments. Runs of exact zeros (silence a pipeline may insert between chunks)
    /// are skipped. Throws <see cref="InvalidDataException"/> when the audio is not stand-in output as produced
    /// (scaled, resampled, clipped, cut inside a segment) or the style fed was not a row of a
    /// <see cref="StandInVoices"/> file.
    /// </summary>
    public static IReadOnlyList<StandInSegment> Decode(ReadOnlySpan<float> audio)
    {
        var segments = new List<StandInSegment>();
        var i = 0;
        while (i < audio.Length)
        {
            if (audio[i] == 0f)
            {
                i++;
                continue;
            }

            var positiveStart = i;
            var positive = audio[i];
            if (positive < 0)
            {
                throw new InvalidDataException($"Sample {i}: a segment must start with its positive half; got {positive}.");
            }
            var positiveLength = RunLength(audio, i);
            i += positiveLength;
            if (i >= audio.Length || audio[i] >= 0)
            {
                throw new InvalidDataException($"Sample {positiveStart}: the positive half is not followed by a negative half.");
            }
            var negative = audio[i];
            var negativeLength = RunLength(audio, i);
            i += negativeLength;

            if (positiveLength != negativeLength)
            {
                throw new InvalidDataException(
                    $"Sample {positiveStart}: segment halves differ in length ({positiveLength} vs {negativeLength}).");
            }

            var (token, voice, row) = Split(positive, positiveStart);
            var (tokenLast, voiceLast, rowLast) = Split(-negative, positiveStart + positiveLength);
            if (token != tokenLast)
            {
                throw new InvalidDataException(
                    $"Sample {positiveStart}: the segment halves carry different token ids ({token} vs {tokenLast}); the audio was altered.");
            }
            if (voiceLast != StandInVoices.MaxVoices - 1 - voice || rowLast != 511 - row)
            {
                throw new InvalidDataException(
                    $"Sample {positiveStart}: style[0] (voice {voice}, row {row}) and style[255] (voice {StandInVoices.MaxVoices - 1 - voiceLast}, " +
                    $"row {511 - rowLast}) disagree: the style was not one whole row of a StandInVoices file, or the audio was altered.");
            }
            segments.Add(new StandInSegment(token, voice, row, positiveLength * 2));
        }
        return segments;
    }

    /// <summary>The token ids in order, pads included.</summary>
    public static long[] TokenIds(ReadOnlySpan<float> audio) => Decode(audio).Select(s => s.TokenId).ToArray();

    private static int RunLength(ReadOnlySpan<float> audio, int start)
    {
        var value = audio[start];
        var end = start + 1;
        while (end < audio.Length && audio[end] == value)
        {
            end++;
        }
        return end - start;
    }

    private static (long Token, int Voice, int Row) Split(float magnitude, int at)
    {
        // Every float32 in [0.5, 1) is a multiple of 2^-24, so the range check is the whole grid check; the
        // complement check in Decode is what catches altered values.
        var scaled = (magnitude - 0.5f) * GridScale;
        if (magnitude is < 0.5f or >= 1f)
        {
            throw new InvalidDataException($"Sample {at}: {magnitude:R} is not on the stand-in grid.");
        }
        var code = (long)scaled;
        var token = code >> 15;
        var style = (int)(code & 0x7FFF);
        return (token, style >> 9, style & 0x1FF);
    }
}
