using Helpdesk;

// The Helpdesk sample: a small support app whose AI buttons are paid for from the workspace's credit pool.
// Everything is local: the embedded SQLite ledger, the offline AI engine, no key, no network.
var app = await HelpdeskApp.CreateAsync(args);
await app.RunAsync();
