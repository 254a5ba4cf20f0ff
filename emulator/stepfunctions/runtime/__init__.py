"""The Step Functions runtime: scheduler (events on the clock), execution interpreter, history,
task resources and the context object. Nothing here knows about HTTP or botocore."""
