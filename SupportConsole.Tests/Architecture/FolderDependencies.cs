using Mono.Cecil;
using Mono.Cecil.Cil;

namespace SupportConsole.Tests.Architecture;

/// <summary>
/// Which folder of an assembly uses which, read from its compiled code: every type a type names in its base types,
/// interfaces, attributes, fields, properties, signatures, locals and instructions. A folder is the first namespace
/// segment under the assembly's root namespace (<c>SupportConsole.Ingest.X</c> is <c>Ingest</c>).
/// </summary>
internal sealed class FolderDependencies
{
    private readonly Dictionary<(string From, string To), SortedSet<string>> _edges = [];

    private FolderDependencies()
    {
    }

    public IReadOnlyCollection<(string From, string To)> Edges => _edges.Keys;

    public static FolderDependencies Of(string assemblyPath, string rootNamespace)
    {
        var dependencies = new FolderDependencies();
        using var assembly = AssemblyDefinition.ReadAssembly(assemblyPath);
        foreach (var type in assembly.MainModule.GetTypes())
        {
            dependencies.AddUsesOf(type, rootNamespace);
        }

        return dependencies;
    }

    /// <summary>A graph given edge by edge (to check the cycle finder itself).</summary>
    public static FolderDependencies FromEdges(params (string From, string To)[] edges)
    {
        var dependencies = new FolderDependencies();
        foreach (var (from, to) in edges)
        {
            dependencies.Add(from, to, $"{from}.A -> {to}.B");
        }

        return dependencies;
    }

    /// <summary>Two examples of the types behind an edge, for a failure message.</summary>
    public string Describe((string From, string To) edge) => $"{edge.From} -> {edge.To} ({string.Join("; ", _edges[edge].Take(2))})";

    /// <summary>The groups of folders that use each other in a circle (Tarjan's strongly connected components of two or more).</summary>
    public IReadOnlyList<IReadOnlyList<string>> Cycles()
    {
        var folders = _edges.Keys.SelectMany(e => new[] { e.From, e.To }).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var next = folders.ToDictionary(f => f, f => _edges.Keys.Where(e => e.From == f).Select(e => e.To).ToList(), StringComparer.Ordinal);
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var low = new Dictionary<string, int>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        var onStack = new HashSet<string>(StringComparer.Ordinal);
        var cycles = new List<IReadOnlyList<string>>();

        void Visit(string folder)
        {
            index[folder] = low[folder] = index.Count;
            stack.Push(folder);
            onStack.Add(folder);
            foreach (var used in next[folder])
            {
                if (!index.ContainsKey(used))
                {
                    Visit(used);
                    low[folder] = Math.Min(low[folder], low[used]);
                }
                else if (onStack.Contains(used))
                {
                    low[folder] = Math.Min(low[folder], index[used]);
                }
            }

            if (low[folder] == index[folder])
            {
                var component = new List<string>();
                string member;
                do
                {
                    member = stack.Pop();
                    onStack.Remove(member);
                    component.Add(member);
                }
                while (member != folder);
                if (component.Count > 1)
                {
                    cycles.Add([.. component.Order(StringComparer.Ordinal)]);
                }
            }
        }

        foreach (var folder in folders.Where(f => !index.ContainsKey(f)))
        {
            Visit(folder);
        }

        return cycles;
    }

    /// <summary>The edges inside one cycle, described, so a failure says which types to move.</summary>
    public IEnumerable<string> DescribeCycle(IReadOnlyList<string> cycle) =>
        _edges.Keys.Where(e => cycle.Contains(e.From) && cycle.Contains(e.To)).Order().Select(Describe);

    private void AddUsesOf(TypeDefinition type, string rootNamespace)
    {
        var from = FolderOf(type, rootNamespace);
        if (from is null)
        {
            return;
        }

        void Use(TypeReference? used)
        {
            switch (used)
            {
                case null:
                    return;
                case GenericInstanceType generic:
                    foreach (var argument in generic.GenericArguments)
                    {
                        Use(argument);
                    }

                    Use(generic.ElementType);
                    return;
                case TypeSpecification specification:
                    Use(specification.ElementType);
                    return;
            }

            if (FolderOf(used, rootNamespace) is { } to && to != from)
            {
                Add(from, to, $"{Outermost(type).Name} -> {Outermost(used).Name}");
            }
        }

        Use(type.BaseType);
        foreach (var implemented in type.Interfaces)
        {
            Use(implemented.InterfaceType);
        }

        foreach (var attribute in type.CustomAttributes)
        {
            Use(attribute.AttributeType);
        }

        foreach (var field in type.Fields)
        {
            Use(field.FieldType);
        }

        foreach (var property in type.Properties)
        {
            Use(property.PropertyType);
        }

        foreach (var method in type.Methods)
        {
            Use(method.ReturnType);
            foreach (var parameter in method.Parameters)
            {
                Use(parameter.ParameterType);
            }

            if (!method.HasBody)
            {
                continue;
            }

            foreach (var variable in method.Body.Variables)
            {
                Use(variable.VariableType);
            }

            foreach (var instruction in method.Body.Instructions)
            {
                switch (instruction.Operand)
                {
                    case TypeReference typeOperand:
                        Use(typeOperand);
                        break;
                    case MethodReference called:
                        Use(called.DeclaringType);
                        Use(called.ReturnType);
                        if (called is GenericInstanceMethod generic)
                        {
                            foreach (var argument in generic.GenericArguments)
                            {
                                Use(argument);
                            }
                        }

                        break;
                    case FieldReference field:
                        Use(field.DeclaringType);
                        break;
                }
            }
        }
    }

    private void Add(string from, string to, string example)
    {
        if (!_edges.TryGetValue((from, to), out var examples))
        {
            _edges[(from, to)] = examples = new SortedSet<string>(StringComparer.Ordinal);
        }

        examples.Add(example);
    }

    private static TypeReference Outermost(TypeReference type)
    {
        while (type.IsNested)
        {
            type = type.DeclaringType;
        }

        return type;
    }

    private static string? FolderOf(TypeReference type, string rootNamespace)
    {
        var ns = Outermost(type).Namespace;
        if (!ns.StartsWith(rootNamespace + ".", StringComparison.Ordinal))
        {
            return null;
        }

        var rest = ns[(rootNamespace.Length + 1)..];
        var dot = rest.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? rest : rest[..dot];
    }
}
