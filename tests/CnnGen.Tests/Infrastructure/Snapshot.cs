using System;
using System.IO;
using System.Runtime.CompilerServices;
using Xunit;

namespace CnnGen.Tests.Infrastructure
{
    /// <summary>
    /// Compares text with a checked-in Snapshots/NAME.verified.cs. On a difference it writes NAME.received.cs beside it
    /// and fails; accept a change by renaming received to verified after reading the diff.
    /// </summary>
    internal static class Snapshot
    {
        public static void Verify(string name, string actual, [CallerFilePath] string callerPath = "")
        {
            string dir = Path.Combine(Path.GetDirectoryName(callerPath)!, "Snapshots");
            string verified = Path.Combine(dir, name + ".verified.cs");
            string received = Path.Combine(dir, name + ".received.cs");
            actual = actual.Replace("\r\n", "\n");
            string? expected = File.Exists(verified) ? File.ReadAllText(verified).Replace("\r\n", "\n") : null;
            if (expected == actual)
            {
                if (File.Exists(received)) File.Delete(received);
                return;
            }
            Directory.CreateDirectory(dir);
            File.WriteAllText(received, actual);
            Assert.Fail(expected is null
                ? $"No snapshot {verified}; wrote {received}: review it and rename it to .verified.cs."
                : $"Generated source differs from {verified}; wrote {received}. Diff them and accept the new one by renaming it if the change is intended.");
        }
    }
}
