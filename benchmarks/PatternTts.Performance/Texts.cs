namespace PatternTts.Performance;

/// <summary>What the benchmark speaks: a sentence, the specification's 100-word text, and long-form text of any length.</summary>
public static class Texts
{
    /// <summary>What the throughput runs speak: a short prompt, many at once.</summary>
    public const string Phrase = "Your order has shipped.";

    public const string Sentence = "The meeting has moved to three o'clock this afternoon.";

    public const string HundredWords =
        "Pattern TTS turns written text into natural speech. It streams audio as soon as the first short clause is ready, " +
        "so a listener hears the start of an answer while the rest is still being made. Long passages are cut at " +
        "sentences, then clauses, then words, and nothing is ever dropped. Numbers like 1,250 and times like 10:35 pm " +
        "are read the way people say them. Every request is bounded, every error is clear, and the service keeps " +
        "serving when a client goes away halfway through. This paragraph has about one hundred words, which is the size " +
        "the targets speak of.";

    private static readonly string[] Book =
    [
        "The lighthouse keeper climbed the spiral stairs every evening, counting one hundred and twelve steps.",
        "At the top, he wiped the great lens, trimmed the wick, and watched the ships pass in the failing light.",
        "Some nights the fog rolled in so thick that he could not see his own hand, and then he rang the bell instead.",
        "His daughter, who lived in the town across the bay, wrote to him every Sunday, and he answered every Monday.",
        "She told him about the market, the new school, and the storm that had taken the roof off the old church.",
        "He told her about the gulls, the seals on the northern rocks, and the strange blue glow on the water in August.",
        "When the letters stopped one winter, he rowed across the bay himself, through waves as high as a house.",
        "He found her well, but busy with a child of her own, and he stayed a week before the light called him home.",
    ];

    /// <summary>Sentences of the book, in order and round again, up to <paramref name="characters"/> (never more).</summary>
    public static string LongForm(int characters)
    {
        var text = new System.Text.StringBuilder();
        for (var i = 0; ; i++)
        {
            var next = Book[i % Book.Length];
            if (text.Length + next.Length + 1 > characters)
            {
                return text.ToString();
            }

            text.Append(text.Length == 0 ? "" : " ").Append(next);
        }
    }
}
