using System.Buffers.Binary;

namespace PatternTts.Service.Audio;

/// <summary>
/// Packs packets into Ogg pages (RFC 3533) for one logical bitstream. Pages are built in memory and handed
/// back as bytes; the caller decides when to cut a page so latency stays bounded.
/// </summary>
internal sealed class OggPageWriter(uint serialNumber)
{
    private const int MaxSegments = 255;
    private const byte FlagBeginOfStream = 0x02;
    private const byte FlagEndOfStream = 0x04;

    private readonly List<byte[]> _packets = [];
    private int _segmentCount;
    private uint _sequence;

    public int PendingPackets => _packets.Count;

    /// <summary>Whether one more packet of this size fits on the pending page.</summary>
    public bool Fits(int packetLength) => _segmentCount + SegmentsFor(packetLength) <= MaxSegments;

    public void Add(byte[] packet)
    {
        if (!Fits(packet.Length))
        {
            throw new InvalidOperationException("The Ogg page is full; cut it before adding more packets.");
        }

        _packets.Add(packet);
        _segmentCount += SegmentsFor(packet.Length);
    }

    /// <summary>Builds a page from the pending packets (possibly none) and starts a new one.</summary>
    public byte[] CutPage(long granulePosition, bool beginOfStream = false, bool endOfStream = false)
    {
        var bodyLength = 0;
        foreach (var packet in _packets)
        {
            bodyLength += packet.Length;
        }

        var page = new byte[27 + _segmentCount + bodyLength];
        var span = page.AsSpan();
        "OggS"u8.CopyTo(span);
        span[4] = 0;
        span[5] = (byte)((beginOfStream ? FlagBeginOfStream : 0) | (endOfStream ? FlagEndOfStream : 0));
        BinaryPrimitives.WriteInt64LittleEndian(span[6..], granulePosition);
        BinaryPrimitives.WriteUInt32LittleEndian(span[14..], serialNumber);
        BinaryPrimitives.WriteUInt32LittleEndian(span[18..], _sequence++);
        span[26] = (byte)_segmentCount;

        // Lacing: 255-byte segments, then the remainder, which is 0 for an exact multiple so the packet ends.
        var lacing = 27;
        var body = 27 + _segmentCount;
        foreach (var packet in _packets)
        {
            var remaining = packet.Length;
            while (remaining >= 255)
            {
                span[lacing++] = 255;
                remaining -= 255;
            }

            span[lacing++] = (byte)remaining;
            packet.CopyTo(span[body..]);
            body += packet.Length;
        }

        BinaryPrimitives.WriteUInt32LittleEndian(span[22..], OggCrc.Compute(page));
        _packets.Clear();
        _segmentCount = 0;
        return page;
    }

    private static int SegmentsFor(int packetLength) => packetLength / 255 + 1;
}

/// <summary>Ogg's CRC-32: polynomial 0x04C11DB7, not reflected, zero initial value, no final XOR.</summary>
internal static class OggCrc
{
    private static readonly uint[] Table = BuildTable();

    /// <summary>Computes the checksum of a page whose checksum field (bytes 22..25) is zero.</summary>
    public static uint Compute(ReadOnlySpan<byte> data)
    {
        var crc = 0u;
        foreach (var b in data)
        {
            crc = (crc << 8) ^ Table[(byte)(crc >> 24) ^ b];
        }

        return crc;
    }

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (var i = 0u; i < 256; i++)
        {
            var r = i << 24;
            for (var bit = 0; bit < 8; bit++)
            {
                r = (r & 0x80000000) != 0 ? (r << 1) ^ 0x04C11DB7 : r << 1;
            }

            table[i] = r;
        }

        return table;
    }
}
