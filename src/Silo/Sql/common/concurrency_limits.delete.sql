DELETE FROM concurrency_limits WHERE id = @id AND version = @version
