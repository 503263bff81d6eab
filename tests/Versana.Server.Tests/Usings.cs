global using Versana.Sdk;
global using Versana.Sdk.AspNetCore;
global using Xunit;
