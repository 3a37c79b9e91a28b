using System.Runtime.InteropServices;

namespace PatternTts.Service.Native;

/// <summary>P/Invoke surface of Debian's libflac12 stream encoder; only what the FLAC encoder uses.</summary>
internal static unsafe partial class FlacNative
{
    public const string Library = "libFLAC.so.12";
    public const string DebianPackage = "libflac12";

    public const int InitStatusOk = 0;
    public const int WriteStatusOk = 0;
    public const int WriteStatusFatalError = 1;
    public const int SeekStatusOk = 0;
    public const int SeekStatusError = 1;
    public const int TellStatusOk = 0;
    public const int TellStatusError = 1;

    [LibraryImport(Library, EntryPoint = "FLAC__stream_encoder_new")]
    public static partial nint EncoderNew();

    [LibraryImport(Library, EntryPoint = "FLAC__stream_encoder_delete")]
    public static partial void EncoderDelete(nint encoder);

    [LibraryImport(Library, EntryPoint = "FLAC__stream_encoder_set_channels")]
    public static partial int SetChannels(nint encoder, uint channels);

    [LibraryImport(Library, EntryPoint = "FLAC__stream_encoder_set_bits_per_sample")]
    public static partial int SetBitsPerSample(nint encoder, uint bits);

    [LibraryImport(Library, EntryPoint = "FLAC__stream_encoder_set_sample_rate")]
    public static partial int SetSampleRate(nint encoder, uint rate);

    [LibraryImport(Library, EntryPoint = "FLAC__stream_encoder_set_compression_level")]
    public static partial int SetCompressionLevel(nint encoder, uint level);

    [LibraryImport(Library, EntryPoint = "FLAC__stream_encoder_set_streamable_subset")]
    public static partial int SetStreamableSubset(nint encoder, int value);

    /// <summary>
    /// Seek and tell callbacks may be null (non-seekable output); libFLAC then leaves STREAMINFO's
    /// total-samples and MD5 fields zero, which decoders accept as "unknown".
    /// </summary>
    [LibraryImport(Library, EntryPoint = "FLAC__stream_encoder_init_stream")]
    public static partial int InitStream(
        nint encoder,
        delegate* unmanaged[Cdecl]<nint, byte*, nuint, uint, uint, nint, int> writeCallback,
        delegate* unmanaged[Cdecl]<nint, ulong, nint, int> seekCallback,
        delegate* unmanaged[Cdecl]<nint, ulong*, nint, int> tellCallback,
        nint metadataCallback,
        nint clientData);

    [LibraryImport(Library, EntryPoint = "FLAC__stream_encoder_process_interleaved")]
    public static partial int ProcessInterleaved(nint encoder, int* buffer, uint samples);

    [LibraryImport(Library, EntryPoint = "FLAC__stream_encoder_finish")]
    public static partial int Finish(nint encoder);

    [LibraryImport(Library, EntryPoint = "FLAC__stream_encoder_get_resolved_state_string")]
    public static partial nint GetResolvedStateString(nint encoder);
}
