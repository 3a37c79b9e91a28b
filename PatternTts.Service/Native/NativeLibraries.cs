namespace PatternTts.Service.Native;

internal static class NativeLibraries
{
    /// <summary>The error for a native library that did not load, naming the Debian package that provides it.</summary>
    public static InvalidOperationException Missing(string library, string debianPackage, Exception inner) =>
        new($"The native library '{library}' could not be loaded. Install the Debian package '{debianPackage}' (apt-get install {debianPackage}).", inner);

    /// <summary>Calls a native constructor; a missing library or a null handle becomes an error that says what to do.</summary>
    public static nint Open(Func<nint> open, string function, string library, string debianPackage)
    {
        nint handle;
        try
        {
            handle = open();
        }
        catch (DllNotFoundException ex)
        {
            throw Missing(library, debianPackage, ex);
        }

        return handle != 0 ? handle : throw new InvalidOperationException($"{function} failed.");
    }
}
