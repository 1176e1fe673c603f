SELECT data FROM flows WHERE name = @name
