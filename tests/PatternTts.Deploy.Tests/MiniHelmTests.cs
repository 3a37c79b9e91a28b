using PatternTts.Deploy.Tests.Infrastructure;

namespace PatternTts.Deploy.Tests;

/// <summary>
/// The renderer the chart tests rely on must behave like Helm where the chart depends on it; these pin the parts
/// that are easy to get wrong (whitespace trimming, float64 numbers, $ inside named templates, toYaml layout).
/// </summary>
public sealed class MiniHelmTests : IDisposable
{
    private readonly string chartDir = Directory.CreateTempSubdirectory("minihelm-").FullName;

    public MiniHelmTests()
    {
        Directory.CreateDirectory(Path.Combine(chartDir, "templates"));
        File.WriteAllText(Path.Combine(chartDir, "Chart.yaml"), "apiVersion: v2\nname: demo\nversion: 1.2.3\nappVersion: \"4.5.6\"\n");
    }

    [Theory]
    [InlineData("n: 8205", "{{ .Values.n }}", "8205")]
    [InlineData("n: 1000000", "{{ .Values.n }}", "1e+06")]
    [InlineData("n: 1000000", "{{ .Values.n | int }}", "1000000")]
    [InlineData("n: 0.25", "{{ .Values.n }}", "0.25")]
    [InlineData("b: false", "{{ .Values.b | quote }}", "\"false\"")]
    [InlineData("s: \"1\"", "{{ .Values.s | quote }}", "\"1\"")]
    [InlineData("s: ''", "{{ default \"x\" .Values.s }}", "x")]
    [InlineData("m: {a: 1}", "{{ .Values.missing }}|{{ .Values.m.a }}", "|1")]
    public void ValuesPrintAsHelmPrintsThem(string values, string template, string expected)
    {
        Assert.Equal(expected, RenderOne(values, template));
    }

    [Fact]
    public void TrimMarkersEatTheWhitespaceOnTheirSide()
    {
        var output = RenderOne("on: true", "a:\n  {{- if .Values.on }}\n  b: 1\n  {{- end }}\nc: 2 {{- \" \" -}} !");

        Assert.Equal("a:\n  b: 1\nc: 2 !", output);
    }

    [Fact]
    public void DollarInsideANamedTemplateIsItsArgument()
    {
        File.WriteAllText(Path.Combine(chartDir, "templates", "_h.tpl"), "{{- define \"t\" -}}{{ $.x }}-{{ .x }}{{- end }}");

        var output = RenderOne("{}", "{{ include \"t\" (dict \"x\" \"arg\") }}/{{ $.Chart.Name }}");

        Assert.Equal("arg-arg/demo", output);
    }

    [Fact]
    public void ToYamlSortsKeysAndLeavesSequencesUnindented()
    {
        var output = RenderOne("sc: {z: 1, caps: {drop: [ALL]}, a: \"true\"}", "{{ toYaml .Values.sc }}");

        Assert.Equal("a: \"true\"\ncaps:\n  drop:\n  - ALL\nz: 1", output);
    }

    [Fact]
    public void FieldOfAMissingMapIsAnError()
    {
        Assert.Throws<TemplateException>(() => RenderOne("{}", "{{ .Values.a.b }}"));
    }

    [Fact]
    public void ComparingAFloatWithAnIntIsAnErrorAsInGo()
    {
        var error = Assert.Throws<TemplateException>(() => RenderOne("n: 3", "{{ if eq .Values.n 3 }}x{{ end }}"));

        Assert.Contains("incompatible types", error.Message);
    }

    public void Dispose() => Directory.Delete(chartDir, recursive: true);

    private string RenderOne(string values, string template)
    {
        File.WriteAllText(Path.Combine(chartDir, "values.yaml"), values);
        File.WriteAllText(Path.Combine(chartDir, "templates", "t.yaml"), template);
        return MiniHelm.Render(chartDir, [])["t.yaml"];
    }
}
