SELECT COUNT(*) FROM flows WHERE id = @id
