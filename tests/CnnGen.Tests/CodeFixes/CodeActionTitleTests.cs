using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CnnGen.CodeFixes;
using CnnGen.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using Xunit;

namespace CnnGen.Tests.CodeFixes
{
    /// <summary>
    /// The code actions' titles are in the IDE's language (the process UI culture), English or Simplified Chinese,
    /// while their equivalence keys (which Fix All groups by) do not change with the language.
    /// </summary>
    public class CodeActionTitleTests
    {
        private const string Source = """
            using CnnGen;

            [ConvNet(1, 13, 13)]
            [Conv(4, 4, Stride = 2)]
            public partial class Strided { }

            [ConvNet(1, 8, 8)]
            [MaxPool(2, Stride = 0)]
            public partial class Pooled { }

            [ConvNet(1, 8, 8)]
            [Conv(8, 3, Expect = new[] { 8, 4, 4 })]
            public partial class Expecting { }

            [ConvNet(1, 8, 8)]
            [Dense(10)]
            public partial class Unflattened { }

            [ConvNet(1, 9, 9)]
            [Conv(2, 3, Pads = new[] { 3, 0, 0, 0 })]
            public class Plain { }

            [ConvNet(1, 9, 9)]
            [Conv(2, 3, Stride = 1, Strides = new[] { 1, 1 })]
            public static partial class Fixed { }
            """;

        private static readonly CodeFixProvider[] Providers =
        {
            new NotDivisibleCodeFix(), new ExpectCodeFix(), new InsertFlattenCodeFix(), new InvalidValueCodeFix(), new MakePartialCodeFix(),
            new ConflictingArgumentsCodeFix(), new MakeInstantiableCodeFix(),
        };

        /// <summary>(equivalence key, title) of every code action offered on the source's diagnostics, with the given UI culture.</summary>
        private static async Task<List<(string Key, string Title)>> Actions(string culture)
        {
            using var workspace = new AdhocWorkspace();
            Project project = workspace.AddProject("User", LanguageNames.CSharp)
                .WithMetadataReferences(Compilations.References)
                .WithCompilationOptions(new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary))
                .WithParseOptions(Compilations.Parse);
            Document document = project.AddDocument("Net.cs", SourceText.From(Source));
            Compilation compilation = (await document.Project.GetCompilationAsync())!;
            var actions = new List<(string, string)>();
            CultureInfo saved = CultureInfo.CurrentUICulture;
            try
            {
                CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(culture);
                foreach (Diagnostic diagnostic in Compilations.Analyze(compilation).OrderBy(d => d.Location.SourceSpan.Start))
                    foreach (CodeFixProvider provider in Providers.Where(p => p.FixableDiagnosticIds.Contains(diagnostic.Id)))
                        await provider.RegisterCodeFixesAsync(new CodeFixContext(document, diagnostic,
                            (action, _) => actions.Add((action.EquivalenceKey!, action.Title)), CancellationToken.None));
            }
            finally
            {
                CultureInfo.CurrentUICulture = saved;
            }
            return actions;
        }

        [Fact]
        public async Task Titles_follow_the_UI_culture_and_keys_do_not()
        {
            List<(string Key, string Title)> english = await Actions("en-US"), chinese = await Actions("zh-Hans");
            Assert.Equal(new[]
            {
                ("CNN0011.Same", "Use Padding.Same"),
                ("CNN0011.Pads", "Use padding Pads = { 0, 0, 1, 1 }"),
                ("CNN0011.Stride", "Use stride 3"),
                ("CNN0006.Value", "Use 1"),
                ("CNN0013.Expect", "Update Expect to the inferred shape { 8, 6, 6 }"),
                ("CNN0012.Flatten", "Insert [Flatten]"),
                ("CNN0009.Value", "Use padding 2"),
                ("CNN0001.Partial", "Add 'partial' to 'Plain'"),
                ("CNN0008.KeepSingle", "Keep Stride, remove Strides"),
                ("CNN0008.KeepPerDimension", "Keep Strides, remove Stride"),
                ("CNN0019.Instantiable", "Remove 'static' from 'Fixed'"),
            }, english);
            Assert.Equal(new[]
            {
                ("CNN0011.Same", "使用 Padding.Same"),
                ("CNN0011.Pads", "使用填充 Pads = { 0, 0, 1, 1 }"),
                ("CNN0011.Stride", "使用步幅 3"),
                ("CNN0006.Value", "使用 1"),
                ("CNN0013.Expect", "将 Expect 更新为推断出的形状 { 8, 6, 6 }"),
                ("CNN0012.Flatten", "插入 [Flatten]"),
                ("CNN0009.Value", "使用填充 2"),
                ("CNN0001.Partial", "为 'Plain' 添加 'partial'"),
                ("CNN0008.KeepSingle", "保留 Stride，删除 Strides"),
                ("CNN0008.KeepPerDimension", "保留 Strides，删除 Stride"),
                ("CNN0019.Instantiable", "删除 'Fixed' 的 'static'"),
            }, chinese);
        }
    }
}
