namespace OrleansFlow.Silo.Blocks;

/// <summary>The system block types and schemas every Prefect 2.10.11 server holds, as the real server returns them
/// (names, slugs, URLs, descriptions, code examples, schema fields, checksums, capabilities). <c>json</c>,
/// <c>secret</c>, <c>local-file-system</c> and <c>process</c> are copied from the recorded traffic; <c>date-time</c>,
/// <c>string</c> and <c>remote-file-system</c> from Prefect's block classes, their checksums recomputed and matching
/// the ones Prefect servers store. Protected types are the ones Prefect protects.</summary>
internal static class SystemBlocks
{
    /// <summary>The seed, as JSON: <c>block_types[]</c> each with its <c>block_schemas[]</c>.</summary>
    public const string Json = """
        {
          "version": "2.10.11",
          "block_types": [
            {
              "id": "d193e227-e34b-4e77-8780-583a33ff2259",
              "name": "JSON",
              "slug": "json",
              "logo_url": "https://images.ctfassets.net/gm98wzqotmnx/19W3Di10hhb4oma2Qer0x6/764d1e7b4b9974cd268c775a488b9d26/image16.png?h=250",
              "documentation_url": "https://docs.prefect.io/api-ref/prefect/blocks/system/#prefect.blocks.system.JSON",
              "description": "A block that represents JSON",
              "code_example": "Load a stored JSON value:\n```python\nfrom prefect.blocks.system import JSON\n\njson_block = JSON.load(\"BLOCK_NAME\")\n```",
              "is_protected": true,
              "block_schemas": [
                {
                  "id": "af40dace-d4b9-4638-b7c9-db2f2e648202",
                  "checksum": "sha256:ef9b76010e0545bd7f2212029460731f66ccfce289affe4b504cbeb702fc8ea3",
                  "fields": {
                    "title": "JSON",
                    "description": "A block that represents JSON",
                    "type": "object",
                    "properties": {
                      "value": {
                        "title": "Value",
                        "description": "A JSON-compatible value."
                      }
                    },
                    "required": [
                      "value"
                    ],
                    "block_type_slug": "json",
                    "secret_fields": [],
                    "block_schema_references": {}
                  },
                  "capabilities": [],
                  "version": "2.10.11"
                }
              ]
            },
            {
              "id": "30c44ccc-e24d-5987-b49c-bacb6b8f5ea9",
              "name": "Date Time",
              "slug": "date-time",
              "logo_url": "https://images.ctfassets.net/gm98wzqotmnx/1gmljt5UBcAwEXHPnIofcE/0f3cf1da45b8b2df846e142ab52b1778/image21.png?h=250",
              "documentation_url": "https://docs.prefect.io/api-ref/prefect/blocks/system/#prefect.blocks.system.DateTime",
              "description": "A block that represents a datetime",
              "code_example": "Load a stored JSON value:\n```python\nfrom prefect.blocks.system import DateTime\n\ndata_time_block = DateTime.load(\"BLOCK_NAME\")\n```",
              "is_protected": true,
              "block_schemas": [
                {
                  "id": "ddafe3ee-f254-5688-979e-6e41f2cda6e0",
                  "checksum": "sha256:7943c88ca6ab22804082b595b9847d035a1364bdb23474c927317bcab9cb5d9c",
                  "fields": {
                    "title": "DateTime",
                    "description": "A block that represents a datetime",
                    "type": "object",
                    "properties": {
                      "value": {
                        "title": "Value",
                        "description": "An ISO 8601-compatible datetime value.",
                        "type": "string",
                        "format": "date-time"
                      }
                    },
                    "required": [
                      "value"
                    ],
                    "block_type_slug": "date-time",
                    "secret_fields": [],
                    "block_schema_references": {}
                  },
                  "capabilities": [],
                  "version": "2.10.11"
                }
              ]
            },
            {
              "id": "73966470-68e2-47f9-9222-5fddfc884021",
              "name": "Secret",
              "slug": "secret",
              "logo_url": "https://images.ctfassets.net/gm98wzqotmnx/5uUmyGBjRejYuGTWbTxz6E/3003e1829293718b3a5d2e909643a331/image8.png?h=250",
              "documentation_url": "https://docs.prefect.io/api-ref/prefect/blocks/system/#prefect.blocks.system.Secret",
              "description": "A block that represents a secret value. The value stored in this block will be obfuscated when\nthis block is logged or shown in the UI.",
              "code_example": "```python\nfrom prefect.blocks.system import Secret\n\nsecret_block = Secret.load(\"BLOCK_NAME\")\n\n# Access the stored secret\nsecret_block.get()\n```",
              "is_protected": true,
              "block_schemas": [
                {
                  "id": "6d192dbf-8eea-4afe-a005-6952527c6901",
                  "checksum": "sha256:e6b26e0a0240eb112e604608338f863e5ca2f137936e310014bfa2139d0a9b6c",
                  "fields": {
                    "title": "Secret",
                    "description": "A block that represents a secret value. The value stored in this block will be obfuscated when\nthis block is logged or shown in the UI.",
                    "type": "object",
                    "properties": {
                      "value": {
                        "title": "Value",
                        "description": "A string value that should be kept secret.",
                        "type": "string",
                        "writeOnly": true,
                        "format": "password"
                      }
                    },
                    "required": [
                      "value"
                    ],
                    "block_type_slug": "secret",
                    "secret_fields": [
                      "value"
                    ],
                    "block_schema_references": {}
                  },
                  "capabilities": [],
                  "version": "2.10.11"
                }
              ]
            },
            {
              "id": "99253650-5754-402a-8039-852dea3c9bd7",
              "name": "Local File System",
              "slug": "local-file-system",
              "logo_url": "https://images.ctfassets.net/gm98wzqotmnx/EVKjxM7fNyi4NGUSkeTEE/95c958c5dd5a56c59ea5033e919c1a63/image1.png?h=250",
              "documentation_url": "https://docs.prefect.io/concepts/filesystems/#local-filesystem",
              "description": "Store data as a file on a local file system.",
              "code_example": "Load stored local file system config:\n```python\nfrom prefect.filesystems import LocalFileSystem\n\nlocal_file_system_block = LocalFileSystem.load(\"BLOCK_NAME\")\n```",
              "is_protected": true,
              "block_schemas": [
                {
                  "id": "377fdc2d-f7c5-49ff-a44b-1a54edc3b2f2",
                  "checksum": "sha256:6db1ab242e7b2b88a52dc137a7da3a373af63e0a103b9a91e060ed54a26f395a",
                  "fields": {
                    "title": "LocalFileSystem",
                    "description": "Store data as a file on a local file system.",
                    "type": "object",
                    "properties": {
                      "basepath": {
                        "title": "Basepath",
                        "description": "Default local path for this block to write to.",
                        "type": "string"
                      }
                    },
                    "block_type_slug": "local-file-system",
                    "secret_fields": [],
                    "block_schema_references": {}
                  },
                  "capabilities": [
                    "write-path",
                    "get-directory",
                    "put-directory",
                    "read-path"
                  ],
                  "version": "2.10.11"
                }
              ]
            },
            {
              "id": "40d46eca-cb4a-4e66-80fa-ff182b5118e1",
              "name": "Process",
              "slug": "process",
              "logo_url": "https://images.ctfassets.net/gm98wzqotmnx/39WQhVu4JK40rZWltGqhuC/d15be6189a0cb95949a6b43df00dcb9b/image5.png?h=250",
              "documentation_url": "https://docs.prefect.io/concepts/infrastructure/#process",
              "description": "Run a command in a new process.\n\nCurrent environment variables and Prefect settings will be included in the created\nprocess. Configured environment variables will override any current environment\nvariables.",
              "code_example": "```python\nfrom prefect.infrastructure.process import Process\n\nprocess_block = Process.load(\"BLOCK_NAME\")\n```",
              "is_protected": true,
              "block_schemas": [
                {
                  "id": "aa475c9a-bad7-4452-85e5-e1d1c04daf19",
                  "checksum": "sha256:47c4ac364708f4a6f27fb10b18086ad92c0a53fbbdd9ba07c030467067979f84",
                  "fields": {
                    "title": "Process",
                    "description": "Run a command in a new process.\n\nCurrent environment variables and Prefect settings will be included in the created\nprocess. Configured environment variables will override any current environment\nvariables.",
                    "type": "object",
                    "properties": {
                      "type": {
                        "title": "Type",
                        "description": "The type of infrastructure.",
                        "default": "process",
                        "enum": [
                          "process"
                        ],
                        "type": "string"
                      },
                      "env": {
                        "title": "Environment",
                        "description": "Environment variables to set in the configured infrastructure.",
                        "type": "object",
                        "additionalProperties": {
                          "type": "string"
                        }
                      },
                      "labels": {
                        "title": "Labels",
                        "description": "Labels applied to the infrastructure for metadata purposes.",
                        "type": "object",
                        "additionalProperties": {
                          "type": "string"
                        }
                      },
                      "name": {
                        "title": "Name",
                        "description": "Name applied to the infrastructure for identification.",
                        "type": "string"
                      },
                      "command": {
                        "title": "Command",
                        "description": "The command to run in the infrastructure.",
                        "type": "array",
                        "items": {
                          "type": "string"
                        }
                      },
                      "stream_output": {
                        "title": "Stream Output",
                        "description": "If set, output will be streamed from the process to local standard output.",
                        "default": true,
                        "type": "boolean"
                      },
                      "working_dir": {
                        "title": "Working Dir",
                        "description": "If set, the process will open within the specified path as the working directory. Otherwise, a temporary directory will be created.",
                        "anyOf": [
                          {
                            "type": "string"
                          },
                          {
                            "type": "string",
                            "format": "path"
                          }
                        ]
                      }
                    },
                    "block_type_slug": "process",
                    "secret_fields": [],
                    "block_schema_references": {}
                  },
                  "capabilities": [
                    "run-infrastructure"
                  ],
                  "version": "2.10.11"
                }
              ]
            },
            {
              "id": "34882476-dcfb-5e06-a015-9763ff2dcdc8",
              "name": "String",
              "slug": "string",
              "logo_url": "https://images.ctfassets.net/gm98wzqotmnx/4zjrZmh9tBrFiikeB44G4O/2ce1dbbac1c8e356f7c429e0f8bbb58d/image10.png?h=250",
              "documentation_url": "https://docs.prefect.io/api-ref/prefect/blocks/system/#prefect.blocks.system.String",
              "description": "A block that represents a string",
              "code_example": "Load a stored string value:\n```python\nfrom prefect.blocks.system import String\n\nstring_block = String.load(\"BLOCK_NAME\")\n```",
              "is_protected": false,
              "block_schemas": [
                {
                  "id": "b67c0ca4-b536-5ae5-930a-cd964cb21c20",
                  "checksum": "sha256:e9f3f43e55b73bc94ee2a355f1e4ef7064645268cba22571c2a95d90a2af8dd0",
                  "fields": {
                    "title": "String",
                    "description": "A block that represents a string",
                    "type": "object",
                    "properties": {
                      "value": {
                        "title": "Value",
                        "description": "A string value.",
                        "type": "string"
                      }
                    },
                    "required": [
                      "value"
                    ],
                    "block_type_slug": "string",
                    "secret_fields": [],
                    "block_schema_references": {}
                  },
                  "capabilities": [],
                  "version": "2.10.11"
                }
              ]
            },
            {
              "id": "ee058176-4d6b-5034-95cd-fc674140b9d1",
              "name": "Remote File System",
              "slug": "remote-file-system",
              "logo_url": "https://images.ctfassets.net/gm98wzqotmnx/4CxjycqILlT9S9YchI7o1q/ee62e2089dfceb19072245c62f0c69d2/image12.png?h=250",
              "documentation_url": "https://docs.prefect.io/concepts/filesystems/#remote-file-system",
              "description": "Store data as a file on a remote file system.\n\nSupports any remote file system supported by `fsspec`. The file system is specified\nusing a protocol. For example, \"s3://my-bucket/my-folder/\" will use S3.",
              "code_example": "Load stored remote file system config:\n```python\nfrom prefect.filesystems import RemoteFileSystem\n\nremote_file_system_block = RemoteFileSystem.load(\"BLOCK_NAME\")\n```",
              "is_protected": false,
              "block_schemas": [
                {
                  "id": "54d5f52e-465b-5679-b5e7-49b2fb3476b1",
                  "checksum": "sha256:f6998c8723a78207471938f5f74d6d4815ff14c2900caf8e9c3b3ece47bfeb40",
                  "fields": {
                    "title": "RemoteFileSystem",
                    "description": "Store data as a file on a remote file system.\n\nSupports any remote file system supported by `fsspec`. The file system is specified\nusing a protocol. For example, \"s3://my-bucket/my-folder/\" will use S3.",
                    "type": "object",
                    "properties": {
                      "basepath": {
                        "title": "Basepath",
                        "description": "Default path for this block to write to.",
                        "example": "s3://my-bucket/my-folder/",
                        "type": "string"
                      },
                      "settings": {
                        "title": "Settings",
                        "description": "Additional settings to pass through to fsspec.",
                        "type": "object"
                      }
                    },
                    "required": [
                      "basepath"
                    ],
                    "block_type_slug": "remote-file-system",
                    "secret_fields": [],
                    "block_schema_references": {}
                  },
                  "capabilities": [
                    "write-path",
                    "get-directory",
                    "put-directory",
                    "read-path"
                  ],
                  "version": "2.10.11"
                }
              ]
            }
          ]
        }
        """;
}
