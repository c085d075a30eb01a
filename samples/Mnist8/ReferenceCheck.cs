using System;
using System.Linq;

/// <summary>
/// How the mnist-8 samples (this one and Mnist8.Wasm) compare logits with the model's reference outputs: the same
/// predicted digit, and no logit further from its reference than 1e-4 of the largest reference logit.
/// </summary>
internal static class ReferenceCheck
{
    /// <summary>Prints one line for <paramref name="name"/> ("... (match)" or "... (MISMATCH)") and returns whether it matches.</summary>
    public static bool Report(string name, float[] logits, float[] expected)
    {
        float scale = expected.Max(MathF.Abs);
        float error = logits.Zip(expected, (a, b) => MathF.Abs(a - b)).Max() / scale;
        int digit = Array.IndexOf(logits, logits.Max());
        bool match = error <= 1e-4f && digit == Array.IndexOf(expected, expected.Max());
        Console.WriteLine($"{name}: predicted digit {digit}; largest difference from the reference logits {error:E2} of the largest logit ({(match ? "match" : "MISMATCH")})");
        return match;
    }
}
