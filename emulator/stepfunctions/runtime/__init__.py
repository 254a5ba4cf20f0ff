"""The Step Functions runtime: execution interpreter (timed events on the world's scheduler), history,
task resources and the context object. Nothing here knows about HTTP or botocore."""
