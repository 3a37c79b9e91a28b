namespace PatternTts.Service.Native;

internal static class NativeLibraries
{
    /// <summary>The error for a native library that did not load, naming the Debian package that provides it.</summary>
    public static InvalidOperationException Missing(string library, string debianPackage, Exception inner) =>
        new($"The native library '{library}' could not be loaded. Install the Debian package '{debianPackage}' (apt-get install {debianPackage}).", inner);
}
