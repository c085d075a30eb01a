using System;
using System.Diagnostics;
using System.IO;

namespace CnnGen.Tool
{
    /// <summary>
    /// Reads a file with a progress line on standard error when the read takes more than a second (large models on slow
    /// disks); quick reads print nothing, so piped output stays clean.
    /// </summary>
    internal static class Progress
    {
        public static byte[] ReadFile(string path, TextWriter status)
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            long length = stream.Length;
            if (length > int.MaxValue) throw new InvalidDataException($"{path} is {length:N0} bytes; CnnGen reads models up to 2 GB.");
            var data = new byte[length];
            var clock = Stopwatch.StartNew();
            long lastShown = -1;
            int read = 0;
            while (read < data.Length)
            {
                int n = stream.Read(data, read, Math.Min(1 << 20, data.Length - read));
                if (n == 0) throw new EndOfStreamException($"{path} ended after {read:N0} of {length:N0} bytes.");
                read += n;
                if (clock.ElapsedMilliseconds > 1000 && clock.ElapsedMilliseconds - lastShown >= 250)
                {
                    lastShown = clock.ElapsedMilliseconds;
                    status.Write($"\rReading {Path.GetFileName(path)}: {100.0 * read / length:F0}% of {length / 1048576.0:F1} MB");
                }
            }
            if (lastShown >= 0) status.WriteLine($"\rReading {Path.GetFileName(path)}: done ({length / 1048576.0:F1} MB in {clock.Elapsed.TotalSeconds:F1} s)");
            return data;
        }
    }
}
