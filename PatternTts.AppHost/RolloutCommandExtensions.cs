using System.Text;

namespace PatternTts.AppHost;

internal static class RolloutCommandExtensions
{
    private static readonly int[] RolloutPercentages = [0, 10, 25, 50, 100];

    /// <summary>Dashboard commands that drive the router's admin API, authorised with the per-run admin key.</summary>
    public static IResourceBuilder<ProjectResource> WithRolloutCommands(
        this IResourceBuilder<ProjectResource> router, IResourceBuilder<ParameterResource> adminKey)
    {
        foreach (var percentage in RolloutPercentages)
        {
            router.WithHttpCommand(
                "/admin/rollout",
                $"Rollout {percentage} %",
                commandName: $"rollout-{percentage}",
                commandOptions: new HttpCommandOptions
                {
                    Method = HttpMethod.Put,
                    Description = $"Send {percentage} % of users to the new service.",
                    IconName = "ArrowSplit",
                    ResultMode = HttpCommandResultMode.Json,
                    PrepareRequest = context => AuthorizeAsync(context, adminKey, $$"""{"percentage":{{percentage}}}"""),
                });
        }

        for (var phase = 1; phase <= 3; phase++)
        {
            var body = $$"""{"phase":{{phase}}}""";
            router.WithHttpCommand(
                "/admin/rollout/phase",
                $"Enter phase {phase}",
                commandName: $"rollout-phase-{phase}",
                commandOptions: new HttpCommandOptions
                {
                    Method = HttpMethod.Post,
                    Description = phase switch
                    {
                        1 => "Phase 1: 0 % live, new service shadows legacy traffic.",
                        2 => "Phase 2: A/B split at the current percentage.",
                        _ => "Phase 3: 100 % new, legacy disabled.",
                    },
                    IconName = "Flag",
                    ResultMode = HttpCommandResultMode.Json,
                    ConfirmationMessage = phase == 3 ? "Send all traffic to the new service and disable legacy?" : null,
                    PrepareRequest = context => AuthorizeAsync(context, adminKey, body),
                });
        }

        foreach (var (action, name, description, icon) in new[]
                 {
                     ("", "Start progression", "Walk Rollout:Progression's steps automatically; each step's gates decide.", "Play"),
                     ("/pause", "Pause progression", "Stop judging steps; the split stays where it is.", "Pause"),
                     ("/resume", "Resume progression", "Judge the current step again after an interval.", "Play"),
                     ("/abort", "Abort progression", "End the progression; the split stays where it is.", "Stop"),
                 })
        {
            router.WithHttpCommand(
                "/admin/rollout/progression" + action,
                name,
                commandName: "progression" + (action.Length == 0 ? "-start" : "-" + action.TrimStart('/')),
                commandOptions: new HttpCommandOptions
                {
                    Method = HttpMethod.Post,
                    Description = description,
                    IconName = icon,
                    ResultMode = HttpCommandResultMode.Json,
                    PrepareRequest = context => AuthorizeAsync(context, adminKey, "{}"),
                });
        }

        return router.WithHttpCommand(
            "/admin/rollout/rollback",
            "Roll back now",
            commandName: "rollout-rollback",
            commandOptions: new HttpCommandOptions
            {
                Method = HttpMethod.Post,
                Description = "Set the rollout to 0 % and mark it rolled back.",
                IconName = "ArrowUndo",
                IsHighlighted = true,
                ResultMode = HttpCommandResultMode.Json,
                ConfirmationMessage = "Roll back: send every request to legacy now?",
                PrepareRequest = context => AuthorizeAsync(context, adminKey, body: null),
            });
    }

    private static async Task AuthorizeAsync(HttpCommandRequestContext context, IResourceBuilder<ParameterResource> adminKey, string? body)
    {
        var key = await adminKey.Resource.GetValueAsync(context.CancellationToken);
        context.Request.Headers.Authorization = new("Bearer", key);
        if (body is not null)
        {
            context.Request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }
    }

}
