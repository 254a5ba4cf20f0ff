"""Every DynamoDB message text, as constants or small formatting functions.

One place to fix wording; tests import these. Texts come from reference/dynamodb.md and are AWS's
verbatim, oddities included (``of2048``, the double space in ``An string set  may not be empty``).
Sections: values, expressions, keys/engine, operations.
"""

from __future__ import annotations

# --- values ---------------------------------------------------------------------------------

# --- expressions ----------------------------------------------------------------------------

# --- keys and engine ------------------------------------------------------------------------

# --- operations -----------------------------------------------------------------------------
