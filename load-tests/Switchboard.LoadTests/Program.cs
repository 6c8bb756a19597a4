// The traffic simulator: see the routing issue. Commands are added as the routing domain lands.
Console.Error.WriteLine("usage: Switchboard.LoadTests simulate --calls-per-hour N --aht-seconds S --agents C --hours H --seed K");
return 2;
