namespace PatternTts.Service.Voices;

/// <summary>
/// One voice's style table: 510 rows of 256 floats (kokoro-js layout, row r at byte r·1024). The model wants the
/// row matching the phoneme count of the chunk it speaks.
/// </summary>
public sealed class VoicePack
{
    public const int Rows = 510;
    public const int StyleSize = 256;
    public const int ByteLength = Rows * StyleSize * sizeof(float);

    private readonly Lazy<float[]> _data;

    public VoicePack(string name, char languageCode, float[] data)
        : this(name, languageCode, new Lazy<float[]>(Checked(name, data)))
    {
    }

    /// <summary>
    /// A voice whose table is computed on first use (a mix): validating a request stays cheap, and the work runs
    /// where synthesis runs, under its concurrency limit.
    /// </summary>
    public VoicePack(string name, char languageCode, Func<float[]> compute)
        : this(name, languageCode, new Lazy<float[]>(() => Checked(name, compute()), LazyThreadSafetyMode.ExecutionAndPublication))
    {
    }

    private VoicePack(string name, char languageCode, Lazy<float[]> data)
    {
        Name = name;
        LanguageCode = languageCode;
        _data = data;
    }

    public string Name { get; }

    /// <summary>The Kokoro language letter (a, b, e, f, h, i, j, p, z) of the voice, or of a mix's first voice.</summary>
    public char LanguageCode { get; }

    internal ReadOnlySpan<float> Data => _data.Value;

    /// <summary>Whether the table exists yet: a mix's stays uncomputed until synthesis first asks for a row.</summary>
    internal bool IsComputed => _data.IsValueCreated;

    /// <summary>
    /// The style row for a chunk of <paramref name="tokenCount"/> phoneme tokens (pads excluded): row T−1 as the
    /// reference pipeline indexes it, clamped to the table so 510 tokens do not run off the end.
    /// </summary>
    public ReadOnlyMemory<float> StyleFor(int tokenCount)
    {
        var row = Math.Clamp(tokenCount - 1, 0, Rows - 1);
        return _data.Value.AsMemory(row * StyleSize, StyleSize);
    }

    public static VoicePack Load(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length != ByteLength)
        {
            throw new InvalidDataException($"Voice file '{path}' is {bytes.Length} bytes; a Kokoro voice is {ByteLength}.");
        }

        var data = new float[Rows * StyleSize];
        Buffer.BlockCopy(bytes, 0, data, 0, bytes.Length);
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("Voice files are little-endian float32.");
        }

        var name = Path.GetFileNameWithoutExtension(path);
        return new VoicePack(name, name[0], data);
    }

    public byte[] ToBytes()
    {
        var bytes = new byte[ByteLength];
        Buffer.BlockCopy(_data.Value, 0, bytes, 0, bytes.Length);
        return bytes;
    }

    private static float[] Checked(string name, float[] data) => data.Length == Rows * StyleSize
        ? data
        : throw new InvalidDataException($"Voice '{name}' has {data.Length} floats; a Kokoro voice has {Rows}×{StyleSize}.");
}
