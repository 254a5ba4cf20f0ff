"""The only code that sees bytes: the AWS JSON 1.0 protocol and the two doors built on it.

* :mod:`.awsjson` — one request's bytes in, one response's bytes out (``handle``), shared by:
* :mod:`.server` — the HTTP door (``emulator serve``, :mod:`.serve_command`);
* :mod:`.boto` — the in-process boto3 door (``emulator.mock_aws``).

Support: :mod:`.targets` (``X-Amz-Target`` routing), :mod:`.models` (botocore's model files),
:mod:`.shapes` (JSON ↔ native conversion and AWS's type checks), :mod:`.messages` (every text the
wire itself sends), :mod:`.request_ids`, :mod:`.environment` (fake credentials while mocked).
Nothing here is imported by ``import emulator``; botocore is imported only by :mod:`.boto`.
"""
