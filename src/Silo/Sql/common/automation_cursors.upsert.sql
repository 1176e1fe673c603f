INSERT INTO automation_cursors (name, seq, updated) VALUES (@name, @seq, @updated)
ON CONFLICT (name) DO UPDATE SET seq = excluded.seq, updated = excluded.updated
WHERE automation_cursors.seq < excluded.seq
