using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Text.RegularExpressions;
using CnnGen.WeightFiles;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace CnnGen.Build
{
    /// <summary>
    /// Finds the weights files the project's [ConvNet] attributes name (<c>Weights = "path"</c>, a string literal, the
    /// path relative to the project directory) and gives one item per distinct path: ItemSpec the declared path,
    /// metadata File (the full path), Description (the description file to write) and Resource (the manifest resource
    /// name). A description that no longer fits its file (changed, appeared, gone) is deleted, so the read target,
    /// whose outputs are the descriptions, runs for it however the file's timestamps moved.
    /// </summary>
    public sealed class FindCnnGenWeights : Task
    {
        /// <summary>The project's C# sources (@(Compile)).</summary>
        [Required]
        public ITaskItem[] Sources { get; set; } = Array.Empty<ITaskItem>();

        [Required]
        public string ProjectDirectory { get; set; } = "";

        /// <summary>Where the descriptions go (under obj).</summary>
        [Required]
        public string DescriptionDirectory { get; set; } = "";

        [Output]
        public ITaskItem[] Weights { get; private set; } = Array.Empty<ITaskItem>();

        // [ConvNet(..., Weights = "path")] or [ConvNetAttribute(...)], the path a regular or a verbatim string literal.
        private static readonly Regex Declared = new(
            @"\bConvNet(?:Attribute)?\s*\([^\]\)]*?\bWeights\s*=\s*(?:""(?<text>(?:[^""\\\r\n]|\\.)*)""|@""(?<verbatim>(?:[^""]|"""")*)"")",
            RegexOptions.CultureInvariant);

        public override bool Execute()
        {
            var found = new Dictionary<string, ITaskItem>(StringComparer.Ordinal);
            foreach (ITaskItem source in Sources)
            {
                string path = source.GetMetadata("FullPath");
                if (!path.EndsWith(".cs", StringComparison.OrdinalIgnoreCase) || !File.Exists(path)) continue;
                string text = File.ReadAllText(path);
                if (text.IndexOf("Weights", StringComparison.Ordinal) < 0) continue;
                foreach (Match m in Declared.Matches(text))
                {
                    string key = m.Groups["text"].Success ? Unescape(m.Groups["text"].Value) : m.Groups["verbatim"].Value.Replace("\"\"", "\"");
                    if (key.Length == 0 || found.ContainsKey(key)) continue;
                    string file = Path.GetFullPath(Path.Combine(ProjectDirectory, key));
                    string description = Path.Combine(Path.GetFullPath(DescriptionDirectory), WeightsDescription.Hash(key) + WeightsDescription.Extension);
                    if (File.Exists(description) && !WeightsReader.IsCurrent(description, key, file)) File.Delete(description);
                    var item = new TaskItem(key);
                    item.SetMetadata("File", file);
                    item.SetMetadata("Description", description);
                    item.SetMetadata("Resource", WeightsDescription.ResourceName(key));
                    item.SetMetadata("Exists", File.Exists(file) ? "true" : "false");
                    found[key] = item;
                }
            }
            Weights = new List<ITaskItem>(found.Values).ToArray();
            return true;
        }

        /// <summary>The value of a regular C# string literal's body (the escapes a path can hold).</summary>
        private static string Unescape(string body)
        {
            var b = new StringBuilder(body.Length);
            for (int i = 0; i < body.Length; i++)
            {
                char c = body[i];
                if (c != '\\' || i + 1 == body.Length)
                {
                    b.Append(c);
                    continue;
                }
                char next = body[++i];
                b.Append(next switch { 'n' => '\n', 't' => '\t', 'r' => '\r', '0' => '\0', _ => next });
            }
            return b.ToString();
        }
    }

    /// <summary>
    /// Reads each weights file given (those whose descriptions are missing or older than the file: the target's
    /// Inputs/Outputs) with the runtime's readers and writes its description. Read errors go into the description, where
    /// the analyzer reports them on the Weights argument; the task itself fails only when it cannot write.
    /// </summary>
    public sealed class ReadCnnGenWeights : Task
    {
        [Required]
        public ITaskItem[] Weights { get; set; } = Array.Empty<ITaskItem>();

        public override bool Execute()
        {
            foreach (ITaskItem w in Weights)
            {
                string key = w.ItemSpec, file = w.GetMetadata("File"), path = w.GetMetadata("Description");
                if (WeightsReader.IsCurrent(path, key, file)) continue;
                WeightsDescription d = WeightsReader.Describe(key, file);
                Log.LogMessage(MessageImportance.Low, $"CnnGen: described '{file}' in '{path}'" + (d.Error == WeightsError.None ? "" : $" ({d.Error}: {d.Message})"));
                string text = d.ToString();
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                if (!File.Exists(path) || File.ReadAllText(path) != text) File.WriteAllText(path, text);
                else File.SetLastWriteTimeUtc(path, DateTime.UtcNow);
            }
            return !Log.HasLoggedErrors;
        }
    }
}
