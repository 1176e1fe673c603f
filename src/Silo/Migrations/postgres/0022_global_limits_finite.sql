-- A global concurrency limit's decay rate and average occupancy are finite and bounded (at most 1e9 slots a second, and
-- 10 years): the API checks both since this version. Before, a JSON number past double's range (1e309) read as
-- infinity and was stored, after which the limit could no longer be written as JSON and every list of limits failed.
-- Such rows get the bound instead.
UPDATE global_concurrency_limits SET slot_decay_per_second = 1e9 WHERE slot_decay_per_second > 1e9;
UPDATE global_concurrency_limits SET avg_slot_occupancy_seconds = 315360000 WHERE avg_slot_occupancy_seconds > 315360000;
