namespace Versana.Sdk.Ledger.Storage;

/// <summary>Gives the 128-bit hash a record was indexed under, so a lookup can confirm a candidate.</summary>
internal interface IHashedRecords
{
    UInt128 HashOf(int record);
}
