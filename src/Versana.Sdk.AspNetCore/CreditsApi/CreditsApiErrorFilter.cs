using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Versana.Sdk.AspNetCore;

/// <summary>Turns the credits API's failures into problem details with stable types; each one leaves the ledger as it was.</summary>
internal sealed class CreditsApiErrorFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context).ConfigureAwait(false);
        }
        catch (ApiProblemException ex)
        {
            return CreditsApiResults.Problem(ex.Problem);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return CreditsApiResults.Problem(new ProblemDetails
            {
                Type = CreditProblemTypes.PayloadTooLarge,
                Title = "Request body too large",
                Status = StatusCodes.Status413PayloadTooLarge,
                Detail = ex.Message,
            });
        }
        catch (BadHttpRequestException ex)
        {
            return CreditsApiResults.Problem(CreditProblems.Invalid(ex.Message));
        }
        catch (JsonException ex)
        {
            return CreditsApiResults.Problem(CreditProblems.Invalid($"The body is not valid for this request: {ex.Message}"));
        }
        catch (CreditLedgerException ex)
        {
            return CreditsApiResults.Problem(CreditProblems.FromLedgerError(ex));
        }
        catch (ArgumentException ex)
        {
            return CreditsApiResults.Problem(CreditProblems.Invalid(ex));
        }
    }
}
