using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using CnnGen.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Xunit;

namespace CnnGen.Tests.Analyzers
{
    /// <summary>
    /// The branching examples of the user guides (English and Chinese) are real code: each compiles with the generator,
    /// with no warning from the compiler or the analyzers, and the mistake the guide describes gives the diagnostic it
    /// says.
    /// </summary>
    public class GuideExamplesTests
    {
        public static IEnumerable<object[]> Examples()
        {
            foreach (string guide in new[] { "docs/user-guide.md", "docs/zh-Hans/user-guide.md" })
            {
                string text = File.ReadAllText(Path.Combine(Repo.Root, guide)).Replace("\r\n", "\n");
                int index = 0;
                foreach (Match m in Regex.Matches(text, "```csharp\n(.*?)```", RegexOptions.Singleline))
                    if (m.Groups[1].Value.Contains("[Block", StringComparison.Ordinal))
                        yield return new object[] { guide, index++, m.Groups[1].Value };
            }
        }

        [Fact]
        public void Both_guides_teach_the_four_branching_examples()
        {
            foreach (string guide in new[] { "docs/user-guide.md", "docs/zh-Hans/user-guide.md" })
            {
                string[] blocks = Examples().Where(e => (string)e[0] == guide).Select(e => (string)e[2]).ToArray();
                Assert.Contains(blocks, b => b.Contains("class ResNet8", StringComparison.Ordinal));
                Assert.Contains(blocks, b => b.Contains("class TinyMobileNet", StringComparison.Ordinal) && b.Contains("DepthwiseConv", StringComparison.Ordinal));
                Assert.Contains(blocks, b => b.Contains("class InceptionA", StringComparison.Ordinal));
                Assert.Contains(blocks, b => b.Contains("class TinyUNet", StringComparison.Ordinal) && b.Contains("Upsample", StringComparison.Ordinal));
            }
        }

        [Theory]
        [MemberData(nameof(Examples))]
        public void A_branching_example_compiles_without_warnings(string guide, int index, string code)
        {
            (Compilation output, GeneratorDriverRunResult result) = Compilations.Generate("using CnnGen;\n" + code);
            Assert.Empty(result.Diagnostics);
            Assert.Empty(output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning));
            Assert.Empty(Compilations.Analyze(output).Where(d => d.Severity >= DiagnosticSeverity.Warning));
            Assert.True(result.GeneratedTrees.Length > 0, $"{guide}, example {index}: nothing generated");
        }

        [Fact]
        public void The_ResNet_example_without_its_shortcut_is_the_error_the_guide_describes()
        {
            string code = (string)Examples().First(e => (string)e[0] == "docs/user-guide.md" && ((string)e[2]).Contains("class ResNet8", StringComparison.Ordinal))[2];
            string broken = code.Replace(", Shortcut = typeof(Project32)", "", StringComparison.Ordinal);
            Assert.NotEqual(code, broken);
            Diagnostic d = Compilations.Analyze(Compilations.Create("using CnnGen;\n" + broken)).Single(x => x.Severity == DiagnosticSeverity.Error);
            Assert.Equal("CNN0021", d.Id);
            string message = d.GetMessage(System.Globalization.CultureInfo.InvariantCulture);
            Assert.Contains("32x16x16", message);
            Assert.Contains("16x32x32", message);
        }
    }
}
