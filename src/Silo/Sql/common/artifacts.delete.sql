DELETE FROM artifacts WHERE id = @id
