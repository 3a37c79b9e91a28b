using System.Buffers.Binary;

namespace PatternTts.Service.Tests.Audio;

/// <summary>A minimal Ogg page reader with its own bitwise CRC, independent of the encoder's table-driven one.</summary>
internal sealed record OggPage(byte Flags, long Granule, uint Serial, uint Sequence, uint StoredCrc, uint ComputedCrc, int PacketCount, byte[] Body)
{
    public bool BeginOfStream => (Flags & 0x02) != 0;
    public bool EndOfStream => (Flags & 0x04) != 0;

    public static List<OggPage> ParseAll(byte[] data)
    {
        var pages = new List<OggPage>();
        var offset = 0;
        while (offset < data.Length)
        {
            var span = data.AsSpan(offset);
            Assert.True(span[..4].SequenceEqual("OggS"u8), $"no capture pattern at {offset}");
            var segments = span[26];
            var lacing = span.Slice(27, segments);
            var bodyLength = 0;
            var packets = 0;
            foreach (var l in lacing)
            {
                bodyLength += l;
                if (l < 255)
                {
                    packets++;
                }
            }

            var pageLength = 27 + segments + bodyLength;
            var page = span[..pageLength].ToArray();
            var stored = BinaryPrimitives.ReadUInt32LittleEndian(page.AsSpan(22));
            page.AsSpan(22, 4).Clear();
            pages.Add(new OggPage(
                span[5],
                BinaryPrimitives.ReadInt64LittleEndian(span[6..]),
                BinaryPrimitives.ReadUInt32LittleEndian(span[14..]),
                BinaryPrimitives.ReadUInt32LittleEndian(span[18..]),
                stored,
                Crc(page),
                packets,
                span.Slice(27 + segments, bodyLength).ToArray()));
            offset += pageLength;
        }

        return pages;
    }

    private static uint Crc(ReadOnlySpan<byte> data)
    {
        var crc = 0u;
        foreach (var b in data)
        {
            crc ^= (uint)b << 24;
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc & 0x80000000) != 0 ? (crc << 1) ^ 0x04C11DB7 : crc << 1;
            }
        }

        return crc;
    }
}
