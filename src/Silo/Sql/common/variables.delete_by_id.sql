DELETE FROM variables WHERE id = @id
