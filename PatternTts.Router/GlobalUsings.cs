global using System.Diagnostics;
global using Microsoft.Extensions.Options;
global using PatternTts.Router;
global using PatternTts.Router.Api.Contracts;
global using PatternTts.Router.Rollout;
global using PatternTts.Router.Telemetry;
global using PatternTts.Router.Api;
global using PatternTts.Router.Hosting;
