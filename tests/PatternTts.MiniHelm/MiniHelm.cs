using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace PatternTts.Testing.Helm;

/// <summary>
/// A small stand-in for <c>helm template</c>: Go text/template (if/else/with/define/include, variables, pipelines,
/// parentheses, whitespace trimming) plus the Sprig and Helm functions this chart uses, with Helm's data model
/// (every number in values is a float64, missing map keys read as nil, a field of nil is an error). It exists
/// because no Helm binary runs here; it lets the tests parse the rendered manifests as YAML. It throws on any
/// construct it does not know rather than guess.
/// </summary>
public sealed partial class MiniHelm
{
    private readonly Dictionary<string, List<Node>> _templates = new(StringComparer.Ordinal);
    private readonly Dictionary<string, object?> _root;
    private readonly string _chartName;
    private readonly HashSet<string> _missingValues = new(StringComparer.Ordinal);

    private MiniHelm(string chartDir, Dictionary<string, object?> values, string releaseName, string ns)
    {
        var chart = (Dictionary<string, object?>)FromYaml(LoadYaml(Path.Combine(chartDir, "Chart.yaml")))!;
        _chartName = (string)chart["name"]!;
        _root = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["Values"] = values,
            ["Release"] = new Dictionary<string, object?>
            {
                ["Name"] = releaseName, ["Namespace"] = ns, ["Service"] = "Helm", ["IsInstall"] = true, ["IsUpgrade"] = false,
            },
            ["Chart"] = new Dictionary<string, object?>
            {
                ["Name"] = _chartName, ["Version"] = chart["version"], ["AppVersion"] = chart["appVersion"],
            },
            ["Template"] = new Dictionary<string, object?> { ["BasePath"] = $"{_chartName}/templates", ["Name"] = "" },
            // .Files.Get reads a file of the chart as Helm does (templates/ and Chart.yaml aside), "" when it is not there.
            ["Files"] = new Dictionary<string, object?>
            {
                ["Get"] = new Func<List<object?>, object?>(args =>
                {
                    var path = Path.GetFullPath(Path.Combine(chartDir, Convert.ToString(args.Single(), CultureInfo.InvariantCulture)!));
                    return path.StartsWith(Path.GetFullPath(chartDir), StringComparison.Ordinal) && File.Exists(path) ? File.ReadAllText(path) : "";
                }),
            },
        };

        foreach (var file in Directory.EnumerateFiles(Path.Combine(chartDir, "templates")).Order(StringComparer.Ordinal))
        {
            var nodes = new Parser(File.ReadAllText(file), Path.GetFileName(file)).ParseAll(_templates);
            _templates[$"{_chartName}/templates/{Path.GetFileName(file)}"] = nodes;
        }
    }

    /// <summary>Renders the chart with values.yaml merged with the given override files, like <c>helm template -f</c>.</summary>
    public static IReadOnlyDictionary<string, string> Render(
        string chartDir, IEnumerable<string> overrideFiles, string releaseName = "pattern-tts", string ns = "pattern-agentic",
        IReadOnlyDictionary<string, object?>? set = null, ISet<string>? missingValues = null)
    {
        var values = (Dictionary<string, object?>)FromYaml(LoadYaml(Path.Combine(chartDir, "values.yaml")))!;
        foreach (var file in overrideFiles)
        {
            Merge(values, (Dictionary<string, object?>)FromYaml(LoadYaml(file))!);
        }

        foreach (var (path, value) in set ?? new Dictionary<string, object?>())
        {
            var parts = path.Split('.');
            var target = values;
            foreach (var part in parts[..^1])
            {
                target = (Dictionary<string, object?>)target[part]!;
            }

            target[parts[^1]] = value;
        }

        var helm = new MiniHelm(chartDir, values, releaseName, ns);
        var output = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, nodes) in helm._templates.Where(t => t.Key.Contains('/') && !Path.GetFileName(t.Key).StartsWith('_')))
        {
            var scope = new Scope(helm._root, helm._root, null);
            var text = new StringBuilder();
            ((Dictionary<string, object?>)helm._root["Template"]!)["Name"] = name;
            try
            {
                helm.Execute(nodes, scope, text);
            }
            catch (TemplateException ex) when (!ex.Message.StartsWith("fail:", StringComparison.Ordinal))
            {
                throw new TemplateException($"{ex.Message} (rendering {name})");
            }
            output[Path.GetFileName(name)] = text.ToString();
        }

        missingValues?.UnionWith(helm._missingValues);
        return output;
    }

    public static YamlNode LoadYaml(string path)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(File.ReadAllText(path)));
        return stream.Documents[0].RootNode;
    }

    /// <summary>YAML as Helm sees values: maps, lists, strings, bools, nil, and float64 for every number.</summary>
    public static object? FromYaml(YamlNode node) => node switch
    {
        YamlMappingNode m => m.Children.ToDictionary(
            p => ((YamlScalarNode)p.Key).Value!, p => FromYaml(p.Value), StringComparer.Ordinal),
        YamlSequenceNode s => s.Children.Select(FromYaml).ToList(),
        YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.SingleQuoted or YamlDotNet.Core.ScalarStyle.DoubleQuoted } q => q.Value,
        YamlScalarNode p => Plain(p.Value ?? ""),
        _ => throw new NotSupportedException(node.NodeType.ToString()),
    };

    private static object? Plain(string value)
    {
        if (value is "" or "~" or "null" or "Null" or "NULL")
        {
            return null;
        }

        if (value.ToLowerInvariant() is "true" or "yes" or "on")
        {
            return true;
        }

        if (value.ToLowerInvariant() is "false" or "no" or "off")
        {
            return false;
        }

        return NumberPattern().IsMatch(value) ? double.Parse(value, CultureInfo.InvariantCulture) : value;
    }

    private static void Merge(Dictionary<string, object?> target, Dictionary<string, object?> source)
    {
        foreach (var (key, value) in source)
        {
            if (value is Dictionary<string, object?> sourceMap && target.GetValueOrDefault(key) is Dictionary<string, object?> targetMap)
            {
                Merge(targetMap, sourceMap);
            }
            else
            {
                target[key] = value;
            }
        }
    }

    // ---- execution ----

    private sealed record Scope(object? Dot, object? Root, Scope? Parent)
    {
        public Dictionary<string, object?> Variables { get; } = new(StringComparer.Ordinal);

        public object? Lookup(string name) =>
            name == "$" ? Root
            : Variables.TryGetValue(name, out var value) ? value
            : Parent is not null ? Parent.Lookup(name)
            : throw new TemplateException($"undefined variable {name}");
    }

    private void Execute(IEnumerable<Node> nodes, Scope scope, StringBuilder output)
    {
        foreach (var node in nodes)
        {
            switch (node)
            {
                case TextNode text:
                    output.Append(text.Text);
                    break;
                case ActionNode action:
                    var value = Evaluate(action.Pipeline, scope);
                    if (action.Pipeline.Declare is null)
                    {
                        output.Append(Print(value));
                    }

                    break;
                case IfNode conditional:
                    var taken = false;
                    foreach (var (condition, body) in conditional.Branches)
                    {
                        if (Truth(Evaluate(condition, scope)))
                        {
                            Execute(body, new Scope(scope.Dot, scope.Root, scope), output);
                            taken = true;
                            break;
                        }
                    }

                    if (!taken)
                    {
                        Execute(conditional.Else, new Scope(scope.Dot, scope.Root, scope), output);
                    }

                    break;
                case WithNode with:
                    var subject = Evaluate(with.Pipeline, scope);
                    if (Truth(subject))
                    {
                        Execute(with.Body, new Scope(subject, scope.Root, scope), output);
                    }
                    else
                    {
                        Execute(with.Else, new Scope(scope.Dot, scope.Root, scope), output);
                    }

                    break;
                case TemplateCallNode call:
                    output.Append(Include(call.Name, call.Argument is null ? null : Evaluate(call.Argument, scope)));
                    break;
                default:
                    throw new TemplateException($"cannot execute {node.GetType().Name}");
            }
        }
    }

    private string Include(string name, object? data)
    {
        if (!_templates.TryGetValue(name, out var nodes))
        {
            throw new TemplateException($"no template \"{name}\"");
        }

        var output = new StringBuilder();
        try
        {
            // Inside a named template, $ is the data it was called with.
            Execute(nodes, new Scope(data, data, null), output);
        }
        catch (TemplateException ex) when (!ex.Message.StartsWith("fail:", StringComparison.Ordinal))
        {
            throw new TemplateException($"{ex.Message} (in \"{name}\")");
        }

        return output.ToString();
    }

    private object? Evaluate(Pipeline pipeline, Scope scope)
    {
        object? value = null;
        var first = true;
        foreach (var command in pipeline.Commands)
        {
            value = EvaluateCommand(command, scope, first ? null : new Piped(value));
            first = false;
        }

        if (pipeline.Declare is { } variable)
        {
            if (pipeline.IsAssignment)
            {
                SetExisting(scope, variable, value);
            }
            else
            {
                scope.Variables[variable] = value;
            }
        }

        return value;
    }

    private static void SetExisting(Scope scope, string variable, object? value)
    {
        for (var s = scope; s is not null; s = s.Parent)
        {
            if (s.Variables.ContainsKey(variable))
            {
                s.Variables[variable] = value;
                return;
            }
        }

        throw new TemplateException($"undefined variable {variable}");
    }

    private sealed record Piped(object? Value);

    private object? EvaluateCommand(IReadOnlyList<Operand> operands, Scope scope, Piped? piped)
    {
        if (operands[0] is IdentifierOperand function)
        {
            var args = operands.Skip(1).Select(o => EvaluateOperand(o, scope)).ToList();
            if (piped is not null)
            {
                args.Add(piped.Value);
            }

            return Call(function.Name, args);
        }

        // A method of the chart objects, such as .Files.Get "path".
        if (operands[0] is FieldOperand && EvaluateOperand(operands[0], scope) is Func<List<object?>, object?> method)
        {
            var args = operands.Skip(1).Select(o => EvaluateOperand(o, scope)).ToList();
            if (piped is not null)
            {
                args.Add(piped.Value);
            }

            return method(args);
        }

        if (operands.Count > 1 || piped is not null)
        {
            throw new TemplateException("can't give argument to non-function");
        }

        return EvaluateOperand(operands[0], scope);
    }

    private object? EvaluateOperand(Operand operand, Scope scope) => operand switch
    {
        LiteralOperand literal => literal.Value,
        FieldOperand field => Fields(scope.Dot, field.Path, ReferenceFromRoot(scope.Dot, field.Path)),
        VariableOperand variable => Fields(scope.Lookup(variable.Name), variable.Path, ReferenceFromRoot(scope.Lookup(variable.Name), variable.Path)),
        ParenOperand paren => Fields(Evaluate(paren.Pipeline, scope), paren.Path),
        IdentifierOperand identifier => Call(identifier.Name, []),
        _ => throw new TemplateException($"unknown operand {operand}"),
    };

    /// <summary>Whether the path reads <c>.Values…</c> from the chart's root, so a missing key there is a broken reference.</summary>
    private bool ReferenceFromRoot(object? start, IReadOnlyList<string> path) =>
        ReferenceEquals(start, _root) && path.Count > 1 && path[0] == "Values";

    private object? Fields(object? value, IReadOnlyList<string> path, bool valuesReference = false)
    {
        for (var i = 0; i < path.Count; i++)
        {
            var name = path[i];
            if (valuesReference && value is Dictionary<string, object?> parent && !parent.ContainsKey(name))
            {
                _missingValues.Add(string.Join('.', path.Take(i + 1).Skip(1)));
            }

            value = value switch
            {
                Dictionary<string, object?> map => map.GetValueOrDefault(name),
                null => throw new TemplateException($"nil pointer evaluating interface {{}}.{name}"),
                _ => throw new TemplateException($"can't evaluate field {name} in type {value.GetType().Name}"),
            };
        }

        return value;
    }

    private object? Call(string name, List<object?> a)
    {
        switch (name)
        {
            case "true": return true;
            case "false": return false;
            case "nil": return null;
        }

        switch (name)
        {
            case "include":
                Arity(name, a, 2);
                return Include(Str(a[0]), a[1]);
            case "fail":
                throw new TemplateException($"fail: {Str(a[0])}");
            case "dict":
                var dict = new Dictionary<string, object?>(StringComparer.Ordinal);
                for (var i = 0; i + 1 < a.Count; i += 2)
                {
                    dict[Str(a[i])] = a[i + 1];
                }

                return dict;
            case "list":
                return a.ToList();
            case "has":
                Arity(name, a, 2);
                return a[1] is List<object?> haystack && haystack.Any(item => DeepEquals(item, a[0]));
            case "default":
                Arity(name, a, 2);
                return Truth(a[1]) ? a[1] : a[0];
            case "not":
                Arity(name, a, 1);
                return !Truth(a[0]);
            case "and":
                foreach (var item in a)
                {
                    if (!Truth(item))
                    {
                        return item;
                    }
                }

                return a[^1];
            case "or":
                foreach (var item in a)
                {
                    if (Truth(item))
                    {
                        return item;
                    }
                }

                return a[^1];
            case "eq":
                return a.Skip(1).Any(other => Compare(a[0], other) == 0);
            case "ne":
                Arity(name, a, 2);
                return Compare(a[0], a[1]) != 0;
            case "lt":
                Arity(name, a, 2);
                return Compare(a[0], a[1]) < 0;
            case "le":
                Arity(name, a, 2);
                return Compare(a[0], a[1]) <= 0;
            case "gt":
                Arity(name, a, 2);
                return Compare(a[0], a[1]) > 0;
            case "ge":
                Arity(name, a, 2);
                return Compare(a[0], a[1]) >= 0;
            case "int":
            case "int64":
                Arity(name, a, 1);
                return (long)ToInt(a[0]);
            case "toString":
                Arity(name, a, 1);
                return Str(a[0]);
            case "quote":
                return string.Join(' ', a.Where(v => v is not null).Select(v => GoQuote(Str(v))));
            case "trunc":
                Arity(name, a, 2);
                var length = ToInt(a[0]);
                var text = Str(a[1]);
                return length >= 0 && text.Length > length ? text[..length] : text;
            case "trimSuffix":
                Arity(name, a, 2);
                return Str(a[1]).EndsWith(Str(a[0]), StringComparison.Ordinal) && Str(a[0]).Length > 0
                    ? Str(a[1])[..^Str(a[0]).Length] : Str(a[1]);
            case "contains":
                Arity(name, a, 2);
                return Str(a[1]).Contains(Str(a[0]), StringComparison.Ordinal);
            case "replace":
                Arity(name, a, 3);
                return Str(a[2]).Replace(Str(a[0]), Str(a[1]), StringComparison.Ordinal);
            case "printf":
                return GoSprintf(Str(a[0]), a.Skip(1).ToList());
            case "print":
                return GoSprint(a);
            case "sha256sum":
                Arity(name, a, 1);
                return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Str(a[0]))));
            case "toYaml":
                Arity(name, a, 1);
                return ToYaml(a[0]).TrimEnd('\n');
            case "toJson":
                Arity(name, a, 1);
                return JsonSerializer.Serialize(ToJsonNode(a[0]));
            case "toPrettyJson":
                Arity(name, a, 1);
                return JsonSerializer.Serialize(ToJsonNode(a[0]), new JsonSerializerOptions { WriteIndented = true });
            case "indent":
                Arity(name, a, 2);
                return Indent(ToInt(a[0]), Str(a[1]));
            case "nindent":
                Arity(name, a, 2);
                return "\n" + Indent(ToInt(a[0]), Str(a[1]));
            default:
                throw new TemplateException($"function \"{name}\" not defined (MiniHelm knows only the functions this chart uses)");
        }
    }

    private static int ToInt(object? value) => value switch
    {
        long l => (int)l,
        double d => (int)d,
        string s when int.TryParse(s, CultureInfo.InvariantCulture, out var parsed) => parsed,
        null => 0,
        var other => throw new TemplateException($"int of {other.GetType().Name}"),
    };

    private static void Arity(string name, List<object?> args, int count)
    {
        if (args.Count != count)
        {
            throw new TemplateException($"wrong number of args for {name}: want {count} got {args.Count}");
        }
    }

    private static string Indent(int spaces, string text)
    {
        var pad = new string(' ', spaces);
        return pad + text.Replace("\n", "\n" + pad, StringComparison.Ordinal);
    }

    private static bool Truth(object? value) => value switch
    {
        null => false,
        bool b => b,
        string s => s.Length > 0,
        long l => l != 0,
        double d => d != 0,
        Dictionary<string, object?> m => m.Count > 0,
        List<object?> l => l.Count > 0,
        _ => true,
    };

    /// <summary>Go's eq/lt: same basic kind only (an int against a float64 is an error, as in Helm).</summary>
    private static int Compare(object? left, object? right) => (left, right) switch
    {
        (long l, long r) => l.CompareTo(r),
        (double l, double r) => l.CompareTo(r),
        (string l, string r) => string.CompareOrdinal(l, r),
        (bool l, bool r) => l == r ? 0 : 1,
        (null, null) => 0,
        _ => throw new TemplateException(
            $"incompatible types for comparison: {left?.GetType().Name ?? "nil"} and {right?.GetType().Name ?? "nil"}"),
    };

    private static bool DeepEquals(object? left, object? right) =>
        (left, right) switch
        {
            (long l, long r) => l == r,
            (double l, double r) => l == r,
            (string l, string r) => l == r,
            (bool l, bool r) => l == r,
            (null, null) => true,
            _ => false,
        };

    /// <summary>Go's fmt %v: float64 uses the shortest form, switching to an exponent from 1e+06 up (Helm's classic trap).</summary>
    public static string Str(object? value) => value switch
    {
        null => "",
        string s => s,
        bool b => b ? "true" : "false",
        long l => l.ToString(CultureInfo.InvariantCulture),
        double d => GoFloat(d),
        Dictionary<string, object?> m => "map[" + string.Join(' ', m.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}:{Str(p.Value)}")) + "]",
        List<object?> l => "[" + string.Join(' ', l.Select(Str)) + "]",
        _ => value.ToString() ?? "",
    };

    private static string Print(object? value) => value is null ? "" : Str(value);

    private static string GoFloat(double value)
    {
        if (value == 0)
        {
            return "0";
        }

        // Shortest round-tripping digits, as Go's strconv 'g' with precision -1 finds them.
        var scientific = value.ToString("E16", CultureInfo.InvariantCulture);
        for (var precision = 0; precision <= 16; precision++)
        {
            var candidate = value.ToString("E" + precision, CultureInfo.InvariantCulture);
            if (double.Parse(candidate, CultureInfo.InvariantCulture) == value)
            {
                scientific = candidate;
                break;
            }
        }

        var exponent = int.Parse(scientific[(scientific.IndexOf('E') + 1)..], CultureInfo.InvariantCulture);
        if (exponent >= -4 && exponent < 6)
        {
            return value.ToString("R", CultureInfo.InvariantCulture);
        }

        var mantissa = scientific[..scientific.IndexOf('E')];
        return $"{mantissa}e{(exponent < 0 ? '-' : '+')}{Math.Abs(exponent):00}";
    }

    private static string GoQuote(string text)
    {
        var builder = new StringBuilder("\"");
        foreach (var c in text)
        {
            builder.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\t' => "\\t",
                '\r' => "\\r",
                _ when c < ' ' => $"\\x{(int)c:x2}",
                _ => c.ToString(),
            });
        }

        return builder.Append('"').ToString();
    }

    private static string GoSprintf(string format, List<object?> args)
    {
        var builder = new StringBuilder();
        var next = 0;
        for (var i = 0; i < format.Length; i++)
        {
            if (format[i] != '%' || i + 1 >= format.Length)
            {
                builder.Append(format[i]);
                continue;
            }

            var verb = format[++i];
            if (verb == '%')
            {
                builder.Append('%');
                continue;
            }

            var arg = next < args.Count ? args[next++] : throw new TemplateException($"printf: missing argument for %{verb}");
            builder.Append(verb switch
            {
                's' or 'v' => Str(arg),
                'd' => arg is long or double ? Str(Convert.ToInt64(arg, CultureInfo.InvariantCulture)) : $"%!d({Str(arg)})",
                'q' => GoQuote(Str(arg)),
                _ => throw new TemplateException($"printf verb %{verb} not supported"),
            });
        }

        return builder.ToString();
    }

    private static string GoSprint(List<object?> args)
    {
        var builder = new StringBuilder();
        for (var i = 0; i < args.Count; i++)
        {
            if (i > 0 && args[i] is not string && args[i - 1] is not string)
            {
                builder.Append(' ');
            }

            builder.Append(Str(args[i]));
        }

        return builder.ToString();
    }

    private static object? ToJsonNode(object? value) => value switch
    {
        Dictionary<string, object?> m => new SortedDictionary<string, object?>(
            m.ToDictionary(p => p.Key, p => ToJsonNode(p.Value)), StringComparer.Ordinal),
        List<object?> l => l.Select(ToJsonNode).ToList(),
        _ => value,
    };

    /// <summary>Helm's toYaml (JSON round trip through go-yaml): sorted keys, block style, unindented sequences.</summary>
    public static string ToYaml(object? value)
    {
        var builder = new StringBuilder();
        WriteYaml(builder, value, 0, inSequence: false);
        return builder.ToString();
    }

    private static void WriteYaml(StringBuilder builder, object? value, int indent, bool inSequence)
    {
        var pad = new string(' ', indent);
        switch (value)
        {
            case Dictionary<string, object?> { Count: 0 }:
                builder.Append("{}\n");
                break;
            case List<object?> { Count: 0 }:
                builder.Append("[]\n");
                break;
            case Dictionary<string, object?> map:
                var first = true;
                foreach (var (key, item) in map.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    builder.Append(first && inSequence ? "" : pad).Append(YamlScalar(key)).Append(':');
                    first = false;
                    if (item is Dictionary<string, object?> { Count: > 0 })
                    {
                        builder.Append('\n');
                        WriteYaml(builder, item, indent + 2, inSequence: false);
                    }
                    else if (item is List<object?> { Count: > 0 })
                    {
                        builder.Append('\n');
                        WriteYaml(builder, item, indent, inSequence: false);
                    }
                    else
                    {
                        builder.Append(' ');
                        WriteYaml(builder, item, indent + 2, inSequence: false);
                    }
                }

                break;
            case List<object?> list:
                foreach (var item in list)
                {
                    builder.Append(pad).Append("- ");
                    WriteYaml(builder, item, indent + 2, inSequence: true);
                }

                break;
            default:
                builder.Append(value switch
                {
                    null => "null",
                    string s => YamlScalar(s),
                    double d when d == Math.Floor(d) && Math.Abs(d) < 1e15 => ((long)d).ToString(CultureInfo.InvariantCulture),
                    _ => Str(value),
                }).Append('\n');
                break;
        }
    }

    private static string YamlScalar(string text)
    {
        var plainIsSafe = text.Length > 0
            && Plain(text) is string
            && !"-?:,[]{}#&*!|>'\"%@`".Contains(text[0])
            && !text.Contains(": ", StringComparison.Ordinal)
            && !text.Contains(" #", StringComparison.Ordinal)
            && !text.EndsWith(':')
            && text.Trim() == text
            && !text.Any(char.IsControl);
        return plainIsSafe ? text : GoQuote(text);
    }

    // ---- parsing ----

    private abstract record Node;

    private sealed record TextNode(string Text) : Node;

    private sealed record ActionNode(Pipeline Pipeline) : Node;

    private sealed record IfNode(List<(Pipeline Condition, List<Node> Body)> Branches, List<Node> Else) : Node;

    private sealed record WithNode(Pipeline Pipeline, List<Node> Body, List<Node> Else) : Node;

    private sealed record TemplateCallNode(string Name, Pipeline? Argument) : Node;

    private sealed record Pipeline(string? Declare, bool IsAssignment, List<List<Operand>> Commands);

    private abstract record Operand;

    private sealed record LiteralOperand(object? Value) : Operand;

    private sealed record FieldOperand(List<string> Path) : Operand;

    private sealed record VariableOperand(string Name, List<string> Path) : Operand;

    private sealed record ParenOperand(Pipeline Pipeline, List<string> Path) : Operand;

    private sealed record IdentifierOperand(string Name) : Operand;

    private sealed class Parser(string text, string file)
    {
        private readonly List<(bool IsAction, string Content, int Line)> items = Lex(text, file);
        private int position;

        public List<Node> ParseAll(Dictionary<string, List<Node>> defines)
        {
            var nodes = ParseList(defines, out var terminator);
            if (terminator is not null)
            {
                throw new TemplateException($"{file}: unexpected {{{{{terminator}}}}}");
            }

            return nodes;
        }

        private List<Node> ParseList(Dictionary<string, List<Node>> defines, out string? terminator)
        {
            var nodes = new List<Node>();
            while (position < items.Count)
            {
                var (isAction, content, line) = items[position++];
                if (!isAction)
                {
                    nodes.Add(new TextNode(content));
                    continue;
                }

                var keyword = Keyword(content);
                switch (keyword)
                {
                    case "end":
                    case "else":
                        terminator = content;
                        return nodes;
                    case "if":
                        nodes.Add(ParseIf(content[2..], defines, line));
                        break;
                    case "with":
                        var pipeline = ParsePipeline(content[4..], line);
                        var body = ParseList(defines, out var end);
                        var otherwise = new List<Node>();
                        if (end is not null && Keyword(end) == "else")
                        {
                            otherwise = ParseList(defines, out end);
                        }

                        Expect(end, "end", line);
                        nodes.Add(new WithNode(pipeline, body, otherwise));
                        break;
                    case "define":
                        var name = StringLiteral().Match(content).Groups["s"].Value;
                        var defined = ParseList(defines, out var defineEnd);
                        Expect(defineEnd, "end", line);
                        defines[name] = defined;
                        break;
                    case "template":
                        var match = TemplateCall().Match(content);
                        nodes.Add(new TemplateCallNode(match.Groups["s"].Value,
                            match.Groups["arg"].Value.Trim().Length > 0 ? ParsePipeline(match.Groups["arg"].Value, line) : null));
                        break;
                    case "range":
                    case "block":
                        throw new TemplateException($"{file}:{line}: MiniHelm does not support '{keyword}'");
                    default:
                        if (!content.StartsWith("/*", StringComparison.Ordinal))
                        {
                            nodes.Add(new ActionNode(ParsePipeline(content, line)));
                        }

                        break;
                }
            }

            terminator = null;
            return nodes;
        }

        private IfNode ParseIf(string condition, Dictionary<string, List<Node>> defines, int line)
        {
            var branches = new List<(Pipeline, List<Node>)>();
            var elseBody = new List<Node>();
            var current = ParsePipeline(condition, line);
            while (true)
            {
                var body = ParseList(defines, out var end);
                branches.Add((current, body));
                if (end is null)
                {
                    throw new TemplateException($"{file}:{line}: unexpected EOF in if");
                }

                if (Keyword(end) == "end")
                {
                    return new IfNode(branches, elseBody);
                }

                var rest = end[4..].Trim();
                if (rest.StartsWith("if ", StringComparison.Ordinal))
                {
                    current = ParsePipeline(rest[3..], line);
                    continue;
                }

                elseBody = ParseList(defines, out end);
                Expect(end, "end", line);
                return new IfNode(branches, elseBody);
            }
        }

        private void Expect(string? actual, string keyword, int line)
        {
            if (actual is null || Keyword(actual) != keyword)
            {
                throw new TemplateException($"{file}:{line}: expected {{{{{keyword}}}}}, found {(actual is null ? "EOF" : "{{" + actual + "}}")}");
            }
        }

        private static string Keyword(string content)
        {
            var match = Regex.Match(content, @"^[a-z]+\b");
            return match.Success ? match.Value : "";
        }

        private Pipeline ParsePipeline(string source, int line)
        {
            var tokens = Tokenize(source, line);
            var index = 0;
            var pipeline = ParsePipelineTokens(tokens, ref index, line);
            if (index != tokens.Count)
            {
                throw new TemplateException($"{file}:{line}: unexpected '{tokens[index]}' in '{source.Trim()}'");
            }

            return pipeline;
        }

        private Pipeline ParsePipelineTokens(List<string> tokens, ref int index, int line)
        {
            string? declare = null;
            var assignment = false;
            if (index + 1 < tokens.Count && tokens[index].StartsWith('$') && tokens[index + 1] is ":=" or "=")
            {
                declare = tokens[index];
                assignment = tokens[index + 1] == "=";
                index += 2;
            }

            var commands = new List<List<Operand>> { new() };
            while (index < tokens.Count && tokens[index] != ")")
            {
                var token = tokens[index++];
                if (token == "|")
                {
                    commands.Add([]);
                    continue;
                }

                commands[^1].Add(ParseOperand(token, tokens, ref index, line));
            }

            if (commands.Any(c => c.Count == 0))
            {
                throw new TemplateException($"{file}:{line}: missing command in pipeline");
            }

            return new Pipeline(declare, assignment, commands);
        }

        private Operand ParseOperand(string token, List<string> tokens, ref int index, int line)
        {
            if (token == "(")
            {
                var inner = ParsePipelineTokens(tokens, ref index, line);
                if (index >= tokens.Count || tokens[index] != ")")
                {
                    throw new TemplateException($"{file}:{line}: unclosed left paren");
                }

                index++;
                var path = new List<string>();
                // (pipeline).Field only when the field touches the parenthesis; "(x) .Field" is two arguments.
                while (index < tokens.Count && tokens[index].StartsWith("~.", StringComparison.Ordinal))
                {
                    path.AddRange(tokens[index++][1..].Split('.', StringSplitOptions.RemoveEmptyEntries));
                }

                return new ParenOperand(inner, path);
            }

            if (token.StartsWith('"'))
            {
                return new LiteralOperand(Regex.Unescape(token[1..^1]));
            }

            if (token.StartsWith('.'))
            {
                return new FieldOperand([.. token.Split('.', StringSplitOptions.RemoveEmptyEntries)]);
            }

            if (token.StartsWith('$'))
            {
                var parts = token.Split('.');
                return new VariableOperand(parts[0], [.. parts.Skip(1).Where(p => p.Length > 0)]);
            }

            if (Regex.IsMatch(token, @"^-?\d+$"))
            {
                return new LiteralOperand(long.Parse(token, CultureInfo.InvariantCulture));
            }

            if (Regex.IsMatch(token, @"^-?\d+\.\d+$"))
            {
                return new LiteralOperand(double.Parse(token, CultureInfo.InvariantCulture));
            }

            if (Regex.IsMatch(token, @"^[A-Za-z_][A-Za-z0-9_]*$"))
            {
                return token switch
                {
                    "true" => new LiteralOperand(true),
                    "false" => new LiteralOperand(false),
                    "nil" => new LiteralOperand(null),
                    _ => new IdentifierOperand(token),
                };
            }

            throw new TemplateException($"{file}:{line}: cannot read '{token}'");
        }

        private List<string> Tokenize(string source, int line)
        {
            var tokens = new List<string>();
            var i = 0;
            while (i < source.Length)
            {
                var c = source[i];
                if (char.IsWhiteSpace(c))
                {
                    i++;
                }
                else if (c == '"')
                {
                    var end = i + 1;
                    while (end < source.Length && source[end] != '"')
                    {
                        end += source[end] == '\\' ? 2 : 1;
                    }

                    if (end >= source.Length)
                    {
                        throw new TemplateException($"{file}:{line}: unterminated quoted string");
                    }

                    tokens.Add(source[i..(end + 1)]);
                    i = end + 1;
                }
                else if (c is '(' or ')' or '|')
                {
                    tokens.Add(c.ToString());
                    i++;
                }
                else if (c == ':' && i + 1 < source.Length && source[i + 1] == '=')
                {
                    tokens.Add(":=");
                    i += 2;
                }
                else if (c == '=')
                {
                    tokens.Add("=");
                    i++;
                }
                else
                {
                    var end = i;
                    while (end < source.Length && !char.IsWhiteSpace(source[end]) && source[end] is not ('(' or ')' or '|' or '"'))
                    {
                        if (source[end] == ':' && end + 1 < source.Length && source[end + 1] == '=')
                        {
                            break;
                        }

                        end++;
                    }

                    var word = source[i..end];
                    tokens.Add(i > 0 && source[i - 1] == ')' && word.StartsWith('.') ? "~" + word : word);
                    i = end;
                }
            }

            return tokens;
        }

        /// <summary>Splits text and actions, applying the <c>{{-</c> and <c>-}}</c> whitespace trims.</summary>
        private static List<(bool, string, int)> Lex(string text, string file)
        {
            var items = new List<(bool IsAction, string Content, int Line)>();
            var i = 0;
            var trimNext = false;
            while (i < text.Length)
            {
                var open = text.IndexOf("{{", i, StringComparison.Ordinal);
                var chunk = open < 0 ? text[i..] : text[i..open];
                if (trimNext)
                {
                    chunk = chunk.TrimStart(' ', '\t', '\r', '\n');
                }

                if (open < 0)
                {
                    items.Add((false, chunk, 0));
                    break;
                }

                var trimLeft = open + 2 < text.Length && text[open + 2] == '-' && open + 3 < text.Length && char.IsWhiteSpace(text[open + 3]);
                if (trimLeft)
                {
                    chunk = chunk.TrimEnd(' ', '\t', '\r', '\n');
                }

                items.Add((false, chunk, 0));
                var start = open + (trimLeft ? 3 : 2);
                var close = FindClose(text, start, file);
                var trimRight = close > start && text[close - 1] == '-' && char.IsWhiteSpace(text[close - 2]);
                var content = text[start..(trimRight ? close - 1 : close)].Trim();
                var line = text.AsSpan(0, open).Count('\n') + 1;
                items.Add((true, content, line));
                trimNext = trimRight;
                i = close + 2;
            }

            return items;
        }

        private static int FindClose(string text, int start, string file)
        {
            var inString = false;
            var inComment = false;
            for (var i = start; i < text.Length - 1; i++)
            {
                if (inComment)
                {
                    if (text[i] == '*' && text[i + 1] == '/')
                    {
                        inComment = false;
                        i++;
                    }
                }
                else if (inString)
                {
                    if (text[i] == '\\')
                    {
                        i++;
                    }
                    else if (text[i] == '"')
                    {
                        inString = false;
                    }
                }
                else if (text[i] == '/' && text[i + 1] == '*')
                {
                    inComment = true;
                    i++;
                }
                else if (text[i] == '"')
                {
                    inString = true;
                }
                else if (text[i] == '}' && text[i + 1] == '}')
                {
                    return i;
                }
            }

            throw new TemplateException($"{file}: unclosed action");
        }
    }

    [GeneratedRegex(@"^-?(?:\d+|\d*\.\d+|\d+\.\d*)(?:[eE][-+]?\d+)?$")]
    private static partial Regex NumberPattern();

    [GeneratedRegex(@"""(?<s>[^""]*)""")]
    private static partial Regex StringLiteral();

    [GeneratedRegex(@"^template\s+""(?<s>[^""]*)""(?<arg>.*)$", RegexOptions.Singleline)]
    private static partial Regex TemplateCall();
}

public sealed class TemplateException(string message) : Exception(message);
