using Microsoft.AspNetCore.Http;

namespace Versana.Sdk.AspNetCore;

/// <summary>What <see cref="CreditGuardMiddlewareOptions.OnRejected"/> gets to shape a refusal.</summary>
public sealed class CreditGuardRejectedContext
{
    internal CreditGuardRejectedContext(HttpContext httpContext, CreditDenial denial, CreditBalance? balance)
    {
        HttpContext = httpContext;
        Denial = denial;
        Balance = balance;
    }

    /// <summary>Gets the refused request.</summary>
    public HttpContext HttpContext { get; }

    /// <summary>Gets why the request was refused.</summary>
    public CreditDenial Denial { get; }

    /// <summary>Gets the workspace's balance when it was refused, if known.</summary>
    public CreditBalance? Balance { get; }
}
