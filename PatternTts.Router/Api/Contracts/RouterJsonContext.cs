using System.Text.Json;
using System.Text.Json.Serialization;

namespace PatternTts.Router.Api.Contracts;

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(SetPercentageRequest))]
[JsonSerializable(typeof(SetPhaseRequest))]
[JsonSerializable(typeof(RolloutStatusResponse))]
[JsonSerializable(typeof(RouterHealthResponse))]
[JsonSerializable(typeof(OpenAiErrorResponse))]
[JsonSerializable(typeof(RolloutState))]
[JsonSerializable(typeof(StartProgressionRequest))]
internal sealed partial class RouterJsonContext : JsonSerializerContext;
