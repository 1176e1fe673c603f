SELECT id, name, value, tags, created, updated FROM variables WHERE name = @name
