using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Xml.Linq;
using System.Linq;
using System.Text.RegularExpressions;
using CnnGen.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Xunit;

namespace CnnGen.Tests.Analyzers
{
    /// <summary>
    /// Every title, message and description exists in English and Simplified Chinese (the zh-Hans satellite assembly
    /// beside the analyzers), and diagnostics render in the culture they are shown in, phrases inside the arguments too.
    /// </summary>
    public class LocalizationTests
    {
        private static readonly CultureInfo English = CultureInfo.GetCultureInfo("en-US"), Chinese = CultureInfo.GetCultureInfo("zh-Hans");

        [Fact]
        public void Every_rule_is_translated_with_the_same_placeholders()
        {
            foreach (DiagnosticDescriptor d in new global::CnnGen.Analyzers.NetworkAnalyzer().SupportedDiagnostics)
            {
                foreach (LocalizableString text in new[] { d.Title, d.MessageFormat, d.Description })
                {
                    string en = text.ToString(English), zh = text.ToString(Chinese);
                    Assert.False(string.IsNullOrWhiteSpace(en), d.Id);
                    Assert.NotEqual(en, zh);
                    Assert.Matches(@"\p{IsCJKUnifiedIdeographs}", zh);
                    Assert.Equal(Placeholders(en), Placeholders(zh));
                }
            }
        }

        /// <summary>Phrases (words inside messages) and code-action titles too: every English resource has its translation.</summary>
        [Fact]
        public void Every_resource_is_translated_with_the_same_placeholders()
        {
            static Dictionary<string, string> Read(string file) => XDocument.Load(Path.Combine(Repo.Root, "src", "Shared", "Resources", file))
                .Root!.Elements("data").ToDictionary(e => (string)e.Attribute("name")!, e => (string)e.Element("value")!);
            Dictionary<string, string> en = Read("Strings.resx"), zh = Read("Strings.zh-Hans.resx");
            Assert.Equal(en.Keys.OrderBy(k => k), zh.Keys.OrderBy(k => k));
            Assert.Contains(en.Keys, k => k.StartsWith("Fix_", StringComparison.Ordinal));
            foreach ((string key, string text) in en)
            {
                Assert.True(Placeholders(text).SequenceEqual(Placeholders(zh[key])), $"{key}: '{text}' vs '{zh[key]}'");
                // Phrases may be code words that stay as they are (static, int); titles, messages and code actions are translated.
                if (!key.StartsWith("Phrase_", StringComparison.Ordinal))
                    Assert.True(Regex.IsMatch(zh[key], @"\p{IsCJKUnifiedIdeographs}"), $"{key} is not translated: '{zh[key]}'");
            }
        }

        [Fact]
        public void Chinese_uses_the_usual_terms()
        {
            string all = string.Join("\n", new global::CnnGen.Analyzers.NetworkAnalyzer().SupportedDiagnostics
                .SelectMany(d => new[] { d.Title.ToString(Chinese), d.MessageFormat.ToString(Chinese), d.Description.ToString(Chinese) }));
            foreach (string term in new[] { "卷积", "步幅", "填充", "池化", "全连接层", "特征图" }) Assert.Contains(term, all);
        }

        [Fact]
        public void Diagnostics_render_in_the_culture_they_are_shown_in()
        {
            var diagnostics = Compilations.Analyze(Compilations.Create("""
                using CnnGen;
                [ConvNet(1, 13, 13)]
                [Conv(1, 4, Stride = 2)]
                [Dense(10)]
                public partial class Net { }

                [ConvNet(1, 28, 28)]
                [Conv(4, 3, Pads = new[] { 1, 3, 1, 1 })]
                public partial class Net2 { }

                [ConvNet(1, 8)]
                [Conv(2, 3)]
                public class Net3 { }
                """));
            string Message(string id, CultureInfo culture) => diagnostics.Single(d => d.Id == id).GetMessage(culture);

            Assert.Equal("Layer 'conv1' (Conv): along H and W, (I - F + P_start + P_end) / S = (13 - 4 + 0 + 0) / 2 = 9 / 2 is not an integer; " +
                "the output is floored to O = 5 and 1 input position(s) at the end are never read. To make it exact: " +
                "Padding = Padding.Same (O = 7), or Pads = new[] { 0, 0, 1, 1 } (O = 6), or Stride = 3 (O = 4)", Message("CNN0011", English));
            Assert.Equal("层 'conv1' (Conv)：沿 H 和 W 方向，(I - F + P_start + P_end) / S = (13 - 4 + 0 + 0) / 2 = 9 / 2 不是整数；" +
                "输出被向下取整为 O = 5，末尾有 1 个输入位置永远不会被读到。要使其整除：" +
                "Padding = Padding.Same (O = 7)，或 Pads = new[] { 0, 0, 1, 1 } (O = 6)，或 Stride = 3 (O = 4)", Message("CNN0011", Chinese));
            Assert.Equal("层 'fc1' (Dense) 不能接受输入 1x5x5：全连接层 Dense 需要向量；请在它之前插入 [Flatten]（得到 N_in = 1x5x5 = 25）", Message("CNN0012", Chinese));
            Assert.Contains("沿 W 方向的起始填充为 3", Message("CNN0009", Chinese));
            Assert.Contains("the begin padding along W is 3", Message("CNN0009", English));
            Assert.StartsWith("'Net3' 必须声明为 partial", Message("CNN0001", Chinese));
            foreach (Diagnostic d in diagnostics)
            {
                Assert.DoesNotContain('\u0002', d.GetMessage(Chinese));
                Assert.DoesNotContain('\u0002', d.GetMessage(English));
                Assert.Matches(@"\p{IsCJKUnifiedIdeographs}", d.GetMessage(Chinese));
            }
        }

        /// <summary>The user guides (English and Chinese) quote the CNN0011 message of their example as the analyzer writes it.</summary>
        [Theory]
        [InlineData("docs/user-guide.md", "en-US")]
        [InlineData("docs/zh-Hans/user-guide.md", "zh-Hans")]
        public void User_guides_quote_the_real_message(string guide, string culture)
        {
            string text = File.ReadAllText(Path.Combine(Repo.Root, guide)).Replace("\r\n", "\n");
            const string example = "[ConvNet(1, 13, 13)]\n[Conv(1, 4, Stride = 2)]\n";
            int at = text.IndexOf(example, StringComparison.Ordinal);
            Assert.True(at >= 0, $"{guide} has no CNN0011 example");
            string quoted = string.Concat(text.Substring(at + example.Length).Split('\n').TakeWhile(l => l.StartsWith("// ", StringComparison.Ordinal)).Select(l => l.Substring(3)));
            Diagnostic d = Compilations.Analyze(Compilations.Create("using CnnGen;\n" + example + "public partial class Net { }")).Single();
            static string Squeeze(string s) => Regex.Replace(s, @"\s+", "");
            Assert.Equal(Squeeze($"warning CNN0011: {d.GetMessage(CultureInfo.GetCultureInfo(culture))}"), Squeeze(quoted));
        }

        private static string[] Placeholders(string text) => Regex.Matches(text, @"\{\d+\}").Select(m => m.Value).Distinct().OrderBy(v => v).ToArray();
    }
}
