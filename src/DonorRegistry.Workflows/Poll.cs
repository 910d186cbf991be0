namespace DonorRegistry.Workflows;

/// <summary>Waits for the registry or the workflow store to show something a workflow step does asynchronously.</summary>
internal static class Poll
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(10);

    /// <summary>Returns once <paramref name="done"/> holds; throws <see cref="TimeoutException"/> with <paramref name="failure"/> after <paramref name="timeout"/>.</summary>
    public static async Task UntilAsync(Func<bool> done, TimeSpan timeout, Func<string> failure)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!done())
        {
            if (waited.Elapsed > timeout)
            {
                throw new TimeoutException(failure());
            }

            await Task.Delay(Interval).ConfigureAwait(false);
        }
    }
}
