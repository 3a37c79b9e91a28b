using System.Text.RegularExpressions;

namespace PatternTts.Service.Synthesis;

/// <summary>A word of the client's own text and when it is spoken, in seconds from the start of the audio.</summary>
/// <param name="StartIndex">Where the word starts in the text the client sent (UTF-16 offset).</param>
/// <param name="EndIndex">Where it ends (exclusive).</param>
public sealed record InputWordTiming(string Word, int StartIndex, int EndIndex, double StartTime, double EndTime);

/// <summary>
/// Puts the times of the words the engine spoke — normalized text, where "$5" became "five dollars" — on the words
/// of the text the client sent. Both run in the same order, so words that read the same (letters and digits, case
/// aside) anchor the two; what lies between two anchors is shared out, so "$5" spans "five" to "dollars".
/// A word is given out once its successor is anchored, so each answer covers audio already spoken.
/// </summary>
public sealed partial class InputWordMapper
{
    /// <summary>How far ahead in the input a spoken word may find its match: more than any expansion shifts words.</summary>
    private const int Window = 6;

    private readonly List<(string Text, int Start, int End, string Key)> _input = [];
    private readonly List<WordTiming> _pending = [];
    private int _next;
    private double _lastEnd;

    /// <param name="offset">Where <paramref name="text"/> starts in everything the client sent (a socket's earlier appends).</param>
    public InputWordMapper(string text, int offset = 0)
    {
        foreach (Match word in WordPattern().Matches(text))
        {
            var key = Key(word.Value);
            if (key.Length > 0)
            {
                _input.Add((word.Value.Trim(EdgePunctuation), offset + word.Index, offset + word.Index + word.Length, key));
            }
        }
    }

    /// <summary>Takes the next spoken words (times from the start of the audio) and returns the input words now settled.</summary>
    public IReadOnlyList<InputWordTiming> Add(IEnumerable<WordTiming> spoken)
    {
        var settled = new List<InputWordTiming>();
        foreach (var word in spoken)
        {
            var key = Key(word.Word);
            var match = key.Length == 0 ? -1 : FindMatch(key);
            if (match < 0)
            {
                _pending.Add(word);
                continue;
            }

            // Extra spoken words with no input word of their own belong to the word they lead into.
            var start = word.StartTime;
            if (match == _next && _pending.Count > 0)
            {
                start = _pending[0].StartTime;
                _pending.Clear();
            }

            Share(match, settled);
            var (text, from, to, _) = _input[match];
            settled.Add(new InputWordTiming(text, from, to, start, word.EndTime));
            _lastEnd = word.EndTime;
            _next = match + 1;
        }

        return settled;
    }

    /// <summary>The input words still waiting, shared over what was spoken since the last anchor.</summary>
    public IReadOnlyList<InputWordTiming> Finish()
    {
        var settled = new List<InputWordTiming>();
        Share(_input.Count, settled);
        _next = _input.Count;
        return settled;
    }

    private int FindMatch(string key)
    {
        for (var i = _next; i < Math.Min(_input.Count, _next + Window); i++)
        {
            if (_input[i].Key == key)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Input words [_next, end) get the pending spoken words in order, evenly; without any, they take no time.</summary>
    private void Share(int end, List<InputWordTiming> settled)
    {
        var count = end - _next;
        for (var i = 0; i < count; i++)
        {
            var (text, from, to, _) = _input[_next + i];
            var first = i * _pending.Count / count;
            var last = ((i + 1) * _pending.Count / count) - 1;
            if (last < first)
            {
                settled.Add(new InputWordTiming(text, from, to, _lastEnd, _lastEnd));
                continue;
            }

            settled.Add(new InputWordTiming(text, from, to, _pending[first].StartTime, _pending[last].EndTime));
            _lastEnd = _pending[last].EndTime;
        }

        if (count > 0)
        {
            _pending.Clear();
        }
    }

    private static readonly char[] EdgePunctuation = ['.', ',', ';', ':', '!', '?', '"', '\'', '(', ')', '[', ']', '«', '»', '“', '”', '‘', '’', '—', '–'];

    private static string Key(string word)
    {
        Span<char> key = stackalloc char[Math.Min(word.Length, 256)];
        var length = 0;
        foreach (var c in word)
        {
            if (char.IsLetterOrDigit(c) && length < key.Length)
            {
                key[length++] = char.ToLowerInvariant(c);
            }
        }

        return new string(key[..length]);
    }

    [GeneratedRegex(@"\S+")]
    private static partial Regex WordPattern();
}
