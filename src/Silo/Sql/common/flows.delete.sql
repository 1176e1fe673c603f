DELETE FROM flows WHERE id = @id
