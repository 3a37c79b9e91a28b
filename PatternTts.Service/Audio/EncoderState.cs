namespace PatternTts.Service.Audio;

internal static class EncoderState
{
    public static void ThrowIfCompleted(bool completed)
    {
        if (completed)
        {
            throw new InvalidOperationException("The audio encoder has already completed; create a new one per stream.");
        }
    }

    public static InvalidOperationException MissingNativeLibrary(string library, string debianPackage, Exception inner) =>
        new($"The native library '{library}' could not be loaded. Install the Debian package '{debianPackage}' (apt-get install {debianPackage}).", inner);
}
