using System.Globalization;
using System.Text.RegularExpressions;

namespace PatternTts.Service.Text;

/// <summary>
/// Splits request text into plain text, phonemes that bypass espeak (inline <c>[word](/phonemes/)</c> overrides
/// and lexicon words) and pauses (<c>[pause:1.5s]</c>, <c>[pause:500ms]</c>). Stateless and thread-safe.
/// </summary>
/// <remarks>
/// A pause longer than <see cref="MaxPause"/> is clamped to it. A <c>[pause:…]</c> tag whose value cannot be read
/// is rejected with <see cref="SpeechTextFormatException"/> rather than spoken aloud, so callers can return 400.
/// Square brackets that form neither tag are ordinary text.
/// </remarks>
public sealed partial class SpeechTextParser(PronunciationLexicon lexicon)
{
    public static readonly TimeSpan MaxPause = TimeSpan.FromSeconds(10);

    private readonly PronunciationLexicon _lexicon = lexicon ?? throw new ArgumentNullException(nameof(lexicon));

    /// <param name="useLexicon">
    /// Whether lexicon words bypass espeak. The lexicon is American (O, æ, T are outside misaki's British set), so
    /// British voices read those words through espeak's en-gb instead.
    /// </param>
    public IReadOnlyList<TextSegment> Parse(string text, bool useLexicon = true)
    {
        ArgumentNullException.ThrowIfNull(text);
        var segments = new List<TextSegment>();
        var position = 0;
        foreach (Match tag in TagRegex().Matches(text))
        {
            AddText(segments, text[position..tag.Index], useLexicon);
            if (tag.Groups["pause"].Success)
            {
                var duration = ParsePause(tag.Groups["pause"].Value, tag.Value);
                if (duration > TimeSpan.Zero)
                {
                    segments.Add(new TextSegment.Pause(duration));
                }
            }
            else
            {
                segments.Add(new TextSegment.Phonemes(tag.Groups["ipa"].Value.Trim(), tag.Groups["word"].Value.Trim()));
            }

            position = tag.Index + tag.Length;
        }

        AddText(segments, text[position..], useLexicon);
        return segments;
    }

    private void AddText(List<TextSegment> segments, string text, bool useLexicon)
    {
        if (text.Length == 0)
        {
            return;
        }

        var position = 0;
        if (useLexicon && _lexicon.WordPattern is { } pattern)
        {
            foreach (Match word in pattern.Matches(text))
            {
                AppendText(segments, text[position..word.Index]);
                if (_lexicon.TryGetPhonemes(word.Value, out var phonemes))
                {
                    segments.Add(new TextSegment.Phonemes(phonemes, word.Value));
                }

                position = word.Index + word.Length;
            }
        }

        AppendText(segments, text[position..]);
    }

    private static void AppendText(List<TextSegment> segments, string text)
    {
        if (text.Length == 0)
        {
            return;
        }

        if (segments.Count > 0 && segments[^1] is TextSegment.Text previous)
        {
            segments[^1] = new TextSegment.Text(previous.Value + text);
        }
        else
        {
            segments.Add(new TextSegment.Text(text));
        }
    }

    private static TimeSpan ParsePause(string value, string tag)
    {
        var match = PauseValueRegex().Match(value);
        if (!match.Success
            || !double.TryParse(match.Groups["n"].Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount))
        {
            throw new SpeechTextFormatException(
                $"Cannot read the pause tag '{tag}': write a duration such as [pause:1.5s] or [pause:500ms].");
        }

        // Clamped as a number first: a TimeSpan cannot hold every value a client can write.
        var seconds = match.Groups["unit"].Value.Equals("ms", StringComparison.OrdinalIgnoreCase) ? amount / 1000 : amount;
        return seconds >= MaxPause.TotalSeconds ? MaxPause : TimeSpan.FromSeconds(seconds);
    }

    [GeneratedRegex(@"\[(?i:pause)\s*:(?<pause>[^\[\]]*)\]|\[(?<word>[^\[\]]+)\]\(/(?<ipa>[^/()]+)/\)", RegexOptions.CultureInvariant)]
    private static partial Regex TagRegex();

    [GeneratedRegex(@"^\s*(?<n>\d+(?:\.\d+)?|\.\d+)\s*(?<unit>s|ms|sec|secs|seconds?)?\s*$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex PauseValueRegex();
}

/// <summary>Request text contains a tag that looks like markup but cannot be read.</summary>
public sealed class SpeechTextFormatException(string message) : FormatException(message);
