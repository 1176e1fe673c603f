SELECT data FROM work_pools
