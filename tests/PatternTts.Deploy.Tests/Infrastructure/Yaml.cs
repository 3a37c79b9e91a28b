using YamlDotNet.RepresentationModel;

namespace PatternTts.Deploy.Tests.Infrastructure;

/// <summary>YAML documents as YamlDotNet's representation model, navigated by dotted paths.</summary>
internal static class Yaml
{
    public static YamlMappingNode LoadMapping(string relativePath)
    {
        var stream = new YamlStream();
        using var reader = new StringReader(Repo.Read(relativePath));
        stream.Load(reader);
        Assert.Single(stream.Documents);
        return Assert.IsType<YamlMappingNode>(stream.Documents[0].RootNode);
    }

    public static YamlNode? Find(this YamlNode node, string dottedPath) =>
        node.Find(dottedPath.Split('.', StringSplitOptions.RemoveEmptyEntries));

    public static YamlNode? Find(this YamlNode node, IEnumerable<string> path)
    {
        var current = node;
        foreach (var key in path)
        {
            if (current is not YamlMappingNode mapping
                || !mapping.Children.TryGetValue(new YamlScalarNode(key), out var next))
            {
                return null;
            }

            current = next;
        }

        return current;
    }

    public static string Scalar(this YamlNode node, string dottedPath) =>
        Assert.IsType<YamlScalarNode>(node.Find(dottedPath) ?? throw new KeyNotFoundException(dottedPath)).Value ?? "";

    public static YamlMappingNode Mapping(this YamlNode node, string dottedPath) =>
        Assert.IsType<YamlMappingNode>(node.Find(dottedPath) ?? throw new KeyNotFoundException(dottedPath));

    public static IEnumerable<string> Keys(this YamlMappingNode mapping) =>
        mapping.Children.Keys.Cast<YamlScalarNode>().Select(k => k.Value!);

    /// <summary>The value an override file leaves in effect: its own when it sets the path, else the base one.</summary>
    public static string EffectiveScalar(YamlNode baseValues, YamlNode overrides, string dottedPath) =>
        overrides.Find(dottedPath) is YamlScalarNode scalar ? scalar.Value ?? "" : baseValues.Scalar(dottedPath);

    /// <summary>Every key path an override file sets that the base file does not define. Empty base maps are free-form.</summary>
    public static IEnumerable<string> UnknownKeys(YamlMappingNode baseValues, YamlMappingNode overrides, string prefix = "")
    {
        foreach (var (keyNode, value) in overrides.Children)
        {
            var key = ((YamlScalarNode)keyNode).Value!;
            var path = prefix.Length == 0 ? key : $"{prefix}.{key}";
            if (!baseValues.Children.TryGetValue(keyNode, out var baseValue))
            {
                yield return path;
            }
            else if (value is YamlMappingNode overrideMap && baseValue is YamlMappingNode baseMap && baseMap.Children.Count > 0)
            {
                foreach (var unknown in UnknownKeys(baseMap, overrideMap, path))
                {
                    yield return unknown;
                }
            }
            else if (value is YamlMappingNode && baseValue is not YamlMappingNode)
            {
                yield return $"{path} (a map where values.yaml has a {baseValue.NodeType})";
            }
        }
    }
}
