global using System.Diagnostics;
global using Microsoft.Extensions.Options;
global using PatternTts.Router;
global using PatternTts.Router.Model;
global using PatternTts.Router.Rollout;
global using PatternTts.Router.Telemetry;
global using PatternTts.Router.Apis;
global using PatternTts.Router.Hosting;
