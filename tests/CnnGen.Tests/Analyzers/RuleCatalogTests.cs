using System.IO;
using System.Linq;
using CnnGen.Shapes;
using CnnGen.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Xunit;

namespace CnnGen.Tests.Analyzers
{
    /// <summary>Every rule has a descriptor that agrees with it, a release-tracking line and a documentation page.</summary>
    public class RuleCatalogTests
    {
        [Fact]
        public void Descriptors_agree_with_the_shared_rules()
        {
            var descriptors = new global::CnnGen.Analyzers.NetworkAnalyzer().SupportedDiagnostics;
            Assert.Equal(Rules.All.Select(r => r.Id), descriptors.Select(d => d.Id));
            foreach (Rule rule in Rules.All)
            {
                DiagnosticDescriptor d = descriptors.Single(x => x.Id == rule.Id);
                Assert.Equal(rule.Severity switch
                {
                    RuleSeverity.Error => DiagnosticSeverity.Error,
                    RuleSeverity.Warning => DiagnosticSeverity.Warning,
                    _ => DiagnosticSeverity.Info,
                }, d.DefaultSeverity);
                Assert.Equal("CnnGen", d.Category);
                Assert.EndsWith("/docs/diagnostics/" + rule.Id + ".md", d.HelpLinkUri);
                Assert.Equal(rule.MessageFormat, d.MessageFormat.ToString());
            }
        }

        [Fact]
        public void Ids_are_consecutive_from_CNN0001() =>
            Assert.Equal(Enumerable.Range(1, Rules.All.Count).Select(i => $"CNN{i:0000}"), Rules.All.Select(r => r.Id));

        [Fact]
        public void Every_rule_has_a_page_and_a_release_line()
        {
            string releases = File.ReadAllText(Path.Combine(Repo.Root, "analyzers/CnnGen.Analyzers/AnalyzerReleases.Unshipped.md"))
                + File.ReadAllText(Path.Combine(Repo.Root, "analyzers/CnnGen.Analyzers/AnalyzerReleases.Shipped.md"));
            foreach (Rule rule in Rules.All)
            {
                string page = Path.Combine(Repo.Root, "docs/diagnostics", rule.Id + ".md");
                Assert.True(File.Exists(page), page);
                string text = File.ReadAllText(page);
                Assert.StartsWith($"# {rule.Id}: {rule.Title}", text);
                Assert.Contains("## Example", text);
                Assert.Contains($"{rule.Id} | CnnGen | {rule.Severity}", releases);

                // The Chinese page: its title is the zh-Hans resource (scripts/zh-diagnostic-pages.py writes it from them).
                string zhPage = Path.Combine(Repo.Root, "docs/diagnostics/zh-Hans", rule.Id + ".md");
                Assert.True(File.Exists(zhPage), zhPage);
                string zhTitle = new global::CnnGen.Analyzers.NetworkAnalyzer().SupportedDiagnostics.Single(d => d.Id == rule.Id)
                    .Title.ToString(System.Globalization.CultureInfo.GetCultureInfo("zh-Hans"));
                Assert.StartsWith($"# {rule.Id}: {zhTitle}", File.ReadAllText(zhPage));
            }
        }
    }
}
