DELETE FROM concurrency_limits WHERE tag = @tag
