using System.Runtime.CompilerServices;
using Npgsql;
using OrleansFlow.Silo.Storage;

namespace OrleansFlow.Silo.WorkPools;

/// <summary>Wakes long-polling workers when work may have arrived (a run was created in a pool's queue). On SQLite the
/// signal is in-process. On PostgreSQL a pulse is also sent as <c>NOTIFY orleansflow_work</c>, and a server listens on
/// one connection while it has waiting workers, so a run created on one server wakes workers polling another.</summary>
internal sealed class WorkSignal
{
    private const string Channel = "orleansflow_work";

    private static readonly ConditionalWeakTable<Runtime.OrleansFlowSilo, WorkSignal> Signals = new();

    private readonly Runtime.OrleansFlowSilo _silo;
    private readonly Lock _lock = new();
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _waiters;
    private CancellationTokenSource? _listener;

    private WorkSignal(Runtime.OrleansFlowSilo silo) => _silo = silo;

    public static WorkSignal For(Runtime.OrleansFlowSilo silo) => Signals.GetValue(silo, s => new WorkSignal(s));

    /// <summary>A task that completes at the next pulse of this server.</summary>
    public Task Next => Volatile.Read(ref _next).Task;

    /// <summary>Registers a waiting worker until the result is disposed; on PostgreSQL the first one starts listening
    /// for other servers' pulses and the last one stops.</summary>
    public IDisposable Wait()
    {
        if (_silo.Database is not PostgresDatabase postgres)
        {
            return new Registration(null);
        }

        lock (_lock)
        {
            if (_waiters++ == 0)
            {
                _listener = new CancellationTokenSource();
                var token = _listener.Token;
                _ = Task.Run(() => ListenAsync(postgres.DataSource, token));
            }
        }

        return new Registration(this);
    }

    /// <summary>Wakes every waiter of this server, and on PostgreSQL notifies the other servers.</summary>
    public async Task PulseAsync(CancellationToken cancellationToken)
    {
        WakeLocal();
        if (_silo.Database.Dialect == SqlDialect.Postgres)
        {
            await _silo.Database.ReadAsync(async session =>
            {
                await using var command = session.Named("work_queues.notify");
                return await command.ScalarAsync(cancellationToken).ConfigureAwait(false);
            }, cancellationToken).ConfigureAwait(false);
        }
    }

    private void Release()
    {
        lock (_lock)
        {
            if (--_waiters == 0)
            {
                _listener?.Cancel();
                _listener?.Dispose();
                _listener = null;
            }
        }
    }

    private void WakeLocal() =>
        Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    private async Task ListenAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
                connection.Notification += (_, _) => WakeLocal();
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                while (true)
                {
                    await connection.WaitAsync(cancellationToken).ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or IOException)
            {
                // A dropped connection: the waiters poll again, and the listener comes back shortly.
                WakeLocal();
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private sealed class Registration(WorkSignal? owner) : IDisposable
    {
        private WorkSignal? _owner = owner;

        public void Dispose() => Interlocked.Exchange(ref _owner, null)?.Release();
    }
}
