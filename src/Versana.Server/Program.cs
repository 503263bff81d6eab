using Versana.Server;

// The Versana credits service: `dotnet run --project src/Versana.Server` starts it on 127.0.0.1 with the
// embedded SQLite ledger and a demo workspace, and prints the demo workspace's API key and the admin key.
var app = await VersanaServer.CreateAsync(args);
await app.RunAsync();
