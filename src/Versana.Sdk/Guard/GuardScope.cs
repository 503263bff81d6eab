namespace Versana.Sdk;

/// <summary>The reservation an enclosing guarded action (or guarded endpoint) runs on, flowing with the async context.</summary>
internal sealed class GuardScope(CreditGuardContext context, GuardScope? parent)
{
    private static readonly AsyncLocal<GuardScope?> s_current = new();

    public CreditGuardContext Context { get; } = context;

    public static GuardScope? Current => s_current.Value;

    /// <summary>Makes <paramref name="context"/> the ambient reservation until the returned scope is disposed.</summary>
    public static Restorer Enter(CreditGuardContext context)
    {
        var previous = s_current.Value;
        s_current.Value = new GuardScope(context, previous);
        return new Restorer(previous);
    }

    /// <summary>Finds an enclosing reservation for the same workspace and feature.</summary>
    public static CreditGuardContext? Find(string workspaceId, AiFeature feature)
    {
        for (var scope = s_current.Value; scope is not null; scope = scope.Parent)
        {
            if (scope.Context.Feature == feature && string.Equals(scope.Context.WorkspaceId, workspaceId, StringComparison.Ordinal))
            {
                return scope.Context;
            }
        }

        return null;
    }

    public GuardScope? Parent { get; } = parent;

    internal readonly struct Restorer(GuardScope? previous) : IDisposable
    {
        public void Dispose() => s_current.Value = previous;
    }
}
