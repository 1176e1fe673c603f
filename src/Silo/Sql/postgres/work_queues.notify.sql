SELECT pg_notify('orleansflow_work', '')
