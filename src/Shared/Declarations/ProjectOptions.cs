using System.Collections.Generic;
using System.Globalization;
using CnnGen.Shapes;
using Microsoft.CodeAnalysis.Diagnostics;

namespace CnnGen.Declarations
{
    /// <summary>A project option whose MSBuild property holds a value CnnGen cannot use (CNN0020's arguments).</summary>
    internal sealed record OptionProblem(string Property, string Value, string Expected, string Default);

    /// <summary>
    /// The project-wide options, read at build time from MSBuild properties <c>CnnGen_*</c> (made visible to the
    /// compiler by the package's build/CnnGen.props) and compiled into every network of the project. Equatable, so
    /// the generator's pipeline caches on it.
    /// </summary>
    internal sealed record ProjectOptions(int MaxThreads, bool Winograd, EquatableArray<OptionProblem> Problems)
    {
        /// <summary>Upper bound on the threads one Forward call of this project's networks uses; 0: no bound of its own.</summary>
        public const string MaxThreadsProperty = "CnnGen_MaxThreads";

        /// <summary>true (default) or false: whether 3x3 stride-1 convolutions may use Winograd F(2x2, 3x3).</summary>
        public const string WinogradProperty = "CnnGen_Winograd";

        public bool HasProblems => Problems.Count > 0;

        /// <summary>
        /// Reads the options from the compiler's global options, where the SDK writes each CompilerVisibleProperty as
        /// "build_property.NAME". A property the compiler does not see, or an empty one, counts as not set (MSBuild
        /// cannot tell the two apart).
        /// </summary>
        public static ProjectOptions Read(AnalyzerConfigOptions global)
        {
            string? property(string name) => global.TryGetValue("build_property." + name, out string? value) ? value : null;
            var problems = new List<OptionProblem>();
            int maxThreads = 0;
            bool winograd = true;

            string? threads = property(MaxThreadsProperty)?.Trim();
            if (!string.IsNullOrEmpty(threads))
            {
                if (!int.TryParse(threads, NumberStyles.None, CultureInfo.InvariantCulture, out maxThreads) || maxThreads < 1)
                {
                    maxThreads = 0;
                    problems.Add(new OptionProblem(MaxThreadsProperty, threads!, Strings.Phrase("OptionWholeNumber", MaxThreadsProperty),
                        Strings.Phrase("OptionMaxThreadsDefault")));
                }
            }

            string? useWinograd = property(WinogradProperty)?.Trim();
            if (!string.IsNullOrEmpty(useWinograd))
            {
                if (!bool.TryParse(useWinograd, out winograd))
                {
                    winograd = true;
                    problems.Add(new OptionProblem(WinogradProperty, useWinograd!, Strings.Phrase("OptionTrueFalse", WinogradProperty),
                        Strings.Phrase("OptionWinogradDefault")));
                }
            }
            return new ProjectOptions(maxThreads, winograd, new EquatableArray<OptionProblem>(problems.ToArray()));
        }
    }
}
