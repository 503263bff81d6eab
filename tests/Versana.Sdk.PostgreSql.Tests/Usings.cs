global using Versana.Sdk;
global using Versana.Sdk.PostgreSql;
global using Xunit;
