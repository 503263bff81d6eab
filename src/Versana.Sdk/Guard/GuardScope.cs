namespace Versana.Sdk;

/// <summary>
/// The reservation an enclosing guarded action (or guarded endpoint) runs on, flowing with the async context.
/// </summary>
/// <remarks>
/// The innermost context is the ambient value and links to the one it encloses (<see cref="CreditGuardContext.Enclosing"/>),
/// so entering a scope allocates nothing beyond what the async local itself does.
/// </remarks>
internal static class GuardScope
{
    private static readonly AsyncLocal<CreditGuardContext?> s_current = new();

    /// <summary>Gets the innermost guarded context, if any.</summary>
    public static CreditGuardContext? Current => s_current.Value;

    /// <summary>Makes <paramref name="context"/> the ambient reservation until the returned scope is disposed.</summary>
    /// <exception cref="InvalidOperationException"><paramref name="context"/> was entered before: its link would loop.</exception>
    public static Restorer Enter(CreditGuardContext context)
    {
        if (context.Entered)
        {
            throw new InvalidOperationException("A guarded context is entered once, by the guard or middleware that made it.");
        }

        var previous = s_current.Value;
        context.Enter(previous);
        s_current.Value = context;
        return new Restorer(previous);
    }

    /// <summary>Finds an enclosing reservation for the same workspace and feature.</summary>
    public static CreditGuardContext? Find(string workspaceId, AiFeature feature)
    {
        for (var scope = s_current.Value; scope is not null; scope = scope.Enclosing)
        {
            if (scope.Feature == feature && string.Equals(scope.WorkspaceId, workspaceId, StringComparison.Ordinal))
            {
                return scope;
            }
        }

        return null;
    }

    internal readonly struct Restorer(CreditGuardContext? previous) : IDisposable
    {
        public void Dispose() => s_current.Value = previous;
    }
}
