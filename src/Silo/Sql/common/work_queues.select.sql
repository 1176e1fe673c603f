SELECT data FROM work_queues
