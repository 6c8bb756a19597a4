using BenchmarkDotNet.Running;
using Switchboard.Benchmarks.Grains;

// `activation-memory [count]` measures memory per idle activation directly; anything else goes to
// BenchmarkDotNet (`--filter '*GrainCall*'`, `--list flat`): see docs/benchmarks.md for the commands.
if (args.Length > 0 && args[0] == "activation-memory")
{
    return await ActivationMemory.RunAsync(args.Length > 1 ? int.Parse(args[1]) : 100_000, args.Contains("--counters"));
}
if (args.Length > 0 && args[0] == "gateway-silo")
{
    return await Switchboard.Benchmarks.Gateway.SiloUnderLoad.RunChildAsync(args[1..]);
}
if (args.Length > 0 && args[0] == "store-writes")
{
    return await Switchboard.Benchmarks.Storage.StoreWrites.RunAsync(args[1..]);
}
if (args.Length > 0 && args[0] == "gateway-load")
{
    return await Switchboard.Benchmarks.Gateway.GatewayLoad.RunAsync(args[1..]);
}
BenchmarkSwitcher.FromAssembly(typeof(ActivationMemory).Assembly).Run(args);
return 0;
