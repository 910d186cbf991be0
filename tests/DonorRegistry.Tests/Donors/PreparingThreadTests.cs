using DonorRegistry;
using DonorRegistry.Donors;
using FluentAssertions;
using NUnit.Framework;

namespace DonorRegistry.Tests.Donors;

public sealed class PreparingThreadTests
{
    [Test]
    public async Task JobsOneAfterAnother_RunOnOneThread_NotOnThePool()
    {
        var thread = new PreparingThread(TimeSpan.FromSeconds(10));
        var threads = new List<(int Id, bool Pool)>();

        for (var i = 0; i < 5; i++)
        {
            await thread.Run(() => threads.Add((Environment.CurrentManagedThreadId, Thread.CurrentThread.IsThreadPoolThread)));
        }

        threads.Select(t => t.Id).Distinct().Should().ContainSingle("the thread is kept between batches");
        threads.Should().OnlyContain(t => !t.Pool);
        thread.ThreadsStarted.Should().Be(1);
    }

    [Test]
    public async Task AfterItsIdleTime_TheThreadEnds_AndTheNextJobStartsAnother()
    {
        var thread = new PreparingThread(TimeSpan.FromMilliseconds(50));
        Thread? first = null;
        await thread.Run(() => first = Thread.CurrentThread);

        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (first!.IsAlive && waited.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(10);
        }

        first.IsAlive.Should().BeFalse("an idle registry holds no thread");
        var ran = false;
        await thread.Run(() => ran = true);
        ran.Should().BeTrue();
        thread.ThreadsStarted.Should().Be(2);
    }

    [Test]
    public async Task AJobThatThrows_FaultsItsTask_WithItsException_AndTheThreadGoesOn()
    {
        var thread = new PreparingThread(TimeSpan.FromSeconds(10));

        var failing = () => thread.Run(() => throw new DuplicateDonorException(null, "1101**********0011"));

        await failing.Should().ThrowAsync<DuplicateDonorException>();
        var ran = false;
        await thread.Run(() => ran = true);
        ran.Should().BeTrue();
        thread.ThreadsStarted.Should().Be(1);
    }

    [Test]
    public async Task JobsQueuedWhileTheThreadIsIdling_AllRun()
    {
        var thread = new PreparingThread(TimeSpan.FromMilliseconds(1));
        var count = 0;

        for (var i = 0; i < 200; i++)
        {
            await thread.Run(() => Interlocked.Increment(ref count));
            if (i % 20 == 0)
            {
                await Task.Delay(5); // past the idle time: the thread ends or is ending as the next job comes
            }
        }

        count.Should().Be(200);
    }
}
