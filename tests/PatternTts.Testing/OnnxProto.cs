using Google.Protobuf;

namespace PatternTts.Testing;

/// <summary>
/// Just enough of onnx.proto, written field by field with <see cref="CodedOutputStream"/>, to build a small graph
/// without committing a binary or generating classes from the .proto. Field numbers are those of onnx/onnx.proto.
/// Used by the tests' stand-in model and the benchmarks' cost model.
/// </summary>
public sealed class ProtoMessage
{
    private readonly MemoryStream _buffer = new();
    private readonly CodedOutputStream _out;

    public ProtoMessage() => _out = new CodedOutputStream(_buffer, leaveOpen: true);

    public ProtoMessage Int64(int field, long value)
    {
        _out.WriteTag(field, WireFormat.WireType.Varint);
        _out.WriteInt64(value);
        return this;
    }

    public ProtoMessage Float(int field, float value)
    {
        _out.WriteTag(field, WireFormat.WireType.Fixed32);
        _out.WriteFloat(value);
        return this;
    }

    public ProtoMessage String(int field, string value)
    {
        _out.WriteTag(field, WireFormat.WireType.LengthDelimited);
        _out.WriteString(value);
        return this;
    }

    public ProtoMessage Bytes(int field, byte[] value)
    {
        _out.WriteTag(field, WireFormat.WireType.LengthDelimited);
        _out.WriteBytes(ByteString.CopyFrom(value));
        return this;
    }

    public ProtoMessage Message(int field, ProtoMessage message) => Bytes(field, message.ToArray());

    public byte[] ToArray()
    {
        _out.Flush();
        return _buffer.ToArray();
    }
}

public enum OnnxDataType
{
    Float = 1,
    Int32 = 6,
    Int64 = 7,
}

public static class Onnx
{
    // AttributeProto.AttributeType
    private const int AttributeInt = 2;
    private const int AttributeTensor = 4;

    public static ProtoMessage Model(ProtoMessage graph, long irVersion, long opset, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var model = new ProtoMessage()
            .Int64(1, irVersion)                                            // ir_version
            .String(2, "PatternTts stand-in")                               // producer_name
            .Message(7, graph)                                              // graph
            .Message(8, new ProtoMessage().String(1, "").Int64(2, opset));  // opset_import {domain, version}
        foreach (var (key, value) in metadata ?? new Dictionary<string, string>())
        {
            model.Message(14, new ProtoMessage().String(1, key).String(2, value)); // metadata_props
        }

        return model;
    }

    public static ProtoMessage Graph(
        string name,
        IEnumerable<ProtoMessage> nodes,
        IEnumerable<ProtoMessage> initializers,
        IEnumerable<ProtoMessage> inputs,
        IEnumerable<ProtoMessage> outputs)
    {
        var graph = new ProtoMessage();
        foreach (var node in nodes)
        {
            graph.Message(1, node);
        }
        graph.String(2, name);
        foreach (var initializer in initializers)
        {
            graph.Message(5, initializer);
        }
        foreach (var input in inputs)
        {
            graph.Message(11, input);
        }
        foreach (var output in outputs)
        {
            graph.Message(12, output);
        }
        return graph;
    }

    public static ProtoMessage Node(string opType, string[] inputs, string output, params ProtoMessage[] attributes)
    {
        var node = new ProtoMessage();
        foreach (var input in inputs)
        {
            node.String(1, input);
        }
        node.String(2, output).String(3, output + "_node").String(4, opType);
        foreach (var attribute in attributes)
        {
            node.Message(5, attribute);
        }
        return node;
    }

    public static ProtoMessage IntAttribute(string name, long value) =>
        new ProtoMessage().String(1, name).Int64(3, value).Int64(20, AttributeInt);

    public static ProtoMessage TensorAttribute(string name, ProtoMessage tensor) =>
        new ProtoMessage().String(1, name).Message(5, tensor).Int64(20, AttributeTensor);

    public static ProtoMessage FloatTensor(string name, long[] dims, params float[] values) =>
        Tensor(name, OnnxDataType.Float, dims, values.SelectMany(BitConverter.GetBytes).ToArray());

    public static ProtoMessage Int64Tensor(string name, long[] dims, params long[] values) =>
        Tensor(name, OnnxDataType.Int64, dims, values.SelectMany(BitConverter.GetBytes).ToArray());

    /// <summary>
    /// A float tensor whose data lives in <paramref name="location"/> (relative to the model file) at
    /// <paramref name="offset"/>, as ONNX external data: large weights never pass through memory as one message.
    /// </summary>
    public static ProtoMessage ExternalFloatTensor(string name, long[] dims, string location, long offset, long length)
    {
        var tensor = new ProtoMessage();
        foreach (var dim in dims)
        {
            tensor.Int64(1, dim);
        }

        tensor.Int64(2, (long)OnnxDataType.Float).String(8, name);
        foreach (var (key, value) in new[] { ("location", location), ("offset", offset.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("length", length.ToString(System.Globalization.CultureInfo.InvariantCulture)) })
        {
            tensor.Message(13, new ProtoMessage().String(1, key).String(2, value)); // external_data
        }

        return tensor.Int64(14, 1); // data_location = EXTERNAL
    }

    /// <summary>A tensor with raw_data, which onnx.proto defines as little-endian.</summary>
    private static ProtoMessage Tensor(string name, OnnxDataType type, long[] dims, byte[] littleEndian)
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("The stand-in model writer assumes a little-endian machine.");
        }
        var tensor = new ProtoMessage();
        foreach (var dim in dims)
        {
            tensor.Int64(1, dim);
        }
        return tensor.Int64(2, (long)type).String(8, name).Bytes(9, littleEndian);
    }

    /// <summary>A ValueInfoProto; a dimension is a long (fixed) or a string (symbolic, dim_param).</summary>
    public static ProtoMessage ValueInfo(string name, OnnxDataType type, params object[] dims)
    {
        var shape = new ProtoMessage();
        foreach (var dim in dims)
        {
            shape.Message(1, dim switch
            {
                long value => new ProtoMessage().Int64(1, value),
                int value => new ProtoMessage().Int64(1, value),
                string param => new ProtoMessage().String(2, param),
                _ => throw new ArgumentException($"Unsupported dimension {dim}.", nameof(dims)),
            });
        }
        var tensorType = new ProtoMessage().Int64(1, (long)type).Message(2, shape);
        var typeProto = new ProtoMessage().Message(1, tensorType);
        return new ProtoMessage().String(1, name).Message(2, typeProto);
    }
}
