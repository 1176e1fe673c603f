SELECT seq FROM automation_cursors WHERE name = @name
