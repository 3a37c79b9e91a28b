namespace PatternTts.Service.Synthesis;

/// <summary>Moves a chunk's word times (from its first sample) onto the clock of the whole audio.</summary>
public static class SpeechTimeline
{
    /// <param name="offset">Samples (24 kHz) sent before the chunk.</param>
    /// <param name="previousEnd">The end of the last word placed: no word starts before it.</param>
    public static List<WordTiming> Place(SpeechChunk chunk, long offset, double previousEnd = 0)
    {
        var start = (double)offset / Audio.AudioConstants.SampleRate;
        var placed = new List<WordTiming>(chunk.Words?.Count ?? 0);
        foreach (var word in chunk.Words ?? [])
        {
            var from = Math.Max(previousEnd, Math.Round(start + word.StartTime, 3));
            var to = Math.Max(from, Math.Round(start + word.EndTime, 3));
            placed.Add(new WordTiming(word.Word, from, to));
            previousEnd = to;
        }

        return placed;
    }
}
