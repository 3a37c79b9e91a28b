using Concentus;

namespace PatternTts.Service.Audio;

/// <summary>
/// Band-limited sample-rate conversion of one mono stream, through the windowed-sinc resampler of libspeexdsp that
/// Concentus ships (so no package is added). The first output sample lines up with the first input sample and
/// <see cref="Flush"/> gives back the filter's tail, so n input samples become n × to / from output samples.
/// </summary>
public sealed class Resampler : IDisposable
{
    /// <summary>Speex quality 0-10: 6 keeps aliasing below -80 dB at a fraction of a core-millisecond per audio second.</summary>
    public const int Quality = 6;

    private readonly IResampler _speex;
    private readonly int _from;
    private readonly int _to;
    private long _inputSamples;
    private long _outputSamples;
    private float[] _output = [];
    private float[] _scaled = [];

    public Resampler(int fromRate, int toRate)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fromRate);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(toRate);
        _from = fromRate;
        _to = toRate;
        _speex = ResamplerFactory.CreateResampler(1, fromRate, toRate, Quality);
        _speex.SkipZeroes();
    }

    /// <summary>Resamples a whole signal at once, 16-bit input (espeak-ng's output) to floats in [-1, 1].</summary>
    public static float[] Convert(ReadOnlySpan<short> samples, int fromRate, int toRate)
    {
        var floats = new float[samples.Length];
        for (var i = 0; i < samples.Length; i++)
        {
            floats[i] = samples[i] / 32768f;
        }

        if (fromRate == toRate || floats.Length == 0)
        {
            return floats;
        }

        using var resampler = new Resampler(fromRate, toRate);
        var body = resampler.Process(floats);
        var tail = resampler.Flush();
        var all = new float[body.Length + tail.Length];
        body.CopyTo(all);
        tail.CopyTo(all.AsSpan(body.Length));
        return all;
    }

    /// <summary>Resamples the next samples; the result is valid until the next call.</summary>
    public ReadOnlySpan<float> Process(ReadOnlySpan<float> input)
    {
        _inputSamples += input.Length;
        return Run(input);
    }

    /// <summary>The samples still inside the filter, up to the length the input calls for.</summary>
    public ReadOnlySpan<float> Flush()
    {
        var owed = (int)(Expected(_inputSamples) - _outputSamples);
        if (owed <= 0)
        {
            return [];
        }

        // Zeros push the filter's delay line out; whatever they produce past the input's length is cut.
        var zeros = new float[_speex.InputLatency + 16];
        var tail = Run(zeros);
        return tail.Length > owed ? tail[..owed] : tail;
    }

    public void Dispose() => _speex.Dispose();

    private long Expected(long inputSamples) => inputSamples * _to / _from;

    private ReadOnlySpan<float> Run(ReadOnlySpan<float> input)
    {
        // Room for what the ratio gives plus the filter's slack; speex writes at most what it is offered.
        var room = (int)((long)input.Length * _to / _from) + 64;
        if (_output.Length < room)
        {
            _output = new float[room];
        }

        if (_scaled.Length < input.Length)
        {
            _scaled = new float[input.Length];
        }

        // Speex works on 16-bit-scaled values.
        var scaled = _scaled.AsSpan(0, input.Length);
        for (var i = 0; i < input.Length; i++)
        {
            scaled[i] = input[i] * 32768f;
        }

        var produced = 0;
        var consumed = 0;
        while (consumed < scaled.Length)
        {
            var inLength = scaled.Length - consumed;
            var outLength = _output.Length - produced;
            _speex.Process(0, scaled[consumed..], ref inLength, _output.AsSpan(produced), ref outLength);
            consumed += inLength;
            produced += outLength;
            if (inLength == 0 && outLength == 0)
            {
                break;
            }
        }

        for (var i = 0; i < produced; i++)
        {
            _output[i] /= 32768f;
        }

        _outputSamples += produced;
        return _output.AsSpan(0, produced);
    }
}
