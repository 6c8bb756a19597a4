// The load-test tools; each command lives in its own folder. Keep this file a dispatcher.
using Switchboard.LoadTests.Benchmarks;
using Switchboard.LoadTests.Simulation;

return args.FirstOrDefault() switch
{
    "simulate" => await SimulateCommand.RunAsync(args[1..], Console.Out, Console.Error),
    "routing-bench" => await RoutingBenchmarkCommand.RunAsync(args[1..], Console.Out, Console.Error),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: Switchboard.LoadTests <command> [options]");
    Console.Error.WriteLine("  simulate       a day of traffic through the routing on a virtual clock (simulate --help)");
    Console.Error.WriteLine("  routing-bench  routing throughput and offer-to-reservation latency, real clock (routing-bench --help)");
    return 2;
}
