global using Versana.Sdk;
global using Versana.Sdk.PostgreSql;
global using Versana.Sdk.Testing;
global using Xunit;
