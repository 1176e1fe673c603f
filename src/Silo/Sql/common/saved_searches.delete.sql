DELETE FROM saved_searches WHERE id = @id
