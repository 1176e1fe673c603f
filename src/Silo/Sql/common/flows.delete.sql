DELETE FROM task_run_states WHERE task_run_id IN
    (SELECT id FROM task_runs WHERE flow_run_id IN (SELECT id FROM flow_runs WHERE flow_id = @id));
DELETE FROM task_runs WHERE flow_run_id IN (SELECT id FROM flow_runs WHERE flow_id = @id);
DELETE FROM flow_run_states WHERE flow_run_id IN (SELECT id FROM flow_runs WHERE flow_id = @id);
DELETE FROM flow_run_inputs WHERE flow_run_id IN (SELECT id FROM flow_runs WHERE flow_id = @id);
DELETE FROM flow_runs WHERE flow_id = @id;
DELETE FROM deployments WHERE flow_id = @id;
DELETE FROM flows WHERE id = @id;
