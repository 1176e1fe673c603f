using System.Text.Json;
using Microsoft.Data.Sqlite;
using Npgsql;
using OrleansFlow.Silo.Storage;

namespace OrleansFlow.Ui.Tests;

/// <summary>Loads the benchmark's runs (<see cref="BenchData"/>) straight into the database, 100,000 per statement: each
/// run is the template run made through the API, with its columns and its JSON record changed alike.</summary>
public sealed partial class RenderBenchmark
{
    private const int Batch = 100_000;

    private static async Task SeedSqliteAsync(DatabaseOptions database, BenchData data)
    {
        await using var connection = new SqliteConnection($"Data Source={database.SqlitePath}");
        await connection.OpenAsync();
        for (var start = (int)data.Loaded; start < data.Runs; start += Batch)
        {
            await using var transaction = connection.BeginTransaction();
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandTimeout = 0;
            command.CommandText = """
                WITH RECURSIVE n(i) AS (SELECT $start UNION ALL SELECT i + 1 FROM n WHERE i + 1 < $end),
                a AS (SELECT i, (i * 7919) % 1000 AS r, i % 97 % 12 AS f,
                        CAST(($runs - i) * 5184000.0 / $runs AS INTEGER) + 60 AS age FROM n),
                b AS (SELECT i, r, f,
                        printf('00000000-0000-7000-8000-%012x', i) AS id,
                        json_extract($adjectives, '$[' || (i % 40) || ']') || '-' || json_extract($animals, '$[' || (i / 40 % 50) || ']') AS name,
                        CASE WHEN r < 700 THEN 'COMPLETED' WHEN r < 800 THEN 'FAILED' WHEN r < 810 THEN 'CRASHED' WHEN r < 830 THEN 'CANCELLED'
                             WHEN r < 845 THEN 'RUNNING' WHEN r < 860 THEN 'PENDING' WHEN r < 870 THEN 'PAUSED' WHEN r < 875 THEN 'CANCELLING'
                             ELSE 'SCHEDULED' END AS st,
                        CASE WHEN r < 700 THEN 'Completed' WHEN r < 800 THEN 'Failed' WHEN r < 810 THEN 'Crashed' WHEN r < 830 THEN 'Cancelled'
                             WHEN r < 845 THEN 'Running' WHEN r < 860 THEN 'Pending' WHEN r < 870 THEN 'Paused' WHEN r < 875 THEN 'Cancelling'
                             WHEN r < 950 THEN 'Scheduled' ELSE 'Late' END AS sn,
                        json_extract($flows, '$[' || f || ']') AS flow,
                        CASE WHEN f < 8 AND i % 10 < 7 THEN json_extract($deployments, '$[' || f || ']') END AS dep,
                        CASE WHEN i % 50 = 0 THEN json_array(json_extract('["prod","staging","dev"]', '$[' || (i % 3) || ']'), 'team-' || (i % 7), 'nightly')
                             WHEN i % 2 = 0 THEN json_array(json_extract('["prod","staging","dev"]', '$[' || (i % 3) || ']'), 'team-' || (i % 7))
                             ELSE json_array(json_extract('["prod","staging","dev"]', '$[' || (i % 3) || ']')) END AS tags,
                        CASE WHEN r >= 875 AND r < 950 THEN $now + i % 86400 ELSE $now - age END AS exp,
                        i % 600 + 1 AS dur
                      FROM a),
                c AS (SELECT b.*,
                        CASE WHEN st IN ('COMPLETED', 'FAILED', 'CRASHED', 'CANCELLED', 'RUNNING', 'PAUSED', 'CANCELLING') THEN exp + 5 END AS started,
                        CASE WHEN st IN ('COMPLETED', 'FAILED', 'CRASHED', 'CANCELLED') THEN exp + 5 + dur END AS ended,
                        CASE WHEN exp > $now THEN $now - 3600 ELSE exp - 60 END AS made
                      FROM b),
                v AS (SELECT c.*,
                        strftime('%Y-%m-%dT%H:%M:%S', exp, 'unixepoch') || '.000000Z' AS expt,
                        strftime('%Y-%m-%dT%H:%M:%S', started, 'unixepoch') || '.000000Z' AS startt,
                        strftime('%Y-%m-%dT%H:%M:%S', ended, 'unixepoch') || '.000000Z' AS endt,
                        strftime('%Y-%m-%dT%H:%M:%S', made, 'unixepoch') || '.000000Z' AS madet,
                        strftime('%Y-%m-%dT%H:%M:%S', coalesce(ended, started, made), 'unixepoch') || '.000000Z' AS tst
                      FROM c)
                INSERT INTO flow_runs (id, flow_id, name, state_type, state_name, state_timestamp, expected_start_time, start_time,
                    end_time, deployment_id, tags, created, updated, version, data)
                SELECT v.id, v.flow, v.name, v.st, v.sn, v.tst, v.expt, v.startt, v.endt, v.dep, v.tags, v.madet, v.tst, 1,
                    json_set(t.data, '$.id', v.id, '$.name', v.name, '$.flow_id', v.flow, '$.deployment_id', v.dep,
                        '$.state_type', v.st, '$.state_name', v.sn, '$.state.type', v.st, '$.state.name', v.sn, '$.state.timestamp', v.tst,
                        '$.expected_start_time', v.expt, '$.start_time', v.startt, '$.end_time', v.endt,
                        '$.total_run_time', CASE WHEN v.ended IS NULL THEN 0 ELSE v.dur END, '$.tags', json(v.tags),
                        '$.created', v.madet, '$.updated', v.tst)
                FROM v, flow_runs AS t WHERE t.id = $template
                """;
            command.Parameters.AddWithValue("$start", start);
            command.Parameters.AddWithValue("$end", Math.Min(start + Batch, data.Runs));
            command.Parameters.AddWithValue("$runs", data.Runs);
            command.Parameters.AddWithValue("$now", DateTimeOffset.UtcNow.ToUnixTimeSeconds());
            command.Parameters.AddWithValue("$adjectives", JsonSerializer.Serialize(BenchData.Adjectives));
            command.Parameters.AddWithValue("$animals", JsonSerializer.Serialize(BenchData.Animals));
            command.Parameters.AddWithValue("$flows", JsonSerializer.Serialize(data.Flows));
            command.Parameters.AddWithValue("$deployments", JsonSerializer.Serialize(data.Deployments));
            command.Parameters.AddWithValue("$template", data.Template.ToString());
            await command.ExecuteNonQueryAsync();
            await transaction.CommitAsync();
        }

        await using var analyze = connection.CreateCommand();
        analyze.CommandText = "ANALYZE";
        await analyze.ExecuteNonQueryAsync();
    }

    private static async Task SeedPostgresAsync(DatabaseOptions database, BenchData data)
    {
        var url = new Uri(database.DatabaseUrl!);
        var user = url.UserInfo.Split(':', 2);
        var connectionString = new NpgsqlConnectionStringBuilder
        {
            Host = url.Host,
            Port = url.Port > 0 ? url.Port : 5432,
            Database = url.AbsolutePath.TrimStart('/'),
            Username = Uri.UnescapeDataString(user[0]),
            Password = user.Length > 1 ? Uri.UnescapeDataString(user[1]) : null,
        }.ConnectionString;
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        for (var start = (int)data.Loaded; start < data.Runs; start += Batch)
        {
            await using var command = new NpgsqlCommand("""
                WITH a AS (SELECT i, (i * 7919) % 1000 AS r, i % 97 % 12 AS f,
                        CAST((@runs - i) * 5184000.0 / @runs AS INTEGER) + 60 AS age
                      FROM generate_series(@start, @end - 1) AS i),
                b AS (SELECT i, r, f,
                        ('00000000-0000-7000-8000-' || lpad(to_hex(i), 12, '0'))::uuid AS id,
                        (@adjectives)[1 + i % 40] || '-' || (@animals)[1 + i / 40 % 50] AS name,
                        CASE WHEN r < 700 THEN 'COMPLETED' WHEN r < 800 THEN 'FAILED' WHEN r < 810 THEN 'CRASHED' WHEN r < 830 THEN 'CANCELLED'
                             WHEN r < 845 THEN 'RUNNING' WHEN r < 860 THEN 'PENDING' WHEN r < 870 THEN 'PAUSED' WHEN r < 875 THEN 'CANCELLING'
                             ELSE 'SCHEDULED' END AS st,
                        CASE WHEN r < 700 THEN 'Completed' WHEN r < 800 THEN 'Failed' WHEN r < 810 THEN 'Crashed' WHEN r < 830 THEN 'Cancelled'
                             WHEN r < 845 THEN 'Running' WHEN r < 860 THEN 'Pending' WHEN r < 870 THEN 'Paused' WHEN r < 875 THEN 'Cancelling'
                             WHEN r < 950 THEN 'Scheduled' ELSE 'Late' END AS sn,
                        (@flows)[1 + f] AS flow,
                        CASE WHEN f < 8 AND i % 10 < 7 THEN (@deployments)[1 + f] END AS dep,
                        CASE WHEN i % 50 = 0 THEN ARRAY[(ARRAY['prod', 'staging', 'dev'])[1 + i % 3], 'team-' || (i % 7), 'nightly']
                             WHEN i % 2 = 0 THEN ARRAY[(ARRAY['prod', 'staging', 'dev'])[1 + i % 3], 'team-' || (i % 7)]
                             ELSE ARRAY[(ARRAY['prod', 'staging', 'dev'])[1 + i % 3]] END AS tags,
                        CASE WHEN r >= 875 AND r < 950 THEN @now + i % 86400 ELSE @now - age END AS exp,
                        i % 600 + 1 AS dur
                      FROM a),
                c AS (SELECT b.*,
                        CASE WHEN st IN ('COMPLETED', 'FAILED', 'CRASHED', 'CANCELLED', 'RUNNING', 'PAUSED', 'CANCELLING') THEN exp + 5 END AS started,
                        CASE WHEN st IN ('COMPLETED', 'FAILED', 'CRASHED', 'CANCELLED') THEN exp + 5 + dur END AS ended,
                        CASE WHEN exp > @now THEN @now - 3600 ELSE exp - 60 END AS made
                      FROM b),
                v AS (SELECT c.*, to_timestamp(exp) AS expt, to_timestamp(started) AS startt, to_timestamp(ended) AS endt,
                        to_timestamp(made) AS madet, to_timestamp(coalesce(ended, started, made)) AS tst
                      FROM c)
                INSERT INTO flow_runs (id, flow_id, name, state_type, state_name, state_timestamp, expected_start_time, start_time,
                    end_time, deployment_id, tags, created, updated, version, data)
                SELECT v.id, v.flow, v.name, v.st, v.sn, v.tst, v.expt, v.startt, v.endt, v.dep, v.tags, v.madet, v.tst, 1,
                    (t.data::jsonb || jsonb_build_object('id', v.id, 'name', v.name, 'flow_id', v.flow, 'deployment_id', v.dep,
                        'state_type', v.st, 'state_name', v.sn,
                        'state', (t.data::jsonb -> 'state') || jsonb_build_object('type', v.st, 'name', v.sn, 'timestamp', j(v.tst)),
                        'expected_start_time', j(v.expt), 'start_time', j(v.startt), 'end_time', j(v.endt),
                        'total_run_time', CASE WHEN v.ended IS NULL THEN 0 ELSE v.dur END, 'tags', to_jsonb(v.tags),
                        'created', j(v.madet), 'updated', j(v.tst)))::text
                FROM v, flow_runs AS t WHERE t.id = @template
                """.Replace("j(", "pg_temp.bench_json_time(", StringComparison.Ordinal), connection);
            command.CommandTimeout = 0;
            command.Parameters.AddWithValue("start", (long)start);
            command.Parameters.AddWithValue("end", (long)Math.Min(start + Batch, data.Runs));
            command.Parameters.AddWithValue("runs", data.Runs);
            command.Parameters.AddWithValue("now", DateTimeOffset.UtcNow.ToUnixTimeSeconds());
            command.Parameters.AddWithValue("adjectives", BenchData.Adjectives);
            command.Parameters.AddWithValue("animals", BenchData.Animals);
            command.Parameters.AddWithValue("flows", data.Flows.ToArray());
            command.Parameters.AddWithValue("deployments", data.Deployments.ToArray());
            command.Parameters.AddWithValue("template", data.Template);
            if (start == (int)data.Loaded)
            {
                await using var function = new NpgsqlCommand("""
                    CREATE OR REPLACE FUNCTION pg_temp.bench_json_time(t timestamptz) RETURNS text LANGUAGE sql IMMUTABLE AS
                    $$ SELECT to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') $$
                    """, connection);
                await function.ExecuteNonQueryAsync();
            }

            await command.ExecuteNonQueryAsync();
        }

        await using var vacuum = new NpgsqlCommand("VACUUM ANALYZE", connection) { CommandTimeout = 0 };
        await vacuum.ExecuteNonQueryAsync();
    }
}
