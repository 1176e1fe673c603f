-- Deployments' schedules are now Orleans reminders of the deployment grains, kept in OrleansRemindersTable (migration
-- 0011): the scheduler's own reminder rows go.
DROP TABLE IF EXISTS deployment_reminders;
