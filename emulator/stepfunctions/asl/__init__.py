"""Amazon States Language: the loader/model, validation, and the pure data-flow pieces
(JSONPath, intrinsics, payload templates, Choice rules, Retry/Catch decisions, JSONata). Variable scopes
and ``Assign`` are the interpreter's (``runtime/states/``)."""
