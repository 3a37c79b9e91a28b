using System.Runtime.InteropServices;

namespace PatternTts.Service.Native;

/// <summary>Raw bindings to Debian's libespeak-ng1 (speak_lib.h, 1.51). Use <see cref="Phonemes.EspeakLibrary"/>, never these directly.</summary>
internal static unsafe partial class EspeakNative
{
    private const string Library = "libespeak-ng.so.1";

    public const int AudioOutputSynchronous = 2;
    public const int CharsUtf8 = 1;
    // IPA output (bit 1) with "^" tying multi-letter phonemes (bit 7, tie in bits 8-23), as misaki asks espeak for them.
    public const int PhonemeModeIpa = 0x02 | 0x80 | ('^' << 8);
    public const uint SynthFlagsUtf8EndPause = 0x1000 | 1;
    public const int ParameterRate = 1;
    public const int EventWord = 1;
    public const int EventListTerminated = 0;

    [StructLayout(LayoutKind.Sequential)]
    public struct Event
    {
        public int Type;
        public uint UniqueIdentifier;
        public int TextPosition;
        public int Length;
        public int AudioPosition;
        public int Sample;
        public nint UserData;
        public long Id;
    }

    [LibraryImport(Library, EntryPoint = "espeak_Initialize", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Initialize(int output, int bufferLength, string? path, int options);

    [LibraryImport(Library, EntryPoint = "espeak_SetVoiceByName", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int SetVoiceByName(string name);

    [StructLayout(LayoutKind.Sequential)]
    public struct VoiceSpec
    {
        public nint Name;
        public nint Languages;
        public nint Identifier;
        public byte Gender;
        public byte Age;
        public byte Variant;
        public byte Reserved;
        public int Score;
        public nint Spare;
    }

    [LibraryImport(Library, EntryPoint = "espeak_SetVoiceByProperties")]
    public static partial int SetVoiceByProperties(VoiceSpec* voice);

    [LibraryImport(Library, EntryPoint = "espeak_TextToPhonemes")]
    public static partial nint TextToPhonemes(ref nint textPointer, int textMode, int phonemeMode);

    [LibraryImport(Library, EntryPoint = "espeak_SetSynthCallback")]
    public static partial void SetSynthCallback(delegate* unmanaged[Cdecl]<short*, int, Event*, int> callback);

    [LibraryImport(Library, EntryPoint = "espeak_SetParameter")]
    public static partial int SetParameter(int parameter, int value, int relative);

    [LibraryImport(Library, EntryPoint = "espeak_Synth")]
    public static partial int Synth(byte* text, nuint size, uint position, int positionType, uint endPosition, uint flags, uint* uniqueIdentifier, nint userData);

    [LibraryImport(Library, EntryPoint = "espeak_Cancel")]
    public static partial int Cancel();

    [LibraryImport(Library, EntryPoint = "espeak_Synchronize")]
    public static partial int Synchronize();
}
