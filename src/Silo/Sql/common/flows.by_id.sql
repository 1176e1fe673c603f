SELECT data FROM flows WHERE id = @id
