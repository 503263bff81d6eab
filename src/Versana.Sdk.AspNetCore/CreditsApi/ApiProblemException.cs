using Microsoft.AspNetCore.Mvc;

namespace Versana.Sdk.AspNetCore;

/// <summary>Stops a credits API handler with a problem response; nothing has been changed when it is thrown.</summary>
internal sealed class ApiProblemException(ProblemDetails problem) : Exception(problem.Detail ?? problem.Title)
{
    public ProblemDetails Problem { get; } = problem;
}
