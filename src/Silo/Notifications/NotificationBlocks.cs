namespace OrleansFlow.Silo.Notifications;

/// <summary>The notification and webhook block types, seeded with the system blocks (<see cref="Blocks.BlockSeeder"/>),
/// with the slugs and field names of Prefect's <c>Webhook</c>, <c>CustomWebhookNotificationBlock</c>,
/// <c>SlackWebhook</c> and <c>MicrosoftTeamsWebhook</c> blocks, and an SMTP <c>email</c> block. The notification blocks
/// have the <c>notify</c> capability (what an automation's <c>send-notification</c> action asks for); <c>webhook</c> is
/// what <c>call-webhook</c> calls. Secret fields are listed in <c>secret_fields</c> and stored sealed like every block
/// secret; checksums are computed when the seed is read.</summary>
internal static class NotificationBlocks
{
    /// <summary>The seed, in the shape of <see cref="Blocks.SystemBlocks.Json"/> (without checksums).</summary>
    public const string Json = """
        {
          "block_types": [
            {
              "id": "fc36a36b-9762-40a6-8c90-1c089cb2a6b0",
              "name": "Webhook",
              "slug": "webhook",
              "logo_url": "https://cdn.sanity.io/images/3ugk85nk/production/c7247cb359eb6cf276734d4b1fbf00fb8930e89e-250x250.png",
              "documentation_url": "https://docs.prefect.io/latest/automate/events/webhook-triggers",
              "description": "Calls a webhook: an HTTP request to a URL, with headers and an optional payload. What an automation's call-webhook action uses.",
              "code_example": "Call the webhook from an automation's `call-webhook` action (`block_document_id`, `payload`), or test it with `POST /api/notifications/test`.",
              "is_protected": true,
              "block_schemas": [
                {
                  "id": "90b62549-53f4-4335-abed-273bd1bf9a26",
                  "fields": {
                    "title": "Webhook",
                    "description": "Calls a webhook: an HTTP request to a URL, with headers and an optional payload.",
                    "type": "object",
                    "properties": {
                      "method": {"title": "Method", "description": "The HTTP method of the request.", "default": "POST", "enum": ["GET", "POST", "PUT", "PATCH", "DELETE"], "type": "string"},
                      "url": {"title": "Webhook URL", "description": "The URL to call.", "examples": ["https://hooks.example.com/XXX"], "type": "string", "writeOnly": true, "format": "password"},
                      "headers": {"title": "Webhook Headers", "description": "Headers sent with the request; their values are secret.", "type": "object", "additionalProperties": {"type": "string"}},
                      "allow_private_urls": {"title": "Allow Private URLs", "description": "Whether the URL may point to a loopback, private or link-local address.", "default": true, "type": "boolean"},
                      "verify": {"title": "Verify", "description": "Whether the server's TLS certificate is checked.", "default": true, "type": "boolean"}
                    },
                    "required": ["url"],
                    "block_type_slug": "webhook",
                    "secret_fields": ["url", "headers.*"],
                    "block_schema_references": {}
                  },
                  "capabilities": [],
                  "version": "2.10.11"
                }
              ]
            },
            {
              "id": "541a3b67-7342-4e04-a3de-c3fa269cb8ea",
              "name": "Custom Webhook",
              "slug": "custom-webhook",
              "logo_url": "https://cdn.sanity.io/images/3ugk85nk/production/c7247cb359eb6cf276734d4b1fbf00fb8930e89e-250x250.png",
              "documentation_url": "https://docs.prefect.io/latest/automate/events/automations-triggers#sending-notifications-with-automations",
              "description": "Sends notifications to any HTTP endpoint. Every string of url, params, json_data, form_data, headers and cookies may hold {{subject}}, {{body}}, {{name}} and the keys of secrets, replaced when a notification is sent.",
              "code_example": "Use it in an automation's `send-notification` action (`block_document_id`, `subject`, `body`), or test it with `POST /api/notifications/test`.",
              "is_protected": true,
              "block_schemas": [
                {
                  "id": "d4488c7c-f1b8-47a7-a90b-2ffd61fd09cd",
                  "fields": {
                    "title": "CustomWebhookNotificationBlock",
                    "description": "Sends notifications to any HTTP endpoint, with {{subject}}, {{body}}, {{name}} and secrets substituted.",
                    "type": "object",
                    "properties": {
                      "name": {"title": "Name", "description": "The webhook's name, available as {{name}}.", "type": "string"},
                      "url": {"title": "Webhook URL", "description": "The URL to call.", "examples": ["https://hooks.example.com/XXX"], "type": "string"},
                      "method": {"title": "Method", "description": "The HTTP method of the request.", "default": "POST", "enum": ["GET", "POST", "PUT", "PATCH", "DELETE"], "type": "string"},
                      "params": {"title": "Query Params", "description": "Query parameters added to the URL.", "type": "object", "additionalProperties": {"type": "string"}},
                      "json_data": {"title": "JSON Data", "description": "A JSON body. Not together with form_data.", "examples": ["{\"text\": \"{{subject}}\\n{{body}}\", \"title\": \"{{name}}\", \"token\": \"{{tokenFromSecrets}}\"}"], "type": "object"},
                      "form_data": {"title": "Form Data", "description": "A form-encoded body (an object), or a raw body (a string). Not together with json_data.", "anyOf": [{"type": "object", "additionalProperties": {"type": "string"}}, {"type": "string"}]},
                      "headers": {"title": "Headers", "description": "Headers sent with the request.", "type": "object", "additionalProperties": {"type": "string"}},
                      "cookies": {"title": "Cookies", "description": "Cookies sent with the request.", "type": "object", "additionalProperties": {"type": "string"}},
                      "timeout": {"title": "Timeout", "description": "The request timeout in seconds.", "default": 10, "type": "number"},
                      "allow_private_urls": {"title": "Allow Private URLs", "description": "Whether the URL may point to a loopback, private or link-local address.", "default": true, "type": "boolean"},
                      "secrets": {"title": "Custom Secret Values", "description": "Secret values, substituted for {{key}} in the other fields.", "examples": ["{\"tokenFromSecrets\": \"SomeSecretToken\"}"], "type": "object", "additionalProperties": {"type": "string"}}
                    },
                    "required": ["name", "url"],
                    "block_type_slug": "custom-webhook",
                    "secret_fields": ["secrets.*"],
                    "block_schema_references": {}
                  },
                  "capabilities": ["notify"],
                  "version": "2.10.11"
                }
              ]
            },
            {
              "id": "c2101c83-a47e-42a7-8aad-49e154ceb9a2",
              "name": "Slack Webhook",
              "slug": "slack-webhook",
              "logo_url": "https://cdn.sanity.io/images/3ugk85nk/production/c1965ecbf8704ee1ea20d77786de9a41ce1087d1-500x500.png",
              "documentation_url": "https://docs.prefect.io/latest/automate/events/automations-triggers#sending-notifications-with-automations",
              "description": "Sends notifications to a Slack channel through an incoming webhook.",
              "code_example": "Use it in an automation's `send-notification` action (`block_document_id`, `subject`, `body`), or test it with `POST /api/notifications/test`.",
              "is_protected": true,
              "block_schemas": [
                {
                  "id": "88fcb2bf-4ae7-4b82-8a48-3bef579476a6",
                  "fields": {
                    "title": "SlackWebhook",
                    "description": "Sends notifications to a Slack channel through an incoming webhook.",
                    "type": "object",
                    "properties": {
                      "notify_type": {"title": "Notify Type", "description": "The kind of notification.", "default": "info", "enum": ["info", "success", "warning", "failure"], "type": "string"},
                      "url": {"title": "Webhook URL", "description": "The Slack incoming-webhook URL.", "examples": ["https://hooks.slack.com/XXX"], "type": "string", "writeOnly": true, "format": "password"},
                      "allow_private_urls": {"title": "Allow Private URLs", "description": "Whether the URL may point to a loopback, private or link-local address.", "default": true, "type": "boolean"}
                    },
                    "required": ["url"],
                    "block_type_slug": "slack-webhook",
                    "secret_fields": ["url"],
                    "block_schema_references": {}
                  },
                  "capabilities": ["notify"],
                  "version": "2.10.11"
                }
              ]
            },
            {
              "id": "18d03869-43c4-4208-a764-adb8983ce12c",
              "name": "Microsoft Teams Webhook",
              "slug": "ms-teams-webhook",
              "logo_url": "https://cdn.sanity.io/images/3ugk85nk/production/817efe008a57f0a24f3587414714b563e5e23658-250x250.png",
              "documentation_url": "https://docs.prefect.io/latest/automate/events/automations-triggers#sending-notifications-with-automations",
              "description": "Sends notifications to a Microsoft Teams channel through a Workflows (Power Automate) webhook, as an Adaptive Card.",
              "code_example": "Use it in an automation's `send-notification` action (`block_document_id`, `subject`, `body`), or test it with `POST /api/notifications/test`.",
              "is_protected": true,
              "block_schemas": [
                {
                  "id": "e295a766-53e5-404c-8b1b-0f8d37785b2f",
                  "fields": {
                    "title": "MicrosoftTeamsWebhook",
                    "description": "Sends notifications to a Microsoft Teams channel through a Workflows webhook.",
                    "type": "object",
                    "properties": {
                      "notify_type": {"title": "Notify Type", "description": "The kind of notification.", "default": "info", "enum": ["info", "success", "warning", "failure"], "type": "string"},
                      "url": {"title": "Webhook URL", "description": "The Teams Workflows (Power Automate) URL.", "examples": ["https://prod-NO.LOCATION.logic.azure.com:443/workflows/WFID/triggers/manual/paths/invoke?api-version=2016-06-01"], "type": "string", "writeOnly": true, "format": "password"},
                      "include_image": {"title": "Include Image", "description": "Whether the card shows an image for the kind of notification.", "default": true, "type": "boolean"},
                      "wrap": {"title": "Wrap", "description": "Whether the card wraps long text.", "default": true, "type": "boolean"},
                      "allow_private_urls": {"title": "Allow Private URLs", "description": "Whether the URL may point to a loopback, private or link-local address.", "default": true, "type": "boolean"}
                    },
                    "required": ["url"],
                    "block_type_slug": "ms-teams-webhook",
                    "secret_fields": ["url"],
                    "block_schema_references": {}
                  },
                  "capabilities": ["notify"],
                  "version": "2.10.11"
                }
              ]
            },
            {
              "id": "2bd50575-7b69-49c1-8381-1c53291f25a4",
              "name": "Email",
              "slug": "email",
              "logo_url": null,
              "documentation_url": "https://docs.prefect.io/latest/automate/events/automations-triggers#sending-notifications-with-automations",
              "description": "Sends notifications as email through an SMTP server.",
              "code_example": "Use it in an automation's `send-notification` action (`block_document_id`, `subject`, `body`), or test it with `POST /api/notifications/test`.",
              "is_protected": true,
              "block_schemas": [
                {
                  "id": "51d8a6a5-36a1-4045-91e7-a938295ebc40",
                  "fields": {
                    "title": "Email",
                    "description": "Sends notifications as email through an SMTP server.",
                    "type": "object",
                    "properties": {
                      "smtp_server": {"title": "SMTP Server", "description": "The SMTP server's host name.", "examples": ["smtp.gmail.com"], "type": "string"},
                      "smtp_port": {"title": "SMTP Port", "description": "The SMTP port; when absent 465 for SSL, 587 for STARTTLS, 25 for INSECURE.", "type": "integer"},
                      "smtp_type": {"title": "SMTP Type", "description": "SSL (TLS from the start), STARTTLS (upgraded after EHLO) or INSECURE (no TLS).", "default": "SSL", "enum": ["SSL", "STARTTLS", "INSECURE"], "type": "string"},
                      "username": {"title": "Username", "description": "The user name to log in with (AUTH PLAIN or LOGIN); no login when absent.", "type": "string"},
                      "password": {"title": "Password", "description": "The password to log in with.", "type": "string", "writeOnly": true, "format": "password"},
                      "verify": {"title": "Verify", "description": "Whether the server's TLS certificate is checked.", "default": true, "type": "boolean"},
                      "email_from": {"title": "From", "description": "The sender's address.", "examples": ["orleansflow@example.com"], "type": "string"},
                      "email_to": {"title": "To", "description": "The recipients' addresses.", "type": "array", "items": {"type": "string"}}
                    },
                    "required": ["smtp_server", "email_from", "email_to"],
                    "block_type_slug": "email",
                    "secret_fields": ["password"],
                    "block_schema_references": {}
                  },
                  "capabilities": ["notify"],
                  "version": "2.10.11"
                }
              ]
            }
          ]
        }
        """;
}
