using System;
using Samples;

// Every number below was computed at build time by CnnGen from the attributes in Networks.cs.
Console.WriteLine(LeNet5.Summary);
Console.WriteLine($"LeNet5: InputLength = {LeNet5.InputLength}, OutputLength = {LeNet5.OutputLength}, ParameterCount = {LeNet5.ParameterCount:N0}");
Console.WriteLine();
Console.WriteLine(Mnist8.Summary);
Console.WriteLine(AudioNet.Summary);
Console.WriteLine(VolumeNet.Summary);
Console.WriteLine($"VolumeNet output shape: [{string.Join(", ", VolumeNet.OutputShape.ToArray())}]");
