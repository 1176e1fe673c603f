DELETE FROM deployment_reminders WHERE deployment_id = @deployment_id
