DELETE FROM variables WHERE name = @name
