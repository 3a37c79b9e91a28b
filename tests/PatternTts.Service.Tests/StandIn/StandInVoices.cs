namespace PatternTts.Service.Tests.StandIn;

/// <summary>
/// Voice files in the kokoro-js layout (510 rows × 256 little-endian float32, row r at byte r·1024). In row r of
/// the i-th voice, elements 0–127 (the decoder half) hold <see cref="StyleValue"/>(i, r) and elements 128–255 (the
/// prosody half) hold <see cref="ProsodyValue"/>(i, r), its bitwise complement, so the stand-in model's output
/// names the voice and the row that were fed and shows whether the 256 floats were one whole row.
/// </summary>
public static class StandInVoices
{
    public const int Rows = 510;
    public const int RowLength = 256;
    public const int MaxVoices = 64;

    public static float StyleValue(int voiceIndex, int row)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(voiceIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(voiceIndex, MaxVoices);
        ArgumentOutOfRangeException.ThrowIfNegative(row);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(row, 512);
        return (voiceIndex * 512 + row) / 16_777_216f;
    }

    /// <summary>The prosody-half value: voice and row complemented, so a scaled or misaligned style cannot pass.</summary>
    public static float ProsodyValue(int voiceIndex, int row) =>
        StyleValue(MaxVoices - 1 - voiceIndex, 511 - row);

    /// <summary>One 256-float row, as a voice store would hand it to the model.</summary>
    public static float[] Row(int voiceIndex, int row)
    {
        var values = new float[RowLength];
        FillRow(values, voiceIndex, row);
        return values;
    }

    /// <summary>Writes <c>&lt;name&gt;.bin</c> for each name; the voice index is the name's position.</summary>
    public static IReadOnlyList<string> Write(string directory, params string[] names)
    {
        ArgumentNullException.ThrowIfNull(names);
        if (names.Length > MaxVoices)
        {
            throw new ArgumentException($"At most {MaxVoices} stand-in voices can be told apart.", nameof(names));
        }
        Directory.CreateDirectory(directory);

        var paths = new List<string>(names.Length);
        var bytes = new byte[Rows * RowLength * sizeof(float)];
        for (var voice = 0; voice < names.Length; voice++)
        {
            var floats = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(bytes.AsSpan());
            for (var row = 0; row < Rows; row++)
            {
                FillRow(floats.Slice(row * RowLength, RowLength), voice, row);
            }
            var path = Path.Combine(directory, names[voice] + ".bin");
            File.WriteAllBytes(path, bytes);
            paths.Add(path);
        }
        return paths;
    }

    private static void FillRow(Span<float> row, int voiceIndex, int rowIndex)
    {
        row[..(RowLength / 2)].Fill(StyleValue(voiceIndex, rowIndex));
        row[(RowLength / 2)..].Fill(ProsodyValue(voiceIndex, rowIndex));
    }
}
