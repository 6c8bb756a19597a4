using BenchmarkDotNet.Running;

// Runs the benchmarks named on the command line (or offers a menu): see docs/benchmarks.md.
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
