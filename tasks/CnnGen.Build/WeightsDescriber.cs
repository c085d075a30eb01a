namespace CnnGen.Build
{
    /// <summary>The description the build writes for a weights file, as text (what the targets pass to the compiler; tests use it too).</summary>
    public static class WeightsDescriber
    {
        /// <summary>Describes the file at <paramref name="file"/>, which a network declares as <c>Weights = "<paramref name="key"/>"</c>.</summary>
        public static string Describe(string key, string file) => WeightsReader.Describe(key, file).ToString();
    }
}
