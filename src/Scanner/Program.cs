// The scanner host is built under its own issue; until then it only starts and stops cleanly.
var builder = Host.CreateApplicationBuilder(args);
builder.Build().Run();
