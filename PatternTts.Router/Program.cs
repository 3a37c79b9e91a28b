var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddRouterServices();
builder.UseManagementPort();

var app = builder.Build();

app.UseRouterErrors();
app.UseRejectEncodedDotSegments();
app.UseRouterApiKeys();
app.MapDefaultEndpoints();
app.MapRouterHealth();
app.MapRolloutAdminApi();
app.MapRolloutProxy();

app.Run();
