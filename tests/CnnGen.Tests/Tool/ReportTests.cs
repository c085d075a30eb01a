using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;
using CnnGen.Shapes;
using CnnGen.Tests.Infrastructure;
using CnnGen.Tool.Report;
using Xunit;

namespace CnnGen.Tests.Tool
{
    /// <summary>The reports cnngen writes, rendered once per test class and shared by the tests.</summary>
    public sealed class ReportFixture : IDisposable
    {
        /// <summary>LeNet-5 as the README declares it (the generator tests' copy).</summary>
        public const string LeNet5 = global::CnnGen.Tests.Generators.GeneratorTests.LeNet5;

        /// <summary>A residual whose block halves the map and doubles the channels with no shortcut, and a floored output size.</summary>
        public const string Broken = """
            using CnnGen;

            [ConvNet(3, 32, 32)]
            [Conv(16, 3, Padding = Padding.Same), ReLU]
            [Residual(typeof(Down32))]
            [GlobalAvgPool, Dense(10)]
            public partial class Broken { }

            [Block]
            [Conv(32, 3, Stride = 2, Padding = Padding.Same), BatchNorm, LeakyReLU(0.1f)]
            public partial class Down32 { }

            [ConvNet(1, 13, 13)]
            [Conv(4, 4, Stride = 2), ELU]
            [Flatten, Dropout]
            [Dense(10), Sigmoid]
            public partial class Floored { }
            """;

        public static string Mnist8 => Path.GetFullPath(Path.Combine(Repo.Root, "..", "shared", "testdata", "mnist-8", "model.onnx"));

        public string Folder { get; } = Path.Combine(Path.GetTempPath(), "cnngen-report-" + Guid.NewGuid().ToString("N"));

        private readonly ConcurrentDictionary<string, Lazy<Rendered>> _reports = new();

        public ReportFixture() => Directory.CreateDirectory(Folder);

        /// <summary>A report written by `cnngen report`: the file, the exit code and what it printed.</summary>
        public sealed record Rendered(string Pdf, int Code, string Out, string Err);

        public string Source(string name, string code)
        {
            string path = Path.Combine(Folder, name);
            if (!File.Exists(path)) File.WriteAllText(path, code);
            return path;
        }

        public static (int Code, string Out, string Err) Run(params string[] args)
        {
            var output = new StringWriter { NewLine = "\n" };
            var error = new StringWriter { NewLine = "\n" };
            int code = global::CnnGen.Tool.Program.Run(args, output, error);
            return (code, output.ToString(), error.ToString());
        }

        /// <summary>The report of <paramref name="inputs"/> in <paramref name="lang"/>, written once.</summary>
        public Rendered Report(string key, string lang, params string[] inputs) => ReportOnPaper(key, lang, "a4", inputs);

        public Rendered ReportOnPaper(string key, string lang, string paper, params string[] inputs) =>
            _reports.GetOrAdd(key, _ => new Lazy<Rendered>(() =>
            {
                string pdf = Path.Combine(Folder, key + ".pdf");
                var args = new List<string> { "report" };
                args.AddRange(inputs);
                args.AddRange(new[] { "-o", pdf, "--lang", lang, "--paper", paper, "--font-dir", ReportReader.FontDir });
                var (code, output, error) = Run(args.ToArray());
                return new Rendered(pdf, code, output, error);
            })).Value;

        public Rendered LeNet(string lang) => Report("lenet-" + lang, lang, Source("LeNet5.cs", LeNet5));

        public Rendered Mnist(string lang) => Report("mnist-" + lang, lang, Mnist8);

        public Rendered BrokenReport(string lang) => Report("broken-" + lang, lang, Source("Broken.cs", Broken));

        public Rendered ResNet(string lang) => Report("resnet-" + lang, lang, Path.Combine(Repo.Root, "samples", "ResNet", "CifarResNet20.cs"));

        public void Dispose()
        {
            try { Directory.Delete(Folder, recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>
    /// `cnngen report`: the PDF read back with poppler as a reader would: each layer's worked formulas and every
    /// diagnostic in English and Chinese, page count and size, fonts embedded, no text off the page; and bad input.
    /// </summary>
    public class ReportTests : IClassFixture<ReportFixture>
    {
        private static readonly CultureInfo Chinese = CultureInfo.GetCultureInfo("zh-Hans");
        private readonly ReportFixture _fixture;

        public ReportTests(ReportFixture fixture) => _fixture = fixture;

        private static void Contains(string expected, string text) =>
            Assert.True(text.Contains(ReportReader.Normalize(expected), StringComparison.Ordinal), $"The report does not contain \"{expected}\".");

        [Fact]
        public void LeNet5_report_works_out_each_layers_formulas_with_its_numbers()
        {
            ReportFixture.Rendered r = _fixture.LeNet("en");
            Assert.True(r.Code == 0, r.Err);
            string text = ReportReader.Text(r.Pdf);
            Contains("LeNet5: 1x28x28 -> 10, 61,706 parameters", text);
            // conv1, Same: SPEC's example, the padding, parameters, receptive field and MACs.
            Contains("Same: P = S*ceil(I/S) - I + F - S = 1*ceil(28/1) - 28 + 5 - 1 = 4; P_start = floor(P/2) = 2, P_end = P - P_start = 2", text);
            Contains("output size (H, W): O = (I - F + P_start + P_end) / S + 1 = (28 - 5 + 2 + 2) / 1 + 1 = 28", text);
            Contains("parameters: (F*F*C + 1)*K = (5*5*1 + 1)*6 = 156", text);
            Contains("receptive field (H, W): R = R_in + (F - 1)*J_in = 1 + (5 - 1)*1 = 5", text);
            Contains("multiply-accumulates: output positions * K * weights per filter = (28*28) * 6 * (5*5*1) = 117600", text);
            // pool1, conv2, pool2: the receptive field grows with the jump.
            Contains("O = (I - F + P_start + P_end) / S + 1 = (28 - 2 + 0 + 0) / 2 + 1 = 14", text);
            Contains("R = R_in + (F - 1)*J_in = 5 + (2 - 1)*1 = 6", text);
            Contains("O = (I - F + P_start + P_end) / S + 1 = (14 - 5 + 0 + 0) / 1 + 1 = 10", text);
            Contains("(F*F*C + 1)*K = (5*5*6 + 1)*16 = 2416", text);
            Contains("R = R_in + (F - 1)*J_in = 6 + (5 - 1)*2 = 14", text);
            Contains("R = R_in + (F - 1)*J_in = 14 + (2 - 1)*2 = 16", text);
            Contains("(10*10) * 16 * (5*5*6) = 240000", text);
            // flatten and the dense layers.
            Contains("N = 16*5*5 = 400", text);
            Contains("(N_in + 1)*N_out = (400 + 1)*120 = 48120", text);
            Contains("(N_in + 1)*N_out = (120 + 1)*84 = 10164", text);
            Contains("(N_in + 1)*N_out = (84 + 1)*10 = 850", text);
            Contains("N_in*N_out = 400*120 = 48000", text);
            Contains("g(z) = max(0, z), applied to each of the 4704 values", text);
            Contains("No errors or warnings", text);
            Contains("Receptive field", text);
            Contains("Softmax", text);
        }

        [Theory]
        [InlineData("en")]
        [InlineData("zh-Hans")]
        public void Every_formula_line_of_every_layer_is_in_the_report(string lang)
        {
            CultureInfo culture = lang == "en" ? CultureInfo.InvariantCulture : Chinese;
            ReportText t = ReportText.For(culture);
            foreach ((ReportFixture.Rendered r, List<ReportNetwork> networks) in new[]
            {
                (_fixture.LeNet(lang), ReportSources.FromCSharp(new[] { _fixture.Source("LeNet5.cs", ReportFixture.LeNet5) })),
                (_fixture.Mnist(lang), new List<ReportNetwork> { ReportSources.FromOnnx(ReportFixture.Mnist8, TextWriter.Null) }),
                (_fixture.ResNet(lang), ReportSources.FromCSharp(new[] { Path.Combine(Repo.Root, "samples", "ResNet", "CifarResNet20.cs") })),
            })
            {
                string text = ReportReader.Text(r.Pdf);
                foreach (ReportNetwork n in networks)
                {
                    NetworkAnalysis a = n.Analysis!;
                    Assert.NotEmpty(a.Layers);
                    foreach (LayerInfo l in a.Layers)
                    {
                        Contains($"{l.Index + 1}. {l.Name}", text);
                        List<FormulaLine> lines = LayerFormulas.For(a, l, t);
                        Assert.NotEmpty(lines);
                        foreach (FormulaLine f in lines) Contains(f.Label + ": " + f.Text, text);
                    }
                }
            }
        }

        [Fact]
        public void The_Chinese_report_is_in_Chinese_with_the_same_numbers()
        {
            ReportFixture.Rendered r = _fixture.LeNet("zh-Hans");
            Assert.True(r.Code == 0, r.Err);
            string text = ReportReader.Text(r.Pdf);
            Contains("LeNet5：1x28x28 -> 10，参数 61,706 个", text);
            Contains("输出尺寸 (H, W): O = (I - F + P_start + P_end) / S + 1 = (28 - 5 + 2 + 2) / 1 + 1 = 28", text);
            Contains("Same：P = S*ceil(I/S) - I + F - S = 1*ceil(28/1) - 28 + 5 - 1 = 4", text);
            Contains("参数: (F*F*C + 1)*K = (5*5*1 + 1)*6 = 156", text);
            Contains("感受野 (H, W): R = R_in + (F - 1)*J_in = 1 + (5 - 1)*1 = 5", text);
            foreach (string heading in new[] { "网络结构", "层表", "逐层计算", "诊断", "本网络用到的概念", "卷积", "填充：Valid、Same、Full、显式", "池化", "展平", "全连接层（Dense）", "感受野", "激活内存峰值" })
                Contains(heading, text);
            // No English prose is left: the English headings and explanations are absent.
            foreach (string english in new[] { "Layer by layer", "The concepts this network uses", "A convolution slides", "What it means", "parameters:" })
                Assert.DoesNotContain(ReportReader.Normalize(english), text);
        }

        [Theory]
        [InlineData("en")]
        [InlineData("zh-Hans")]
        public void Diagnostics_are_explained_with_their_numbers_and_fix_where_they_occur(string lang)
        {
            CultureInfo culture = lang == "en" ? CultureInfo.InvariantCulture : Chinese;
            ReportFixture.Rendered r = _fixture.BrokenReport(lang);
            Assert.True(r.Code == 1, r.Err); // a network with errors: the report is written all the same
            Assert.True(File.Exists(r.Pdf));
            Assert.Contains("Broken has errors", r.Err);
            string text = ReportReader.Text(r.Pdf);

            List<ReportNetwork> networks = ReportSources.FromCSharp(new[] { _fixture.Source("Broken.cs", ReportFixture.Broken) });
            Assert.Equal(new[] { "Broken", "Floored" }, networks.Select(n => n.Name));
            Contains("1. Broken", text);
            Contains("2. Floored", text);
            var ids = networks.SelectMany(n => n.Diagnostics).Select(d => d.Rule.Id).ToList();
            Assert.Contains("CNN0021", ids);
            Assert.Contains("CNN0011", ids);
            foreach (ReportDiagnostic d in networks.SelectMany(n => n.Diagnostics))
            {
                string message = ReportReader.Normalize(d.Message(culture));
                // At the layer it concerns and in the diagnostics section: twice.
                int count = Regex.Matches(text, Regex.Escape(message)).Count;
                Assert.True(count >= 2, $"\"{message}\" is in the report {count} time(s).");
                Contains(Strings.Get(d.Rule.DescriptionKey, culture), text);
                Contains(Strings.Get(d.Rule.TitleKey, culture), text);
                Contains(d.Where, text);
            }
            if (lang == "en")
            {
                Contains("error CNN0021: Residual sides differ in shape", text);
                Contains("Layer 'res1' (Residual): the block Down32 gives 32x16x16, but the shortcut (the identity, x itself) gives 16x32x32", text);
                Contains("warning CNN0011", text);
                Contains("O = floor((I - F + P_start + P_end) / S) + 1 = floor((13 - 4 + 0 + 0) / 2) + 1 = floor(9 / 2) + 1 = 5", text);
                Contains("Broken.cs(5,2)", text);
                Contains("The shapes after", text);
            }
            else
            {
                Contains("错误 CNN0021", text);
                Contains("警告 CNN0011", text);
                Contains("O = floor((I - F + P_start + P_end) / S) + 1 = floor((13 - 4 + 0 + 0) / 2) + 1 = floor(9 / 2) + 1 = 5", text);
            }
            // Every activation the networks use gets its explanation (its curve is drawn beside it).
            ReportText t = ReportText.For(culture);
            foreach (Concept c in new[] { t.ReLU, t.LeakyReLU, t.ELU, t.Sigmoid, t.Residual, t.BatchNorm, t.Dropout, t.GlobalPooling, t.Divisibility })
                Contains(c.Title, text);
        }

        [Fact]
        public void The_mnist8_report_explains_its_pool_warning_in_both_languages()
        {
            string en = ReportReader.Text(_fixture.Mnist("en").Pdf);
            string zh = ReportReader.Text(_fixture.Mnist("zh-Hans").Pdf);
            Contains("Mnist8: 1x28x28 -> 10, 5,994 parameters, 786,560 multiply-accumulates", en);
            Contains("O = floor((I - F + P_start + P_end) / S) + 1 = floor((14 - 3 + 0 + 0) / 3) + 1 = floor(11 / 3) + 1 = 4", en);
            Contains("(F*F*C + 1)*K = (5*5*8 + 1)*16 = 3216", en);
            Contains("warning CNN0011: Output size is not an integer", en);
            Contains("Layer 'pool2' (MaxPool): along H and W, (I - F + P_start + P_end) / S = (14 - 3 + 0 + 0) / 3 = 11 / 3 is not an integer", en);
            Contains("mnist-8/model.onnx", en);
            Contains("警告 CNN0011", zh);
            Contains(Strings.Get("CNN0011_Title", Chinese), zh);
            Contains(Strings.Get("CNN0011_Description", Chinese), zh);
            Assert.Equal(0, _fixture.Mnist("en").Code);
        }

        [Fact]
        public void Branches_and_merges_are_drawn_and_worked_out()
        {
            ReportFixture.Rendered r = _fixture.ResNet("en");
            Assert.True(r.Code == 0, r.Err);
            string text = ReportReader.Text(r.Pdf);
            Contains("CifarResNet20: 3x32x32 -> 10", text);
            Contains("y = Basic16(x) + Identity(x), then ReLU: 16x32x32 + 16x32x32 -> 16x32x32", text);
            Contains("y = Basic32Down(x) + Downsample32(x), then ReLU: 32x16x16 + 32x16x16 -> 32x16x16", text);
            Contains("(shortcut: Downsample32)", text);
            Contains("explicit: P_start = 1, P_end = 1", text);
            Contains("Residual connection", text);
            // The diagram labels each merge with its use and shape.
            Contains("layer2.0 Residual Basic32Down + Downsample32, ReLU", text);
        }

        [Fact]
        public void Several_networks_in_one_file_get_a_section_each_on_letter_paper()
        {
            ReportFixture.Rendered r = _fixture.ReportOnPaper("summaries-en", "en", "letter", Path.Combine(Repo.Root, "samples", "Summaries", "Networks.cs"));
            Assert.True(r.Code == 0, r.Err);
            string text = ReportReader.Text(r.Pdf);
            foreach (string section in new[] { "1. LeNet5", "2. Mnist8", "3. AudioNet", "4. VolumeNet" }) Contains(section, text);
            Contains("VolumeNet: 1x16x32x32 -> 2", text);
            Contains("output size (D): O = (I - F + P_start + P_end) / S + 1 = (16 - 3 + 1 + 1) / 1 + 1 = 16", text);
            Contains("output size (H, W): O = (I - F + P_start + P_end) / S + 1 = (32 - 3 + 1 + 1) / 1 + 1 = 32", text);
            Contains("output size (L): O = (I - F + P_start + P_end) / S + 1 = (16000 - 9 + 2 + 3) / 4 + 1 = 4000", text);
            (double w, double h, string paper) = ReportReader.PageSize(r.Pdf);
            Assert.Equal("letter", paper);
            Assert.InRange(w, 611.5, 612.5);
            Assert.InRange(h, 791.5, 792.5);
        }

        [Theory]
        [InlineData("lenet-en")]
        [InlineData("lenet-zh-Hans")]
        [InlineData("mnist-en")]
        [InlineData("broken-zh-Hans")]
        [InlineData("resnet-en")]
        public void Pages_are_a4_numbered_with_fonts_embedded_and_no_text_off_the_page(string key)
        {
            ReportFixture.Rendered r = key switch
            {
                "lenet-en" => _fixture.LeNet("en"),
                "lenet-zh-Hans" => _fixture.LeNet("zh-Hans"),
                "mnist-en" => _fixture.Mnist("en"),
                "broken-zh-Hans" => _fixture.BrokenReport("zh-Hans"),
                _ => _fixture.ResNet("en"),
            };
            int pages = ReportReader.Pages(r.Pdf);
            Assert.Contains($"({pages} pages;", r.Out);
            Assert.InRange(pages, 3, 40);
            (double w, double h, string paper) = ReportReader.PageSize(r.Pdf);
            Assert.Equal("A4", paper);
            Assert.InRange(w, 594.5, 596); // Skia writes the MediaBox in single precision: 595.2 x 841.92
            Assert.InRange(h, 841, 842.5);

            string text = ReportReader.Text(r.Pdf);
            string last = key.EndsWith("zh-Hans", StringComparison.Ordinal) ? $"第 {pages} 页，共 {pages} 页" : $"page {pages} / {pages}";
            Contains(last, text);

            // Only the glyphs drawn are embedded: a whole CJK font would make the file ten times larger.
            Assert.True(new FileInfo(r.Pdf).Length < 2_500_000, $"{r.Pdf} is {new FileInfo(r.Pdf).Length:N0} bytes");
            var fonts = ReportReader.Fonts(r.Pdf);
            Assert.NotEmpty(fonts);
            Assert.All(fonts, f => Assert.True(f.Embedded, $"font {f.Name} is not embedded"));
            if (key.Contains("zh", StringComparison.Ordinal)) Assert.Contains(fonts, f => f.Name.Contains("WenQuanYi", StringComparison.OrdinalIgnoreCase) || f.Name.Contains("ZenHei", StringComparison.OrdinalIgnoreCase));

            var words = ReportReader.Words(r.Pdf);
            Assert.Equal(pages, words.Max(x => x.Page));
            const double margin = 50 - 2; // the layout's margin, less a little for glyph overhang
            foreach (var word in words)
            {
                Assert.True(word.XMin >= margin && word.XMax <= word.PageWidth - margin && word.YMin >= margin - 4 && word.YMax <= word.PageHeight - margin + 12,
                    $"'{word.Word}' on page {word.Page} lies at ({word.XMin:F1}, {word.YMin:F1})-({word.XMax:F1}, {word.YMax:F1}), outside the page's text area {word.PageWidth}x{word.PageHeight}.");
            }
        }

        [Fact]
        public void The_first_page_renders_to_an_image()
        {
            string prefix = Path.Combine(_fixture.Folder, "lenet-page");
            ReportReader.Run("pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "2", _fixture.LeNet("en").Pdf, prefix);
            string[] images = Directory.GetFiles(_fixture.Folder, "lenet-page*.png");
            Assert.Equal(2, images.Length);
            foreach (string image in images)
            {
                byte[] png = File.ReadAllBytes(image);
                Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, png.Take(4).ToArray());
                Assert.True(png.Length > 3000, $"{image} is {png.Length} bytes: a blank page?");
            }
        }

        [Fact]
        public void Both_languages_have_every_text()
        {
            foreach (PropertyInfo p in typeof(ReportText).GetProperties().Where(p => p.PropertyType == typeof(string)))
            {
                string en = (string)p.GetValue(ReportText.English)!, zh = (string)p.GetValue(ReportText.Chinese)!;
                Assert.False(string.IsNullOrWhiteSpace(en), p.Name);
                Assert.False(string.IsNullOrWhiteSpace(zh), p.Name);
                if (p.Name is not ("NoWeights" or "CurveCaption")) Assert.True(en != zh, $"{p.Name} is not translated: {en}");
                // The same placeholders in both languages.
                Assert.Equal(Regex.Matches(en, @"\{\d\}").Select(m => m.Value).Distinct().OrderBy(s => s), Regex.Matches(zh, @"\{\d\}").Select(m => m.Value).Distinct().OrderBy(s => s));
            }
            foreach (PropertyInfo p in typeof(ReportText).GetProperties().Where(p => p.PropertyType == typeof(Concept)))
            {
                var en = (Concept)p.GetValue(ReportText.English)!;
                var zh = (Concept)p.GetValue(ReportText.Chinese)!;
                Assert.NotEqual(en.Body, zh.Body);
                Assert.Matches(@"[\u4e00-\u9fff]", zh.Body);
            }
            Assert.Equal(ReportText.English.TableHeaders.Length, ReportText.Chinese.TableHeaders.Length);
        }

        [Fact]
        public void Bad_input_gets_a_clear_message_and_the_exit_codes_of_cnngen()
        {
            string empty = Path.Combine(_fixture.Folder, "no-fonts");
            Directory.CreateDirectory(empty);
            string lenet = _fixture.Source("LeNet5.cs", ReportFixture.LeNet5);

            var (code, _, error) = ReportFixture.Run("report", Path.Combine(_fixture.Folder, "missing.onnx"));
            Assert.Equal(3, code);
            Assert.Contains("missing.onnx: no such file", error);

            string garbage = _fixture.Source("garbage.onnx", "this is not a protobuf");
            (code, _, error) = ReportFixture.Run("report", garbage, "-o", Path.Combine(_fixture.Folder, "garbage.pdf"));
            Assert.Equal(3, code);
            Assert.Contains("is not a readable ONNX model", error);

            string blockOnly = _fixture.Source("BlockOnly.cs", "using CnnGen;\n[Block]\n[Conv(8, 3)]\npublic partial class Lonely { }\npublic class Plain { }\n");
            (code, _, error) = ReportFixture.Run("report", blockOnly, "-o", Path.Combine(_fixture.Folder, "block.pdf"));
            Assert.Equal(1, code);
            Assert.Contains("no network declared", error);
            Assert.False(File.Exists(Path.Combine(_fixture.Folder, "block.pdf")));

            (code, _, error) = ReportFixture.Run("report", lenet, "--paper", "a5");
            Assert.Equal(2, code);
            Assert.Contains("'a5' is not a paper size", error);
            (code, _, error) = ReportFixture.Run("report");
            Assert.Equal(2, code);
            Assert.Contains("give an ONNX model or C# files", error);

            (code, _, error) = ReportFixture.Run("report", lenet, "--lang", "zh-Hans", "--no-system-fonts", "--font-dir", empty, "-o", Path.Combine(_fixture.Folder, "nofont.pdf"));
            Assert.Equal(3, code);
            Assert.Contains("no font with Chinese characters was found", error);
            Assert.Contains("fonts-noto-cjk", error);
            (code, _, error) = ReportFixture.Run("report", lenet, "--lang", "en", "--no-system-fonts", "--font-dir", empty, "-o", Path.Combine(_fixture.Folder, "nofont.pdf"));
            Assert.Equal(3, code);
            Assert.Contains("fonts-dejavu-core", error);
        }

        [Fact]
        public void The_cnngen_executable_finds_fonts_through_CNNGEN_FONT_DIRS()
        {
            string configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";
            string tool = Path.Combine(Repo.Root, "tools", "CnnGen.Tool", "bin", configuration, "net8.0", "CnnGen.Tool.dll");
            Assert.True(File.Exists(tool), tool);
            string pdf = Path.Combine(_fixture.Folder, "cli-zh.pdf");
            var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (string a in new[] { tool, "report", _fixture.Source("LeNet5.cs", ReportFixture.LeNet5), "-o", pdf, "--lang", "zh-Hans", "--no-system-fonts" })
                psi.ArgumentList.Add(a);
            psi.Environment["CNNGEN_FONT_DIRS"] = ReportReader.FontDir;
            using var process = Process.Start(psi)!;
            string stderr = process.StandardError.ReadToEnd();
            string stdout = process.StandardOutput.ReadToEnd();
            Assert.True(process.WaitForExit(120_000));
            Assert.True(process.ExitCode == 0, stdout + stderr);
            Contains("逐层计算", ReportReader.Text(pdf));
        }
    }
}
