-- Deployment reminders: one durable row per deployment saying when its schedule must next be looked at. Any server's
-- scheduler claims due rows under a short lease (so servers share the deployments and a dead server's claims expire),
-- creates the deployment's upcoming runs and sets the next due time. Creating or changing a deployment makes it due now.
CREATE TABLE deployment_reminders (
    deployment_id UUID PRIMARY KEY,
    due_at TIMESTAMPTZ NOT NULL,
    owner TEXT NULL,
    lease_until TIMESTAMPTZ NULL
);
CREATE INDEX ix_deployment_reminders_due ON deployment_reminders (due_at);
INSERT INTO deployment_reminders (deployment_id, due_at) SELECT id, TIMESTAMPTZ '1970-01-01 00:00:00+00' FROM deployments;
