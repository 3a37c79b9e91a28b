using System.Buffers.Binary;
using System.Text;

namespace PatternTts.Testing;

/// <summary>A minimal RIFF/WAVE reader: enough to prove bytes are real 16-bit PCM audio, not just a header.</summary>
/// <param name="RiffSize">The size the RIFF header declares (the file length minus 8 in a whole file).</param>
/// <param name="DataSize">The size the data chunk declares (a placeholder in a streamed file).</param>
public sealed record WavFile(int AudioFormat, int Channels, int SampleRate, int BitsPerSample, short[] Samples, uint RiffSize, uint DataSize)
{
    public static WavFile Parse(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 12 || Encoding.ASCII.GetString(bytes[..4]) != "RIFF" || Encoding.ASCII.GetString(bytes[8..12]) != "WAVE")
        {
            throw new FormatException("Not a RIFF/WAVE file.");
        }

        int? format = null, channels = null, sampleRate = null, bits = null;
        var offset = 12;
        while (offset + 8 <= bytes.Length)
        {
            var id = Encoding.ASCII.GetString(bytes.Slice(offset, 4));
            var size = BinaryPrimitives.ReadUInt32LittleEndian(bytes.Slice(offset + 4, 4));
            var bodyStart = offset + 8;
            var remaining = bytes.Length - bodyStart;
            if (id == "fmt ")
            {
                var fmt = bytes.Slice(bodyStart, 16);
                format = BinaryPrimitives.ReadUInt16LittleEndian(fmt);
                channels = BinaryPrimitives.ReadUInt16LittleEndian(fmt[2..]);
                sampleRate = BinaryPrimitives.ReadInt32LittleEndian(fmt[4..]);
                bits = BinaryPrimitives.ReadUInt16LittleEndian(fmt[14..]);
            }
            else if (id == "data")
            {
                if (format is null)
                {
                    throw new FormatException("data chunk before fmt chunk.");
                }

                // Streamed WAVs carry a placeholder size (0 or 0xFFFFFFFF): the data then runs to the end.
                var length = size == 0 || size > remaining ? remaining : (int)size;
                var data = bytes.Slice(bodyStart, length - length % 2);
                var samples = new short[data.Length / 2];
                for (var i = 0; i < samples.Length; i++)
                {
                    samples[i] = BinaryPrimitives.ReadInt16LittleEndian(data[(i * 2)..]);
                }

                return new WavFile(format.Value, channels!.Value, sampleRate!.Value, bits!.Value, samples,
                    BinaryPrimitives.ReadUInt32LittleEndian(bytes[4..8]), size);
            }

            offset = bodyStart + (int)Math.Min(size, (uint)remaining) + (int)(size % 2);
        }

        throw new FormatException("No data chunk.");
    }

    public double DurationSeconds => (double)Samples.Length / Channels / SampleRate;

    public int PeakAmplitude => Samples.Length == 0 ? 0 : Samples.Max(s => Math.Abs((int)s));
}
