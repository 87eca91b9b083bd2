using System.Runtime.InteropServices;
using Google.Protobuf;
using SupportConsole.Engine.Onnx.Proto;

namespace SupportConsole.Engine.Onnx;

/// <summary>Builds an ONNX graph node by node and serialises it as a model file.</summary>
internal sealed class OnnxGraphBuilder
{
    public const string MicrosoftDomain = "com.microsoft";
    public const string MlDomain = "ai.onnx.ml";

    private readonly GraphProto _graph;
    private int _nextId;

    public OnnxGraphBuilder(string name) => _graph = new GraphProto { Name = name };

    public void AddInput(string name, TensorProto.Types.DataType type, params object[] dims) =>
        _graph.Input.Add(ValueInfo(name, type, dims));

    public void AddOutput(string name, TensorProto.Types.DataType type, params object[] dims) =>
        _graph.Output.Add(ValueInfo(name, type, dims));

    /// <summary>Adds a node and returns the name of its first output.</summary>
    public string Node(string opType, string[] inputs, params (string Name, object Value)[] attributes) =>
        NodeWithOutputs(opType, inputs, 1, string.Empty, attributes)[0];

    public string NodeInDomain(string domain, string opType, string[] inputs, params (string Name, object Value)[] attributes) =>
        NodeWithOutputs(opType, inputs, 1, domain, attributes)[0];

    public string[] NodeWithOutputs(string opType, string[] inputs, int outputCount, string domain,
        params (string Name, object Value)[] attributes)
    {
        var id = _nextId++;
        var node = new NodeProto { OpType = opType, Name = $"{opType}_{id}", Domain = domain };
        node.Input.AddRange(inputs);
        for (var i = 0; i < outputCount; i++)
        {
            node.Output.Add($"{opType}_{id}_out{i}");
        }

        foreach (var (name, value) in attributes)
        {
            node.Attribute.Add(Attribute(name, value));
        }

        _graph.Node.Add(node);
        return [.. node.Output];
    }

    /// <summary>Renames the output of the last node that produced <paramref name="value"/> to a graph output name.</summary>
    public void Identity(string value, string outputName) =>
        _graph.Node.Add(new NodeProto { OpType = "Identity", Name = $"Identity_{_nextId++}", Input = { value }, Output = { outputName } });

    public string Initializer(string name, float[] values, params long[] dims)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        tensor.Dims.AddRange(dims);
        tensor.RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values.AsSpan()));
        _graph.Initializer.Add(tensor);
        return name;
    }

    public string Initializer(string name, Half[] values, params long[] dims)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float16 };
        tensor.Dims.AddRange(dims);
        tensor.RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values.AsSpan()));
        _graph.Initializer.Add(tensor);
        return name;
    }

    public string Initializer(string name, long[] values, params long[] dims)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Int64 };
        tensor.Dims.AddRange(dims);
        tensor.RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values.AsSpan()));
        _graph.Initializer.Add(tensor);
        return name;
    }

    public string Initializer(string name, string[] values, params long[] dims)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.String };
        tensor.Dims.AddRange(dims);
        foreach (var value in values)
        {
            tensor.StringData.Add(ByteString.CopyFromUtf8(value));
        }

        _graph.Initializer.Add(tensor);
        return name;
    }

    public string Scalar(string name, long value) => Initializer(name, [value]);

    public string Scalar(string name, float value) => Initializer(name, [value]);

    public string Vector(string name, params long[] values) => Initializer(name, values, values.Length);

    public ModelProto ToModel(IReadOnlyDictionary<string, string> metadata, params (string Domain, long Version)[] opsets)
    {
        var model = new ModelProto
        {
            IrVersion = 9,
            ProducerName = "SupportConsole",
            ProducerVersion = typeof(OnnxGraphBuilder).Assembly.GetName().Version?.ToString() ?? "0",
            Graph = _graph,
        };
        foreach (var (domain, version) in opsets)
        {
            model.OpsetImport.Add(new OperatorSetIdProto { Domain = domain, Version = version });
        }

        foreach (var (key, value) in metadata)
        {
            model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        }

        return model;
    }

    private static ValueInfoProto ValueInfo(string name, TensorProto.Types.DataType type, object[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (var dim in dims)
        {
            shape.Dim.Add(dim switch
            {
                string symbol => new TensorShapeProto.Types.Dimension { DimParam = symbol },
                int size => new TensorShapeProto.Types.Dimension { DimValue = size },
                long size => new TensorShapeProto.Types.Dimension { DimValue = size },
                _ => throw new ArgumentException($"Unsupported dimension {dim}", nameof(dims)),
            });
        }

        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } },
        };
    }

    private static AttributeProto Attribute(string name, object value) => value switch
    {
        long i => new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = i },
        int i => new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = i },
        float f => new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = f },
        string s => new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(s) },
        long[] ints => new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints, Ints = { ints } },
        float[] floats => new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Floats, Floats = { floats } },
        string[] strings => new AttributeProto
        {
            Name = name,
            Type = AttributeProto.Types.AttributeType.Strings,
            Strings = { strings.Select(ByteString.CopyFromUtf8) },
        },
        TensorProto tensor => new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Tensor, T = tensor },
        _ => throw new ArgumentException($"Unsupported attribute type {value.GetType().Name} for {name}", nameof(value)),
    };
}
