using Microsoft.Extensions.Options;

namespace Versana.Sdk;

/// <summary>Validates <see cref="VersanaOptions"/> at start-up, with messages that say which setting to fix.</summary>
internal sealed class VersanaOptionsValidator : IValidateOptions<VersanaOptions>
{
    public ValidateOptionsResult Validate(string? name, VersanaOptions options)
    {
        var errors = options.Validate();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
