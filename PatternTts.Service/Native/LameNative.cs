using System.Runtime.InteropServices;

namespace PatternTts.Service.Native;

/// <summary>P/Invoke surface of Debian's libmp3lame0; only what the MP3 encoder uses.</summary>
internal static unsafe partial class LameNative
{
    public const string Library = "libmp3lame.so.0";
    public const string DebianPackage = "libmp3lame0";

    public const int ModeMono = 3;
    public const int VbrOff = 0;

    [LibraryImport(Library, EntryPoint = "lame_init")]
    public static partial nint Init();

    [LibraryImport(Library, EntryPoint = "lame_close")]
    public static partial int Close(nint lame);

    [LibraryImport(Library, EntryPoint = "lame_set_in_samplerate")]
    public static partial int SetInSampleRate(nint lame, int rate);

    [LibraryImport(Library, EntryPoint = "lame_set_out_samplerate")]
    public static partial int SetOutSampleRate(nint lame, int rate);

    [LibraryImport(Library, EntryPoint = "lame_set_num_channels")]
    public static partial int SetNumChannels(nint lame, int channels);

    [LibraryImport(Library, EntryPoint = "lame_set_brate")]
    public static partial int SetBitrate(nint lame, int kbps);

    [LibraryImport(Library, EntryPoint = "lame_set_mode")]
    public static partial int SetMode(nint lame, int mode);

    [LibraryImport(Library, EntryPoint = "lame_set_VBR")]
    public static partial int SetVbr(nint lame, int vbrMode);

    [LibraryImport(Library, EntryPoint = "lame_set_bWriteVbrTag")]
    public static partial int SetWriteVbrTag(nint lame, int write);

    [LibraryImport(Library, EntryPoint = "lame_set_quality")]
    public static partial int SetQuality(nint lame, int quality);

    [LibraryImport(Library, EntryPoint = "lame_set_write_id3tag_automatic")]
    public static partial void SetWriteId3TagAutomatic(nint lame, int write);

    [LibraryImport(Library, EntryPoint = "lame_init_params")]
    public static partial int InitParams(nint lame);

    /// <summary>Samples in [-1, 1]; for a mono stream the right channel is ignored.</summary>
    [LibraryImport(Library, EntryPoint = "lame_encode_buffer_ieee_float")]
    public static partial int EncodeBufferIeeeFloat(nint lame, float* left, float* right, int samples, byte* mp3Buffer, int mp3BufferSize);

    [LibraryImport(Library, EntryPoint = "lame_encode_flush")]
    public static partial int EncodeFlush(nint lame, byte* mp3Buffer, int size);

    /// <summary>Returns the tag frame's size; when <paramref name="size"/> is too small nothing is copied.</summary>
    [LibraryImport(Library, EntryPoint = "lame_get_lametag_frame")]
    public static partial nuint GetLameTagFrame(nint lame, byte* buffer, nuint size);
}
