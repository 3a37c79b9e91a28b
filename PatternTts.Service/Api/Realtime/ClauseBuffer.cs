using System.Text;

namespace PatternTts.Service.Api.Realtime;

/// <summary>A piece of the socket's text ready to speak, and where it starts in everything the client appended.</summary>
public sealed record PendingClause(string Text, int Offset);

/// <summary>
/// The text a speech socket was sent but has not spoken yet. Appends may end anywhere, even inside a word; a clause
/// is given out once it is complete: a sentence mark followed by a space, a clause mark (<c>, ; : —</c>) after at
/// least <see cref="MinClauseCharacters"/>, or <see cref="MaxClauseCharacters"/> of words with no mark at all. A word is
/// complete only when the space after it has arrived, so no word is ever split between two model calls.
/// </summary>
public sealed class ClauseBuffer(int maxCharacters)
{
    /// <summary>Shorter clauses wait for more at a comma: a model call per two words would sound choppy.</summary>
    public const int MinClauseCharacters = 24;

    /// <summary>Text without any mark is cut at a space past this length, so a run-on reply still starts speaking.</summary>
    public const int MaxClauseCharacters = 200;

    private static readonly string[] Abbreviations = ["mr", "mrs", "ms", "dr", "st", "mt", "jr", "sr", "vs", "etc", "e.g", "i.e", "prof", "no", "fig"];

    private readonly StringBuilder _text = new();
    private int _offset;

    /// <summary>Characters waiting to be spoken.</summary>
    public int Length => _text.Length;

    /// <summary>Adds text; false (and nothing added) when the unspoken text would pass the limit.</summary>
    public bool TryAppend(string text)
    {
        if (_text.Length + text.Length > maxCharacters)
        {
            return false;
        }

        _text.Append(text);
        return true;
    }

    /// <summary>Every complete clause, in order; what is left is an unfinished clause.</summary>
    public IReadOnlyList<PendingClause> TakeClauses()
    {
        var clauses = new List<PendingClause>();
        while (NextBoundary() is var end and > 0)
        {
            Take(end, clauses);
        }

        return clauses;
    }

    /// <summary>Everything waiting, finished or not (a flush or the end of input).</summary>
    public IReadOnlyList<PendingClause> TakeAll()
    {
        var clauses = new List<PendingClause>(TakeClauses());
        Take(_text.Length, clauses);
        return clauses;
    }

    /// <summary>Drops what is waiting (a cancel); offsets go on counting from everything appended.</summary>
    public void Clear()
    {
        _offset += _text.Length;
        _text.Clear();
    }

    private void Take(int end, List<PendingClause> clauses)
    {
        var text = _text.ToString(0, end);
        if (!string.IsNullOrWhiteSpace(text))
        {
            clauses.Add(new PendingClause(text, _offset));
        }

        _text.Remove(0, end);
        _offset += end;
    }

    /// <summary>Where the first complete clause ends (after its mark and the space), or 0 when none is complete.</summary>
    private int NextBoundary()
    {
        for (var i = 0; i + 1 < _text.Length; i++)
        {
            if (!char.IsWhiteSpace(_text[i + 1]))
            {
                continue;
            }

            var c = _text[i];
            if (c is '!' or '?' or '\n' || (c == '.' && !IsAbbreviation(i)))
            {
                return i + 2;
            }

            if (c is ',' or ';' or ':' or '—' or '–' && i + 1 >= MinClauseCharacters)
            {
                return i + 2;
            }

            if (i + 1 >= MaxClauseCharacters)
            {
                return i + 2;
            }
        }

        // A single word longer than the limit waits for its end: it is never cut.
        return 0;
    }

    private bool IsAbbreviation(int dot)
    {
        var start = dot;
        while (start > 0 && (char.IsLetter(_text[start - 1]) || _text[start - 1] == '.'))
        {
            start--;
        }

        var word = _text.ToString(start, dot - start).ToLowerInvariant();
        // A single letter ("J. Smith") is an initial, not the end of a sentence.
        return word.Length == 1 || Abbreviations.Contains(word);
    }
}
