using System.Collections.Concurrent;
using DonorRegistry.Workflows.Persistence;
using FluentAssertions;
using Microsoft.Extensions.DependencyInjection;
using NUnit.Framework;
using WorkflowCore.Interface;
using WorkflowCore.Models;

namespace DonorRegistry.Workflows.PostgreSql.Tests;

/// <summary>Two WorkflowCore hosts, as two processes would be, on one PostgreSQL store with the advisory-lock provider.</summary>
public sealed class TwoHostsTests
{
    private static readonly ConcurrentDictionary<string, int> Running = new();
    private static readonly ConcurrentDictionary<string, int> Runs = new();
    private static int _overlaps;
    private string? _schema;
    private readonly List<ServiceProvider> _services = [];

    public sealed class SlowData
    {
        public string Name { get; set; } = string.Empty;
    }

    /// <summary>One slow step: a second run of the same workflow while it runs is an overlap.</summary>
    private sealed class SlowWorkflow : IWorkflow<SlowData>
    {
        public string Id => "slow";

        public int Version => 1;

        public void Build(IWorkflowBuilder<SlowData> builder) => builder
            .StartWith(context =>
            {
                var id = context.Workflow.Id;
                if (Running.AddOrUpdate(id, 1, (_, n) => n + 1) > 1)
                {
                    Interlocked.Increment(ref _overlaps);
                }

                Runs.AddOrUpdate(id, 1, (_, n) => n + 1);
                Thread.Sleep(150);
                Running.AddOrUpdate(id, 0, (_, n) => n - 1);
                return ExecutionResult.Next();
            });
    }

    [SetUp]
    public void SetUp()
    {
        _ = PostgreSqlTestDatabase.ConnectionString;
        _schema = PostgreSqlTestDatabase.NewSchema();
        Running.Clear();
        Runs.Clear();
        _overlaps = 0;
    }

    [TearDown]
    public void TearDown()
    {
        foreach (var services in _services)
        {
            services.GetRequiredService<IWorkflowHost>().Stop();
            services.Dispose();
        }

        PostgreSqlTestDatabase.Drop(_schema);
    }

    /// <summary>A host wired as <c>AddWorkflows(o => o.UsePostgreSql(...))</c> wires WorkflowCore: the store and the lock provider.</summary>
    private IWorkflowHost StartHost()
    {
        var backend = new WorkflowsOptions().UsePostgreSql(PostgreSqlTestDatabase.ConnectionString, _schema!).Backend!;
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(backend.Store);
        services.AddWorkflow(o =>
        {
            o.UsePersistence(sp => sp.GetRequiredService<IWorkflowStore>());
            o.UseDistributedLockManager(backend.Locks!);
            o.UsePollInterval(TimeSpan.FromMilliseconds(50));
        });
        var provider = services.BuildServiceProvider();
        _services.Add(provider);
        var host = provider.GetRequiredService<IWorkflowHost>();
        host.RegisterWorkflow<SlowWorkflow, SlowData>();
        host.Start();
        return host;
    }

    [Test]
    public async Task TwoHostsPollingOneStore_NeverRunTheSameWorkflowAtOnce_AndFinishEveryOne()
    {
        var first = StartHost();
        var second = StartHost();
        var ids = new List<string>();
        for (var i = 0; i < 12; i++)
        {
            ids.Add(await (i % 2 == 0 ? first : second).StartWorkflow("slow", 1, new SlowData { Name = $"drive-{i}" }));
        }

        var store = _services[0].GetRequiredService<IWorkflowStore>();
        var deadline = TimeProvider.System.GetUtcNow().AddSeconds(30);
        while ((await store.GetWorkflowInstances(ids)).Any(w => w.Status != WorkflowStatus.Complete) && TimeProvider.System.GetUtcNow() < deadline)
        {
            await Task.Delay(100);
        }

        (await store.GetWorkflowInstances(ids)).Should().OnlyContain(w => w.Status == WorkflowStatus.Complete);
        _overlaps.Should().Be(0, "the advisory lock lets one host at a time run a workflow");
        Runs.Keys.Should().BeEquivalentTo(ids);
        Runs.Values.Should().OnlyContain(n => n == 1, "a host that takes the lock after the other reads the workflow complete");
    }
}
