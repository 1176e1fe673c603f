-- The leases that kept the scheduler, the late-run marker and the reaper on one server at a time. Orleans' single
-- activation now does that (the deployment grains' reminders, the housekeeper grain, each run's heartbeat timer), so
-- nothing takes a lease any more.
DROP TABLE IF EXISTS leases;
