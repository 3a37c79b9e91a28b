// One route to one cluster of the given destinations, round robin: YARP's own cost for a forwarded request, with
// none of the router's steps. The destinations come from configuration, as the router's do:
//   ReverseProxy__Clusters__arms__Destinations__legacy__Address=http://127.0.0.1:8880 (and __new__, …)
var builder = WebApplication.CreateBuilder(args);
builder.Services.AddReverseProxy().LoadFromConfig(builder.Configuration.GetSection("ReverseProxy"));

var app = builder.Build();
app.MapGet("/alive", () => "ok");
app.MapReverseProxy();
app.Run();
