namespace PatternTts.Service.Audio;

/// <summary>
/// MPEG layer III CBR mono at the asked rate (128 kbps from 16 kHz up, 48 kbps at 8 kHz, where MPEG-2.5 allows no more), through libmp3lame. On a seekable output the LAME "Info" tag
/// is patched in at completion so decoders trim the encoder delay and padding (gapless, exact duration);
/// a streamed output carries bare frames, since the tag's placeholder can never be filled in.
/// </summary>
internal sealed class Mp3Encoder : IAudioEncoder
{
    private const int BitrateKbps = 128;
    private const int LowRateBitrateKbps = 48;
    // LAME's quality knob: 2 is slow near-best, 7 is fast; 5 is its "good speed" preset, ample for speech.
    private const int Quality = 5;
    private const int ChunkSamples = 4096;
    // lame.h: worst case is 1.25 * samples + 7200 bytes, and flush wants at least 7200.
    private const int Mp3BufferSize = ChunkSamples * 5 / 4 + 7200;

    private readonly Stream _output;
    private readonly long _tagPosition;
    private readonly float[] _clipped = new float[ChunkSamples];
    private readonly byte[] _mp3Buffer = new byte[Mp3BufferSize];
    private nint _lame;
    private bool _completed;

    public Mp3Encoder(Stream output, int sampleRate = AudioConstants.SampleRate)
    {
        _output = output;
        _tagPosition = output.CanSeek ? output.Position : -1;
        _lame = NativeLibraries.Open(LameNative.Init, "lame_init", LameNative.Library, LameNative.DebianPackage);

        LameNative.SetInSampleRate(_lame, sampleRate);
        LameNative.SetOutSampleRate(_lame, sampleRate);
        LameNative.SetNumChannels(_lame, 1);
        LameNative.SetMode(_lame, LameNative.ModeMono);
        LameNative.SetVbr(_lame, LameNative.VbrOff);
        LameNative.SetBitrate(_lame, sampleRate < 16_000 ? LowRateBitrateKbps : BitrateKbps);
        LameNative.SetQuality(_lame, Quality);
        LameNative.SetWriteVbrTag(_lame, _tagPosition >= 0 ? 1 : 0);
        LameNative.SetWriteId3TagAutomatic(_lame, 0);
        var status = LameNative.InitParams(_lame);
        if (status < 0)
        {
            LameNative.Close(_lame);
            _lame = 0;
            throw new InvalidOperationException($"lame_init_params failed ({status}).");
        }
    }

    public AudioFormat Format => AudioFormat.Mp3;

    public async ValueTask WriteAsync(ReadOnlyMemory<float> samples, CancellationToken cancellationToken)
    {
        EncoderGuards.ThrowIfCompleted(_completed);
        ObjectDisposedException.ThrowIf(_lame == 0, this);
        for (var offset = 0; offset < samples.Length; offset += ChunkSamples)
        {
            var count = Math.Min(ChunkSamples, samples.Length - offset);
            var bytes = Encode(samples.Span.Slice(offset, count));
            if (bytes > 0)
            {
                await _output.WriteAsync(_mp3Buffer.AsMemory(0, bytes), cancellationToken);
            }
        }
    }

    public async ValueTask CompleteAsync(CancellationToken cancellationToken)
    {
        EncoderGuards.ThrowIfCompleted(_completed);
        ObjectDisposedException.ThrowIf(_lame == 0, this);
        _completed = true;

        var bytes = Flush();
        if (bytes > 0)
        {
            await _output.WriteAsync(_mp3Buffer.AsMemory(0, bytes), cancellationToken);
        }

        if (_tagPosition >= 0)
        {
            var tag = GetTagFrame();
            if (tag.Length > 0)
            {
                var end = _output.Position;
                _output.Seek(_tagPosition, SeekOrigin.Begin);
                await _output.WriteAsync(tag, cancellationToken);
                _output.Seek(end, SeekOrigin.Begin);
            }
        }

        await _output.FlushAsync(cancellationToken);
    }

    public ValueTask DisposeAsync()
    {
        if (_lame != 0)
        {
            LameNative.Close(_lame);
            _lame = 0;
        }

        return ValueTask.CompletedTask;
    }

    private unsafe int Encode(ReadOnlySpan<float> samples)
    {
        for (var i = 0; i < samples.Length; i++)
        {
            _clipped[i] = Pcm16.Clip(samples[i]);
        }

        fixed (float* pcm = _clipped)
        fixed (byte* mp3 = _mp3Buffer)
        {
            var bytes = LameNative.EncodeBufferIeeeFloat(_lame, pcm, pcm, samples.Length, mp3, _mp3Buffer.Length);
            return bytes >= 0 ? bytes : throw new InvalidOperationException($"lame_encode_buffer_ieee_float failed ({bytes}).");
        }
    }

    private unsafe int Flush()
    {
        fixed (byte* mp3 = _mp3Buffer)
        {
            var bytes = LameNative.EncodeFlush(_lame, mp3, _mp3Buffer.Length);
            return bytes >= 0 ? bytes : throw new InvalidOperationException($"lame_encode_flush failed ({bytes}).");
        }
    }

    private unsafe byte[] GetTagFrame()
    {
        var size = (int)LameNative.GetLameTagFrame(_lame, null, 0);
        if (size <= 0)
        {
            return [];
        }

        var tag = new byte[size];
        fixed (byte* buffer = tag)
        {
            return (int)LameNative.GetLameTagFrame(_lame, buffer, (nuint)size) == size ? tag : [];
        }
    }
}
