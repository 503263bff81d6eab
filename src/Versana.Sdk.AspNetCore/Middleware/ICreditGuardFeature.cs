namespace Versana.Sdk.AspNetCore;

/// <summary>
/// The reservation a guarded request runs on, in <c>HttpContext.Features</c>: an endpoint reports a metered
/// cost or the tokens used through it. Guarded clients called by the endpoint reuse it on their own.
/// </summary>
public interface ICreditGuardFeature
{
    /// <summary>Gets the request's guarded context.</summary>
    CreditGuardContext Context { get; }
}

internal sealed class CreditGuardFeature(CreditGuardContext context) : ICreditGuardFeature
{
    public CreditGuardContext Context { get; } = context;
}
