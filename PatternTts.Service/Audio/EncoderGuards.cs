namespace PatternTts.Service.Audio;

internal static class EncoderGuards
{
    public static void ThrowIfCompleted(bool completed)
    {
        if (completed)
        {
            throw new InvalidOperationException("The audio encoder has already completed; create a new one per stream.");
        }
    }
}
