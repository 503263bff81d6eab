using Microsoft.Extensions.Options;

namespace Versana.Sdk.AspNetCore;

/// <summary>Refuses an admin key that could be guessed: it can create workspaces and act on every one of them.</summary>
internal sealed class CreditsApiOptionsValidator : IValidateOptions<CreditsApiOptions>
{
    internal const int MinAdminKeyLength = 32;
    internal const int MinDistinctAdminKeyCharacters = 10;

    public ValidateOptionsResult Validate(string? name, CreditsApiOptions options)
    {
        if (options.AdminKey is not { } key)
        {
            return ValidateOptionsResult.Success;
        }

        return key.Length >= MinAdminKeyLength && key.Distinct().Count() >= MinDistinctAdminKeyCharacters
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(
                $"CreditsApiOptions.AdminKey has {key.Length} characters, {key.Distinct().Count()} of them different: an admin key needs at least "
                + $"{MinAdminKeyLength} characters with at least {MinDistinctAdminKeyCharacters} different ones. Use a random one, such as 'va_' and 32 "
                + "random bytes in base64url (what the credits service makes when Versana:AdminKey is not set), and keep it in a secret store.");
    }
}
