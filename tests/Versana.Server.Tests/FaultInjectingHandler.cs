namespace Versana.Server.Tests;

/// <summary>
/// Loses requests on the way: a share never reaches the server, another share reaches it (and is applied)
/// but its response is dropped. <see cref="Down"/> fails everything, as an outage.
/// </summary>
internal sealed class FaultInjectingHandler(int seed, double dropBefore, double dropAfter) : DelegatingHandler
{
    private readonly Random _random = new(seed);
    private int _droppedBefore;
    private int _droppedAfter;

    public bool Down { get; set; }

    /// <summary>Gets or sets which requests fail as in an outage while the rest go through.</summary>
    public Func<HttpRequestMessage, bool>? DownFor { get; set; }

    /// <summary>Gets or sets what happens as a request that is let through leaves (say, the server's clock moving on meanwhile).</summary>
    public Action<HttpRequestMessage>? OnSend { get; set; }

    public int DroppedBefore => Volatile.Read(ref _droppedBefore);

    public int DroppedAfter => Volatile.Read(ref _droppedAfter);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (Down || DownFor?.Invoke(request) == true)
        {
            throw new HttpRequestException("Injected outage: the service is down.");
        }

        double roll;
        lock (_random)
        {
            roll = _random.NextDouble();
        }

        if (roll < dropBefore)
        {
            Interlocked.Increment(ref _droppedBefore);
            throw new HttpRequestException("Injected fault: the request was lost before the server.");
        }

        OnSend?.Invoke(request);
        var response = await base.SendAsync(request, cancellationToken);
        if (roll < dropBefore + dropAfter)
        {
            // The server applied the call; its answer never arrives.
            await response.Content.LoadIntoBufferAsync(cancellationToken);
            response.Dispose();
            Interlocked.Increment(ref _droppedAfter);
            throw new HttpRequestException("Injected fault: the response was lost after the server applied the call.");
        }

        return response;
    }
}
