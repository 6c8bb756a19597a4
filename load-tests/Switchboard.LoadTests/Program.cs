// The load-test tools; each command lives in its own folder. Keep this file a dispatcher.
using Switchboard.LoadTests.Simulation;

return args.FirstOrDefault() switch
{
    "simulate" => await SimulateCommand.RunAsync(args[1..], Console.Out, Console.Error),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: Switchboard.LoadTests <command> [options]");
    Console.Error.WriteLine("  simulate       a day of traffic through the routing on a virtual clock (simulate --help)");
    return 2;
}
