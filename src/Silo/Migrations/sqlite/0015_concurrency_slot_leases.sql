-- Tag concurrency limits are grains (one per tag) that hold the limit and its slots in their activation. Every write of
-- a limit is conditional on the row version its activation read (`version`), so two activations of one tag (during a
-- membership change, or two processes on this file) can never both grant the last slot: the second write matches no
-- row, and its grain reads the limit again and decides again.
-- Each slot is held under a lease (`slot_leases`: a JSON object from task-run id to the time its lease ends). When the
-- limit is full, a holder whose lease has ended is asked whether it is still RUNNING: if not, its slot is reclaimed;
-- if so, its lease is renewed. A slot without an entry (held before this migration) counts as an ended lease.
ALTER TABLE concurrency_limits ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE concurrency_limits ADD COLUMN slot_leases TEXT NOT NULL DEFAULT '{}';
